/**
 * Gateway key records in KV (namespace CONFIG), outside the routing document:
 *   gatewaykey:<sha256 of the secret>  → the record (one read on the request path)
 *   gatewaykey-id:<id>                 → the sha256 of the key's current secret (admin lookups)
 * Each isolate caches lookups (hits and misses) for `ttlMs`. A change made through the admin API
 * clears that isolate's entry at once; other isolates see it when their entry expires, after KV
 * has propagated it (KV is eventually consistent: up to ~60 s across locations). Revocation
 * therefore takes effect within ttl (KEY_CACHE_TTL_SECONDS, default 10 s) + KV propagation.
 */
import type { GatewayKeyRecord } from "../access/gateway-key";
import { KV_GATEWAY_KEY_ID_PREFIX, KV_GATEWAY_KEY_ORIGIN_PREFIX, KV_GATEWAY_KEY_PREFIX } from "./kv-keys";

/** Rotated-away secrets stay readable (so the 401 can say "rotated") for this long. */
const ROTATED_TOMBSTONE_SECONDS = 30 * 24 * 3600;
const MAX_CACHED = 2_000;

const cache = new Map<string, { record: GatewayKeyRecord | null; expiresAt: number }>();

export function resetKeyCache(): void {
  cache.clear();
  originCache.clear();
}

export interface KeyLookupOptions {
  ttlMs: number;
  now(): number;
}

/** The record for a secret's hash, or null; through the isolate cache. */
export async function lookupKey(kv: KVNamespace, sha256: string, opts: KeyLookupOptions): Promise<GatewayKeyRecord | null> {
  const now = opts.now();
  const hit = cache.get(sha256);
  if (hit && now < hit.expiresAt) return hit.record;
  const record = await kv.get<GatewayKeyRecord>(KV_GATEWAY_KEY_PREFIX + sha256, "json");
  if (opts.ttlMs > 0) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(sha256, { record, expiresAt: now + opts.ttlMs });
  }
  return record;
}

export async function readKeyById(kv: KVNamespace, id: string): Promise<GatewayKeyRecord | null> {
  const sha = await kv.get(KV_GATEWAY_KEY_ID_PREFIX + id);
  return sha ? kv.get<GatewayKeyRecord>(KV_GATEWAY_KEY_PREFIX + sha, "json") : null;
}

/** Writes the record and points its id at it. */
export async function writeKey(kv: KVNamespace, record: GatewayKeyRecord): Promise<void> {
  await kv.put(KV_GATEWAY_KEY_PREFIX + record.secretSha256, JSON.stringify(record));
  await kv.put(KV_GATEWAY_KEY_ID_PREFIX + record.id, record.secretSha256);
  // Origins are only ever added to the preflight index: a stale entry lets a preflight through,
  // and the request itself is still checked against its key's own list.
  for (const origin of record.origins ?? []) {
    await kv.put(KV_GATEWAY_KEY_ORIGIN_PREFIX + origin, "1");
    originCache.delete(origin);
  }
  cache.delete(record.secretSha256);
}

const originCache = new Map<string, { known: boolean; expiresAt: number }>();

/** Whether some gateway key lists this origin (preflights), through an isolate cache like key lookups. */
export async function originKnown(kv: KVNamespace, origin: string, opts: KeyLookupOptions): Promise<boolean> {
  const now = opts.now();
  const hit = originCache.get(origin);
  if (hit && now < hit.expiresAt) return hit.known;
  const known = (await kv.get(KV_GATEWAY_KEY_ORIGIN_PREFIX + origin)) !== null;
  if (opts.ttlMs > 0) {
    if (originCache.size >= MAX_CACHED) originCache.delete(originCache.keys().next().value as string);
    originCache.set(origin, { known, expiresAt: now + opts.ttlMs });
  }
  return known;
}

/** Keeps the old secret's record as a tombstone (refused as rotated), then stores the new one. */
export async function replaceKey(kv: KVNamespace, old: GatewayKeyRecord, next: GatewayKeyRecord): Promise<void> {
  await kv.put(KV_GATEWAY_KEY_PREFIX + old.secretSha256, JSON.stringify({ ...old, rotatedAt: next.updatedAt }), { expirationTtl: ROTATED_TOMBSTONE_SECONDS });
  cache.delete(old.secretSha256);
  await writeKey(kv, next);
}

/** Every current key record (admin listing; KV list is eventually consistent too). */
export async function listKeys(kv: KVNamespace): Promise<GatewayKeyRecord[]> {
  const out: GatewayKeyRecord[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown> = await kv.list({ prefix: KV_GATEWAY_KEY_ID_PREFIX, ...(cursor ? { cursor } : {}) });
    const records = await Promise.all(page.keys.map((k) => readKeyById(kv, k.name.slice(KV_GATEWAY_KEY_ID_PREFIX.length))));
    for (const r of records) if (r) out.push(r);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
