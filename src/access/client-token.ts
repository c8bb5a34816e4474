/**
 * Short-lived client tokens for browsers and mobile apps: a JWT (HS256, Web Crypto HMAC — no
 * library needed in Workers) minted by POST /admin/tokens for one gateway key, scoped to routes
 * and models, origins, a spend cap and an expiry of minutes to hours. The claims carry everything
 * the gateway needs (a snapshot of the parent key's identity and policy), so verifying one reads
 * no storage; its spend counts against its own cap and its parent key's budget.
 */
import { z } from "zod";
import type { AccessPolicy, Client } from "./policy";
import { unauthorized } from "./gateway-key";

export const TOKEN_MIN_SECONDS = 60;
export const TOKEN_MAX_SECONDS = 24 * 3600;

export const MintSchema = z.strictObject({
  keyId: z.string().min(1),
  /** A subset of the parent key's routes / models / origins (absent: the parent's). */
  routes: z.optional(z.array(z.string().min(1)).max(100)),
  models: z.optional(z.array(z.string().min(1)).max(200)),
  origins: z.optional(z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/)).max(50)),
  spendCapUsd: z.number().positive(),
  expiresInSeconds: z.number().int().min(TOKEN_MIN_SECONDS).max(TOKEN_MAX_SECONDS),
});

export interface TokenClaims {
  /** Parent key id. */
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  name: string;
  team?: string;
  tier?: string;
  cap: number;
  policy: AccessPolicy;
}

const enc = new TextEncoder();
function b64url(bytes: Uint8Array | string): string {
  const raw = typeof bytes === "string" ? enc.encode(bytes) : bytes;
  let s = "";
  for (const b of raw) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function fromB64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}
const hmacKey = (secret: string) => crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const HEADER = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

export async function signToken(claims: TokenClaims, secret: string): Promise<string> {
  const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), enc.encode(body)));
  return `${body}.${b64url(sig)}`;
}

export function looksLikeToken(credential: string): boolean {
  return credential.startsWith("eyJ") && credential.split(".").length === 3;
}

/** The claims of a valid, unexpired token; 401 otherwise. No storage is read. */
export async function verifyToken(token: string, secret: string | undefined, now: number): Promise<TokenClaims> {
  if (!secret) throw unauthorized("client tokens are not enabled on this gateway (no TOKEN_SIGNING_SECRET)");
  const [h, p, s] = token.split(".") as [string, string, string];
  let ok = false;
  try {
    ok = h === HEADER && (await crypto.subtle.verify("HMAC", await hmacKey(secret), fromB64url(s), enc.encode(`${h}.${p}`)));
  } catch {
    ok = false;
  }
  if (!ok) throw unauthorized("the client token's signature is not valid");
  const claims = JSON.parse(new TextDecoder().decode(fromB64url(p))) as TokenClaims;
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= now) throw unauthorized("the client token has expired; mint a new one");
  return claims;
}

export function tokenClient(claims: TokenClaims): Client {
  const c: Client = { keyName: claims.name, keyId: claims.sub, policy: claims.policy, token: { jti: claims.jti, capUsd: claims.cap, exp: claims.exp } };
  if (claims.team) c.team = claims.team;
  if (claims.tier) c.userTier = claims.tier;
  return c;
}
