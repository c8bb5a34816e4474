/**
 * Ledger entries that outlived the queue's retries (a D1 outage longer than about 90 s): the
 * queue moves them to its dead-letter queue (`tiergate-ledger-dlq` in wrangler.toml), whose
 * consumer writes them to D1 when it can and otherwise parks each in KV (`ledger-dlq:<request id>`,
 * a store that does not share D1's outage). `POST /admin/ledger/replay` writes the parked entries
 * once D1 is back and removes them; writes are INSERT OR IGNORE on ids, so a replay run twice, or
 * an entry that was written after all, changes nothing.
 */
import type { LedgerEntry } from "../ledger/record";
import { logEvent } from "../core/log";
import { KV_LEDGER_DLQ_PREFIX } from "./kv-keys";
import { isLedgerEntry, writeDeliveredBatch } from "./ledger-queue";
import { logUnwritten, writeLedgerBatch } from "./ledger-store";

export const LEDGER_DLQ = "tiergate-ledger-dlq";
/** Parked entries expire from KV after this long if nobody replays them (KV needs at least 60 s). */
export const PARKED_TTL_SECONDS = 30 * 24 * 3600;
const PARK_RETRY_SECONDS = 60;
/** Entries replayed per D1 batch, and per call to the replay endpoint. */
const REPLAY_BATCH = 50;
export const REPLAY_MAX_PER_CALL = 1_000;

export async function consumeDeadLetters(batch: MessageBatch<unknown>, db: D1Database, kv: KVNamespace): Promise<void> {
  const valid = await writeDeliveredBatch(batch, db, "ledger_dead_letters_parked");
  for (const m of valid) {
    const entry = m.body as LedgerEntry;
    try {
      await kv.put(KV_LEDGER_DLQ_PREFIX + entry.request.id, JSON.stringify(entry), { expirationTtl: PARKED_TTL_SECONDS });
      m.ack();
    } catch (err) {
      logUnwritten(entry, err);
      m.retry({ delaySeconds: PARK_RETRY_SECONDS });
    }
  }
}

export interface ReplayResult {
  /** Entries written to D1 (or found there already) and removed from KV. */
  replayed: number;
  /** Entries that could not be written this time (still parked). */
  failed: number;
  /** More parked entries remain beyond this call's limit. */
  more: boolean;
}

export async function replayDeadLetters(db: D1Database, kv: KVNamespace, limit = REPLAY_MAX_PER_CALL): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: 0, failed: 0, more: false };
  let cursor: string | undefined;
  let seen = 0;
  for (;;) {
    const page = await kv.list({ prefix: KV_LEDGER_DLQ_PREFIX, limit: Math.min(REPLAY_BATCH, limit - seen), ...(cursor ? { cursor } : {}) });
    const parked: Array<{ key: string; entry: LedgerEntry }> = [];
    for (const k of page.keys) {
      const text = await kv.get(k.name);
      if (text === null) continue;
      try {
        const entry: unknown = JSON.parse(text);
        if (isLedgerEntry(entry)) parked.push({ key: k.name, entry });
      } catch {
        logEvent("error", "ledger_parked_unreadable", { key: k.name });
      }
    }
    seen += page.keys.length;
    try {
      await writeLedgerBatch(db, parked.map((p) => p.entry));
      await Promise.all(parked.map((p) => kv.delete(p.key)));
      result.replayed += parked.length;
    } catch (err) {
      result.failed += parked.length;
      logEvent("warn", "ledger_replay_failed", { size: parked.length, error: String(err) });
    }
    if (page.list_complete) return result;
    if (seen >= limit) {
      result.more = true;
      return result;
    }
    cursor = page.cursor;
  }
}
