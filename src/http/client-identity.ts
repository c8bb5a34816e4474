/**
 * Who is calling. Credentials are read from `x-api-key` or `Authorization: Bearer` and looked up
 * by their SHA-256: first among the gateway keys in KV (storage/gateway-keys.ts), then among the
 * config's `access.keys` (read both: config keys keep working unchanged). Absent, unknown,
 * revoked and expired credentials get 401 — unless the config sets `access.requireKey: false`,
 * which lets requests *without* a credential in (a wrong one is still refused).
 */
import { admitKey, unauthorized } from "../access/gateway-key";
import { sha256Hex } from "../core/hash";
import type { Config } from "../config/schema";
import type { GatewayKeyRecord } from "../access/gateway-key";
import { keyPolicy, OPEN_POLICY, type Client } from "../access/policy";
import { looksLikeToken, tokenClient, verifyToken } from "../access/client-token";

/** The key in `Authorization: Bearer <key>`. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() || undefined;
}

/** The credential a request carries, whichever header its SDK uses. */
export function clientCredential(headers: Headers): string | undefined {
  return headers.get("x-api-key")?.trim() || bearerToken(headers.get("authorization"));
}


export interface IdentifyDeps {
  lookup(sha256: string): Promise<GatewayKeyRecord | null>;
  now(): number;
  /** TOKEN_SIGNING_SECRET: client tokens are verified with it, without a storage read. */
  tokenSecret?: string | undefined;
}

export async function identifyClient(credential: string | undefined, config: Config | null, deps: IdentifyDeps): Promise<Client> {
  if (!credential) {
    // Closed by default: no config (yet) also means a key is required.
    if (config && !config.access.requireKey) return { policy: OPEN_POLICY };
    throw unauthorized("this gateway requires an API key: send Authorization: Bearer <key> (or x-api-key)");
  }
  if (looksLikeToken(credential)) return tokenClient(await verifyToken(credential, deps.tokenSecret, deps.now()));
  const hash = await sha256Hex(credential);
  const record = await deps.lookup(hash);
  if (record) {
    admitKey(record, deps.now());
    const id: Client = { keyName: record.name, keyId: record.id, policy: keyPolicy(record) };
    if (record.team) id.team = record.team;
    if (record.userTier) id.userTier = record.userTier;
    return id;
  }
  const key = config?.access.keys.find((k) => k.keySha256 === hash);
  if (key) {
    const id: Client = { keyName: key.name, policy: OPEN_POLICY };
    if (key.team) id.team = key.team;
    if (key.userTier) id.userTier = key.userTier;
    return id;
  }
  throw unauthorized("the API key is not known to this gateway");
}
