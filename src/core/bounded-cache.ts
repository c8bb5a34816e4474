/**
 * A per-isolate cache bounded by bytes, not entries (a Worker isolate has 128 MB): each entry is
 * charged an estimate of what it holds, the least recently used entries are evicted first, and an
 * entry larger than `maxEntryBytes` is never kept.
 */
export interface BoundedCacheOptions {
  maxBytes: number;
  /** Entries estimated above this are computed each time instead of kept; default maxBytes / 8. */
  maxEntryBytes?: number;
}

export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;
  readonly maxBytes: number;
  readonly maxEntryBytes: number;

  constructor({ maxBytes, maxEntryBytes = Math.floor(maxBytes / 8) }: BoundedCacheOptions) {
    this.maxBytes = maxBytes;
    this.maxEntryBytes = maxEntryBytes;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Most recently used goes last (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Keeps the value if it fits; `bytes` is the estimate of the value (the key is charged too). */
  set(key: string, value: V, bytes: number): void {
    const cost = bytes + key.length * 2;
    this.delete(key);
    if (cost > this.maxEntryBytes) return;
    while (this.used + cost > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.entries.set(key, { value, bytes: cost });
    this.used += cost;
  }

  delete(key: string): void {
    const hit = this.entries.get(key);
    if (!hit) return;
    this.entries.delete(key);
    this.used -= hit.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  /** Bytes charged to the entries kept now. */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }
}
