/**
 * The exact response cache's store: Workers KV, in its own namespace (binding RESPONSE_CACHE), so
 * tenant answers never share a namespace with the config and can be purged at once. KV because an
 * entry stored in one location is served in all of them (the Cache API is per data centre: a
 * gateway spread over many locations would fill one cache per location), values up to 25 MiB, and
 * it works on workers.dev. Its costs: writes are billed (one per stored miss) and eventually
 * consistent (up to ~60 s before another location sees a new or refreshed entry); KV's shortest
 * expiry is 60 s, so the entry's own `expiresAt` is what decides, checked on every read.
 */
import type { CacheEntry } from "../cache/entry";
import { logEvent } from "../core/log";

/** KV refuses `expirationTtl` below 60 s. */
const KV_MIN_TTL_SECONDS = 60;

export async function readCacheEntry(kv: KVNamespace, key: string, now: number): Promise<CacheEntry | null> {
  let entry: CacheEntry | null;
  try {
    entry = await kv.get<CacheEntry>(key, "json");
  } catch (e) {
    // A broken read is a miss, never an error for the client.
    logEvent("warn", "cache_read_failed", { error: String(e) });
    return null;
  }
  if (!entry || entry.v !== 1 || typeof entry.expiresAt !== "number" || entry.expiresAt <= now) return null;
  return entry;
}

/** Stores `entry` unless its JSON is over `maxBytes`; returns whether it was stored. */
export async function writeCacheEntry(kv: KVNamespace, key: string, entry: CacheEntry, maxBytes: number): Promise<boolean> {
  const body = JSON.stringify(entry);
  const bytes = new TextEncoder().encode(body).byteLength;
  if (bytes > maxBytes) return false;
  const ttl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil((entry.expiresAt - entry.storedAt) / 1000));
  try {
    await kv.put(key, body, { expirationTtl: ttl });
    return true;
  } catch (e) {
    // KV allows one write per second per key: concurrent identical misses may lose the race, harmlessly.
    logEvent("warn", "cache_write_failed", { error: String(e) });
    return false;
  }
}
