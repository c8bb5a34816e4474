/** The ledger queue: batches written in one round trip, nothing dropped when writes or sends fail. */
import { createMessageBatch, createExecutionContext, getQueueResult } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { LedgerEntry } from "../../src/ledger/record";
import { consumeLedgerBatch, LEDGER_MAX_ATTEMPTS, ledgerSink } from "../../src/storage/ledger-queue";
import { readLedgerEntry } from "../../src/storage/ledger-store";
import { testEnv } from "../support/env";

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
const uid = (p: string) => `req_${p}${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
const message = (body: unknown, attempts = 1) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body });

/** A D1 stand-in whose batch fails when it contains the poison id, recording what it wrote. */
function poisonedDb(poison: string) {
  const written: string[] = [];
  const db = {
    prepare: () => ({ bind: (...values: unknown[]) => ({ values }) }),
    batch: async (stmts: Array<{ values: unknown[] }>) => {
      if (stmts.some((s) => s.values.includes(poison))) throw new Error("D1 is unhappy with this entry");
      for (const s of stmts) if (typeof s.values[0] === "string" && String(s.values[0]).startsWith("req_") && s.values.length > 20) written.push(String(s.values[0]));
      return [];
    },
  };
  return { db: db as unknown as D1Database, written };
}

afterEach(() => vi.restoreAllMocks());

describe("the ledger queue consumer", () => {
  it("writes a delivered batch to D1 and acks every message", async () => {
    const ids = [uid("a"), uid("b"), uid("c")];
    const batch = createMessageBatch("tiergate-ledger", ids.map((id) => message(entry(id))));
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv());
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.length).toBe(3);
    expect(result.retryMessages).toEqual([]);
    for (const id of ids) expect((await readLedgerEntry(testEnv().LEDGER, id))?.attempts).toHaveLength(1);
  });

  it("writes the good entries of a batch one by one when one entry fails, and retries only that one", async () => {
    const [good1, bad, good2] = [uid("g"), uid("x"), uid("h")];
    const { db, written } = poisonedDb(bad);
    const msgs = [message(entry(good1)), message(entry(bad)), message(entry(good2))];
    const batch = createMessageBatch("tiergate-ledger", msgs);
    const ctx = createExecutionContext();
    await consumeLedgerBatch(batch, db);
    const result = await getQueueResult(batch, ctx);
    expect(written.sort()).toEqual([good1, good2].sort());
    expect(result.retryMessages.map((r: { msgId: string }) => r.msgId)).toEqual([msgs[1]?.id]);
    expect(result.explicitAcks.sort()).toEqual([msgs[0]?.id, msgs[2]?.id].sort());
  });

  it("on its last delivery an entry is logged whole and retried into the dead-letter queue, never acked", async () => {
    const bad = uid("z");
    const { db } = poisonedDb(bad);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const msg = message(entry(bad), LEDGER_MAX_ATTEMPTS);
    const batch = createMessageBatch("tiergate-ledger", [msg]);
    const ctx = createExecutionContext();
    await consumeLedgerBatch(batch, db);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((r: { msgId: string }) => r.msgId)).toEqual([msg.id]);
    const logged = errors.mock.calls.map((c) => String(c[0])).find((l) => l.includes("ledger_write_failed"));
    expect(logged).toBeDefined();
    expect(JSON.parse(logged as string).entry.request.id).toBe(bad);
  });

  it("acks and logs a malformed message instead of retrying it forever", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const msg = message({ not: "an entry" });
    const batch = createMessageBatch("tiergate-ledger", [msg]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv());
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([msg.id]);
    expect(errors.mock.calls.some((c) => String(c[0]).includes("ledger_message_malformed"))).toBe(true);
  });
});

describe("the ledger sink on the request path", () => {
  it("writes directly when the queue refuses the entry", async () => {
    const id = uid("q");
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const failingQueue = { send: async () => { throw new Error("queue unavailable"); } } as unknown as Queue;
    await ledgerSink(testEnv().LEDGER, failingQueue).write(entry(id));
    expect((await readLedgerEntry(testEnv().LEDGER, id))?.request).toMatchObject({ id, status: "ok" });
  });

  it("writes directly when there is no queue binding", async () => {
    const id = uid("n");
    await ledgerSink(testEnv().LEDGER, undefined).write(entry(id));
    expect(await readLedgerEntry(testEnv().LEDGER, id)).not.toBeNull();
  });
});
