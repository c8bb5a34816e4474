/**
 * A 5-minute D1 outage, simulated on a clock that follows the queue's own retry delays: every
 * delivery fails, the queue gives up after max_retries and dead-letters the entries, the
 * dead-letter consumer (D1 still down) parks them in KV, and once D1 is back POST
 * /admin/ledger/replay writes them all — once: a second replay changes nothing.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LedgerEntry } from "../../src/ledger/record";
import { consumeDeadLetters, LEDGER_DLQ } from "../../src/storage/ledger-dead-letters";
import { consumeLedgerBatch } from "../../src/storage/ledger-queue";
import { readLedgerEntry } from "../../src/storage/ledger-store";
import { KV_LEDGER_DLQ_PREFIX } from "../../src/storage/kv-keys";
import { ADMIN, gw } from "../support/gateway";
import { testEnv } from "../support/env";

const OUTAGE_MS = 5 * 60_000;
/** The consumer's max_retries in wrangler.toml: a message is delivered up to this many times + 1. */
const MAX_RETRIES = 10;

const entry = (id: string): LedgerEntry => ({
  request: {
    id, kind: "chat", ts: Date.now(), route: "default", strategy: "rules", reason: "test", feature: null, keyName: null, team: null, userTier: null,
    requestedModel: "auto", servedModel: "m", provider: "p", providerKind: "simulator", simulated: true, stream: false, status: "ok",
    httpStatus: 200, errorClass: null, errorMessage: null, finishReason: "stop",
    tokens: { input: 10, output: 5, cachedInput: 0, cacheWrite: 0, reasoning: 0, estimated: false },
    costUsd: 0.001, baselineModel: "b", baselineCostUsd: 0.002, latencyMs: 12, ttfbMs: 12, attempts: 1, fallbacks: 0, escalations: 0,
    plan: null, configHash: null, quality: "unchecked", classifier: null, classifierTier: null, classifierScore: null, headScore: null, features: null, explored: false, thresholdsSource: null, proposalId: null, proposalTier: null, shadowModel: null, shadowCostUsd: null, seams: null, droppedBlocks: 0,
  },
  attempts: [{
    seq: 0, kind: "primary", step: 0, model: "m", provider: "p", providerKind: "simulator", startedAt: Date.now(), latencyMs: 12, ttfbMs: 12,
    httpStatus: 200, ok: true, errorClass: null, errorMessage: null, tokens: { input: 10, output: 5, cachedInput: 0, cacheWrite: 0, reasoning: 0, estimated: false }, costUsd: 0.001, checks: null,
  }],
});

/** The real D1, unreachable until the simulated clock passes `until`. */
function outageDb(real: D1Database, clock: { now: number }, until: number): D1Database {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "batch") return async (stmts: D1PreparedStatement[]) => {
        if (clock.now < until) throw new Error("D1_ERROR: Network connection lost (simulated outage)");
        return target.batch(stmts);
      };
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

afterEach(() => vi.restoreAllMocks());

describe("a 5-minute D1 outage loses no ledger entry", () => {
  it("dead-letters, parks, and replays every entry exactly once", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    const env = testEnv();
    const clock = { now: 0 };
    const db = outageDb(env.LEDGER, clock, OUTAGE_MS);
    const ids = Array.from({ length: 25 }, () => `req_dlq${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`);

    // The queue delivers, the consumer retries with its delays, until max_retries is used up.
    let pending = ids.map((id) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: entry(id) as unknown }));
    for (let delivery = 1; delivery <= MAX_RETRIES + 1 && pending.length > 0; delivery++) {
      const batch = createMessageBatch("tiergate-ledger", pending);
      const ctx = createExecutionContext();
      await consumeLedgerBatch(batch, db);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([]);
      const retried = new Set(result.retryMessages.map((r: { msgId: string }) => r.msgId));
      const delay = Math.max(...result.retryMessages.map((r: { delaySeconds?: number }) => r.delaySeconds ?? 0));
      pending = pending.filter((m) => retried.has(m.id)).map((m) => ({ ...m, attempts: m.attempts + 1 }));
      clock.now += delay * 1000;
    }
    // Every entry outlived the retries, well inside the outage.
    expect(pending).toHaveLength(ids.length);
    expect(clock.now).toBeLessThan(OUTAGE_MS);

    // The dead-letter consumer: D1 still down, so each entry is parked in KV and acked.
    const dlq = createMessageBatch(LEDGER_DLQ, pending.map((m) => ({ ...m, attempts: 1 })));
    const dlqCtx = createExecutionContext();
    await consumeDeadLetters(dlq, db, env.CONFIG);
    expect((await getQueueResult(dlq, dlqCtx)).explicitAcks).toHaveLength(ids.length);
    for (const id of ids) {
      expect(await readLedgerEntry(env.LEDGER, id)).toBeNull();
      expect(await env.CONFIG.get(KV_LEDGER_DLQ_PREFIX + id)).not.toBeNull();
    }

    // D1 is back: the admin replay writes them all, and a second replay finds nothing to do.
    clock.now = OUTAGE_MS + 1;
    const first = await gw("/admin/ledger/replay", { method: "POST", headers: ADMIN });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { replayed: number; failed: number }).failed).toBe(0);
    for (const id of ids) {
      expect((await readLedgerEntry(env.LEDGER, id))?.attempts).toHaveLength(1);
      expect(await env.CONFIG.get(KV_LEDGER_DLQ_PREFIX + id)).toBeNull();
    }
    const second = (await (await gw("/admin/ledger/replay", { method: "POST", headers: ADMIN })).json()) as { replayed: number };
    expect(second.replayed).toBe(0);
    const counted = await env.LEDGER.prepare(`SELECT COUNT(*) AS n FROM requests WHERE id IN (${ids.map(() => "?").join(",")})`).bind(...ids).first<{ n: number }>();
    expect(counted?.n).toBe(ids.length);
  });

  it("replaying an entry D1 already has is harmless (written by INSERT OR IGNORE)", async () => {
    const env = testEnv();
    const id = `req_dup${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const dlq = createMessageBatch(LEDGER_DLQ, [{ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: entry(id) }]);
    await consumeDeadLetters(dlq, env.LEDGER, env.CONFIG);
    expect(await readLedgerEntry(env.LEDGER, id)).not.toBeNull();
    await env.CONFIG.put(KV_LEDGER_DLQ_PREFIX + id, JSON.stringify(entry(id)));
    const res = (await (await gw("/admin/ledger/replay", { method: "POST", headers: ADMIN })).json()) as { replayed: number };
    expect(res.replayed).toBeGreaterThanOrEqual(1);
    const n = await env.LEDGER.prepare("SELECT COUNT(*) AS n FROM requests WHERE id = ?1").bind(id).first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it("the replay needs the admin token", async () => {
    expect((await gw("/admin/ledger/replay", { method: "POST" })).status).toBe(401);
  });
});
