/** POST /admin/tokens: a short-lived client token for one gateway key (see access/client-token.ts). */
import type { Context } from "hono";
import { MintSchema, signToken, type TokenClaims } from "../access/client-token";
import { keyState } from "../access/gateway-key";
import { keyPolicy } from "../access/policy";
import { GatewayError } from "../core/errors";
import type { AppEnv } from "../env";
import { readKeyById } from "../storage/gateway-keys";
import { invalidBody } from "./openai-codec";
import { parseJsonBody, readBodyText } from "./read-body";

const bad = (message: string, param: string) => new GatewayError({ status: 400, type: "invalid_request_error", code: "invalid_token_request", message, param, errorClass: "bad_request", retryable: false });

function subset(asked: string[] | undefined, allowed: string[] | null, what: string): string[] | null {
  if (asked === undefined) return allowed;
  if (allowed !== null && !allowed.includes("*")) {
    const extra = asked.filter((x) => !allowed.includes(x));
    if (extra.length) throw bad(`the key does not allow ${what} ${extra.join(", ")}: a token can only narrow its key`, what);
  }
  return asked;
}

export async function handleMintToken(c: Context<AppEnv>): Promise<Response> {
  const secret = c.env.TOKEN_SIGNING_SECRET;
  if (!secret) throw new GatewayError({ status: 503, type: "config_error", code: "tokens_disabled", message: "client tokens are disabled: set the TOKEN_SIGNING_SECRET secret", errorClass: "config", retryable: false });
  const parsed = MintSchema.safeParse(parseJsonBody(await readBodyText(c.req.raw, 16_384)));
  if (!parsed.success) throw invalidBody(parsed.error);
  const m = parsed.data;
  const key = await readKeyById(c.env.CONFIG, m.keyId);
  if (!key || keyState(key, Date.now()) !== "active") throw bad("no active gateway key with that id", "keyId");
  const parent = keyPolicy(key);
  const now = Math.floor(Date.now() / 1000);
  const exp = Math.min(now + m.expiresInSeconds, key.expiresAt ? Math.floor(Date.parse(key.expiresAt) / 1000) : Infinity);
  const claims: TokenClaims = {
    sub: key.id, jti: crypto.randomUUID(), iat: now, exp, name: key.name, cap: m.spendCapUsd,
    policy: { ...parent, routes: subset(m.routes, parent.routes, "routes"), models: subset(m.models, parent.models, "models") ?? [], origins: subset(m.origins, parent.origins ?? [], "origins") },
  };
  if (key.team) claims.team = key.team;
  if (key.userTier) claims.tier = key.userTier;
  return c.json({ token: await signToken(claims, secret), tokenId: claims.jti, keyId: key.id, expiresAt: new Date(exp * 1000).toISOString(), spendCapUsd: m.spendCapUsd, routes: claims.policy.routes, models: claims.policy.models, origins: claims.policy.origins }, 201);
}
