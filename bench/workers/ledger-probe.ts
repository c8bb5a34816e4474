/**
 * A Worker that measures how fast local D1 takes ledger entries, through the gateway's own
 * writer (writeLedgerEntry) and entries built by its own record builder: one entry per
 * db.batch (what the gateway does per request) or several entries per db.batch (what a
 * batching writer would do; the writer's statements are captured and sent together).
 * GET /?n=&per=&conc= → { entriesPerSecond, rows, ms }.
 */
import { buildLedgerEntry, type LedgerEntry } from "../../src/ledger/record";
import { writeLedgerEntry } from "../../src/storage/ledger-store";
import type { AttemptRecord } from "../../src/ledger/attempt";

interface ProbeEnv {
  LEDGER: D1Database;
}

function entry(id: string, now: number): LedgerEntry {
  const attempt: AttemptRecord = {
    seq: 0, kind: "primary", step: 0, model: "fast", provider: "up", providerKind: "openai", startedAt: now, latencyMs: 11, ttfbMs: 11,
    httpStatus: 200, ok: true, errorClass: null, errorMessage: null, checks: null,
    tokens: { input: 12, output: 20, cachedInput: 0, cacheWrite: 0, reasoning: 0, estimated: false }, costUsd: 0.0000138,
  };
  return buildLedgerEntry(
    {
      meta: { requestId: id, receivedAt: now, promptChars: 27, promptTokens: 7 },
      requestedModel: "auto", stream: false, config: null, configHash: "0123abcd",
      plan: { route: "default", strategy: "rules", reason: "default route (empty match)", requestedModel: "auto", steps: [{ model: "fast", fallbacks: [], checks: [] }] },
    },
    [attempt],
    { status: "ok", httpStatus: 200, finishReason: "stop", endedAt: now + 12, ttfbAt: now + 12, served: { model: "fast", provider: "up", providerKind: "openai", simulated: false } },
  );
}

async function writeBatched(db: D1Database, entries: LedgerEntry[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const capture = { prepare: (sql: string) => db.prepare(sql), batch: async (s: D1PreparedStatement[]) => void statements.push(...s) };
  for (const e of entries) await writeLedgerEntry(capture as unknown as D1Database, e);
  await db.batch(statements);
}

export default {
  async fetch(request: Request, env: ProbeEnv): Promise<Response> {
    const q = new URL(request.url).searchParams;
    const n = Number(q.get("n") ?? 500);
    const per = Math.max(1, Number(q.get("per") ?? 1));
    const conc = Math.max(1, Number(q.get("conc") ?? 1));
    const prefix = `probe-${crypto.randomUUID()}-`;
    let next = 0;
    const t0 = Date.now();
    const worker = async () => {
      while (next < n) {
        const from = next;
        next = Math.min(n, next + per);
        const entries = Array.from({ length: next - from }, (_, i) => entry(prefix + String(from + i), Date.now()));
        if (per === 1 && entries[0]) await writeLedgerEntry(env.LEDGER, entries[0]);
        else await writeBatched(env.LEDGER, entries);
      }
    };
    await Promise.all(Array.from({ length: conc }, worker));
    const ms = Date.now() - t0;
    const rows = await env.LEDGER.prepare("SELECT count(*) AS n FROM requests WHERE id LIKE ?1").bind(`${prefix}%`).first<{ n: number }>();
    return Response.json({ n, per, conc, ms, rows: rows?.n ?? 0, entriesPerSecond: ms > 0 ? Math.round((n / ms) * 1000) : null });
  },
};
