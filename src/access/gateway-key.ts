/**
 * Gateway keys: what a key record holds, how a secret is made and shown, and whether a record
 * lets a request in. Stored in KV by storage/gateway-keys.ts; only the secret's SHA-256 is kept.
 */
import { z } from "zod";
import { GatewayError } from "../core/errors";
import { BudgetRuleSchema } from "../config/schema";

const Name = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, "letters, digits and _ . : - (starting with a letter or digit)");
const Label = z.string().min(1).max(64);
const Instant = z.union([z.iso.datetime({ offset: true }), z.null()]);
const Origin = z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, "an origin: scheme://host[:port], no path or trailing slash");
const Ceiling = z.union([z.number().int().min(1), z.null()]);

/** What an admin may set on a key (POST /admin/keys, PATCH /admin/keys/:id). */
export const KeySettingsSchema = z.strictObject({
  name: Name,
  team: z.optional(z.union([Label, z.null()])),
  userTier: z.optional(z.union([Label, z.null()])),
  /** ISO 8601 instant after which the key is refused (null: never). */
  expiresAt: z.optional(Instant),
  /** Route names the key may use (null or absent: every route). */
  routes: z.optional(z.union([z.array(z.string().min(1)).max(100), z.null()])),
  /** Aliases the key may request by name, "*" for all (absent: none — models only through routes). */
  models: z.optional(z.array(z.string().min(1)).max(200)),
  /** Highest `max_tokens` a request may ask for (and the value used when it asks for none); null: no ceiling. */
  maxTokens: z.optional(Ceiling),
  /** Highest `n`; null: no ceiling beyond the config's `limits.maxN`. */
  maxN: z.optional(Ceiling),
  /** Browser origins the key may be used from (CORS); absent: none (requests with an Origin header are refused). */
  origins: z.optional(z.array(Origin).max(50)),
  /** Requests and tokens (prompt estimate + max_tokens) per minute; null: unlimited. */
  rpm: z.optional(Ceiling),
  tpm: z.optional(Ceiling),
  /** Requests in flight at once. */
  concurrency: z.optional(Ceiling),
  /** The key's own budget (a team's or a tier's go in the config's `budgets`). */
  budget: z.optional(z.union([BudgetRuleSchema, z.null()])),
});
export type KeySettings = z.infer<typeof KeySettingsSchema>;
export const KeyUpdateSchema = KeySettingsSchema.partial();

/** The stored record (KV value), keyed by the secret's SHA-256. */
export interface GatewayKeyRecord {
  id: string;
  name: string;
  team: string | null;
  userTier: string | null;
  /** The secret's last four characters, so people can tell keys apart. */
  hint: string;
  secretSha256: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  routes?: string[] | null;
  models?: string[];
  maxTokens?: number | null;
  maxN?: number | null;
  origins?: string[];
  rpm?: number | null;
  tpm?: number | null;
  concurrency?: number | null;
  budget?: z.infer<typeof BudgetRuleSchema> | null;
  /** Set on the record of a secret replaced by POST /admin/keys/:id/rotate. */
  rotatedAt?: string | null;
}

/** Admin view of a record: no hash (the secret itself is never stored). */
export function publicKeyView(r: GatewayKeyRecord): Omit<GatewayKeyRecord, "secretSha256" | "rotatedAt"> & { state: "active" | "expired" | "revoked" } {
  const { secretSha256: _hash, rotatedAt: _rotated, ...rest } = r;
  return { ...rest, state: keyState(r, Date.now()) };
}

export function keyState(r: GatewayKeyRecord, now: number): "active" | "expired" | "revoked" {
  if (r.revokedAt || r.rotatedAt) return "revoked";
  if (r.expiresAt && Date.parse(r.expiresAt) <= now) return "expired";
  return "active";
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A new secret: `tg_` + 32 random bytes (base64url). */
export function newKeySecret(): string {
  return "tg_" + base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export function newKeyId(): string {
  return "key_" + base64url(crypto.getRandomValues(new Uint8Array(12))).toLowerCase().replace(/[^0-9a-z]/g, "").slice(0, 16);
}

export function newKeyRecord(settings: KeySettings, secret: string, secretSha256: string, now: number, id = newKeyId()): GatewayKeyRecord {
  const at = new Date(now).toISOString();
  return {
    id, name: settings.name, team: settings.team ?? null, userTier: settings.userTier ?? null,
    hint: secret.slice(-4), secretSha256, createdAt: at, updatedAt: at, expiresAt: settings.expiresAt ?? null, revokedAt: null,
    routes: settings.routes ?? null, models: settings.models ?? [], maxTokens: settings.maxTokens ?? null, maxN: settings.maxN ?? null, origins: settings.origins ?? [],
    rpm: settings.rpm ?? null, tpm: settings.tpm ?? null, concurrency: settings.concurrency ?? null, budget: settings.budget ?? null,
  };
}

export function unauthorized(message: string): GatewayError {
  return new GatewayError({ status: 401, type: "authentication_error", code: "invalid_api_key", message, errorClass: "unauthorized", retryable: false });
}

/** Throws 401 unless the record lets a request in at `now`. */
export function admitKey(r: GatewayKeyRecord, now: number): void {
  const state = keyState(r, now);
  if (state === "revoked") throw unauthorized(r.rotatedAt ? "this API key was rotated; use its replacement" : "this API key has been revoked");
  if (state === "expired") throw unauthorized(`this API key expired at ${r.expiresAt}`);
}
