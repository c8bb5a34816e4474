/**
 * A route's exact response cache on the request path: look the request up before it is planned
 * for upstream work, serve a hit as a normal answer (a stream replayed chunk by chunk for a
 * streaming client), and store a fresh answer once it is whole — after the response, in waitUntil.
 * `cache-control: no-cache` looks past the cache and refreshes the entry with the fresh answer;
 * `no-store` neither reads nor writes.
 */
import type { Context } from "hono";
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletion, ChatCompletionChunk } from "../core/chat-response";
import { arraySource, type ChunkSource } from "../core/chunk-source";
import type { Route } from "../config/schema";
import type { AppEnv } from "../env";
import { cacheScope, exactCacheKey, uncacheableReason } from "../cache/key";
import { completionFromChunks, type CacheEntry, type CacheNote } from "../cache/entry";
import type { AttemptRecord, Quality } from "../ledger/attempt";
import type { RecordContext } from "../ledger/record";
import { readCacheEntry, writeCacheEntry } from "../storage/response-cache";
import type { Served, StreamEnd } from "../execution/types";
import { completionChunks } from "../execution/replay-stream";

export const CACHE_HEADER = "x-tiergate-cache";
export const CACHE_SOURCE_HEADER = "x-tiergate-cache-source";

export interface CacheSession {
  note: CacheNote;
  /** A hit: the entry to serve. */
  entry: CacheEntry | null;
  headers(): Record<string, string>;
  /** Stores a finished non-stream answer (after the response). */
  storeCompletion(completion: ChatCompletion, served: Served, attempts: AttemptRecord[], quality: Quality): void;
  /** Watches a stream's chunks; stores the whole answer if the stream finishes cleanly. */
  watchStream(source: ChunkSource, finished: Promise<StreamEnd>, served: Served, attempts: AttemptRecord[], quality: Quality): ChunkSource;
}

function directive(c: Context<AppEnv>): "no-store" | "no-cache" | null {
  const cc = (c.req.header("cache-control") ?? "").toLowerCase();
  if (/(^|[\s,])no-store($|[\s,=])/.test(cc)) return "no-store";
  if (/(^|[\s,])no-cache($|[\s,=])/.test(cc)) return "no-cache";
  return null;
}

/** The served answer's own call: its tokens and upstream cost are what a later hit does not spend. */
function servedCall(attempts: AttemptRecord[], served: Served): AttemptRecord | undefined {
  return attempts.filter((a) => a.ok && a.model === served.model && a.kind !== "sample" && a.kind !== "classifier").at(-1);
}

/** null: the route has no cache (or the binding is absent). */
export async function openCache(c: Context<AppEnv>, request: ChatRequest, route: Route | null, rec: RecordContext): Promise<CacheSession | null> {
  const spec = route?.cache;
  const kv = c.env.RESPONSE_CACHE;
  if (!spec || !route || !kv) return null;
  const scope = cacheScope(spec, rec.meta);
  const skip = scope === null ? "anonymous caller" : uncacheableReason(spec, request);
  const cc = directive(c);
  const note: CacheNote = skip ? { status: "skip", kind: "exact", reason: skip } : { status: cc === "no-store" ? "bypass" : cc === "no-cache" ? "refresh" : "miss", kind: "exact" };
  const key = note.status === "skip" || note.status === "bypass" ? null : await exactCacheKey(request, route.name, rec.configHash ?? "", scope as string);
  const now = Date.now();
  const entry = key && note.status === "miss" ? await readCacheEntry(kv, key, now) : null;
  if (entry) Object.assign(note, { status: "hit", sourceRequestId: entry.sourceRequestId, ageMs: Math.max(0, now - entry.storedAt), tokens: entry.tokens, savedUsd: entry.costUsd });
  rec.cache = note;

  const store = (completion: ChatCompletion, served: Served, attempts: AttemptRecord[], quality: Quality) => {
    const call = servedCall(attempts, served);
    // A downgraded plan (budget) or an answer that failed its checks is served, never stored.
    if (!key || !call || quality === "failed" || rec.plan?.reason.startsWith("downgraded")) return;
    const storedAt = Date.now();
    const fresh: CacheEntry = {
      v: 1, storedAt, expiresAt: storedAt + spec.ttlSeconds * 1000, sourceRequestId: rec.meta.requestId,
      served: { model: served.model, provider: served.provider, providerKind: served.providerKind, simulated: served.simulated },
      completion, tokens: call.tokens, costUsd: call.costUsd,
    };
    c.executionCtx.waitUntil(writeCacheEntry(kv, key, fresh, spec.maxEntryBytes));
  };

  return {
    note,
    entry,
    headers() {
      const h: Record<string, string> = { [CACHE_HEADER]: note.status };
      if (note.status === "hit") {
        h.age = String(Math.floor((note.ageMs ?? 0) / 1000));
        if (note.sourceRequestId) h[CACHE_SOURCE_HEADER] = note.sourceRequestId;
      }
      return h;
    },
    storeCompletion: store,
    watchStream(source, finished, served, attempts, quality) {
      if (!key) return source;
      const chunks: ChatCompletionChunk[] = [];
      c.executionCtx.waitUntil(
        finished.then((end) => {
          const completion = end.status === "ok" ? completionFromChunks(chunks) : null;
          if (completion) store(completion, served, attempts, quality);
        }),
      );
      return {
        read: async () => {
          const r = await source.read();
          if (!r.done) chunks.push(r.value);
          return r;
        },
        cancel: (reason) => source.cancel(reason),
      };
    },
  };
}

/** A hit's answer as the client asked for it: the stored completion, or its chunks for a streaming client. */
export function hitSource(entry: CacheEntry): ChunkSource {
  return arraySource(completionChunks(entry.completion));
}
