// Stats rollups by the Cron Trigger: the API answers the same figures from rollups, from raw rows
// and across their boundary (and as worked out by hand from the rows); the cron run twice, late or
// in pieces gives the same rollups; late feedback refolds its hour; retention deletes exactly the
// folded raw rows past it and leaves the rollups (and so the answers) as they were.
import { createScheduledController } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { runRollups } from "../../src/jobs/rollup-job";
import { HISTOGRAM_RELATIVE_ERROR } from "../../src/stats/histogram";
import type { StatsReport } from "../../src/stats/report";
import { ADMIN, baseConfig, fake, gw, putConfig } from "../support/gateway";
import { testEnv } from "../support/env";
import { type SeedRequest, seedLedger, syntheticLedger } from "../support/seed-ledger";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LAG = 10 * 60_000;
type Answer = StatsReport & { sources: Record<"day" | "hour" | "raw", string[][]> };

async function stats(query: string): Promise<Answer> {
  const res = await gw(`/admin/stats?${query}`, { headers: ADMIN });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Answer;
}

/** The figures only (the `sources` differ by design). */
const figures = ({ sources: _, ...rest }: Answer) => rest;

async function snapshot(): Promise<unknown[]> {
  const db = testEnv().LEDGER;
  const rows = await db.prepare("SELECT * FROM stats_rollups ORDER BY grain, period, cell").all();
  const marks = await db.prepare("SELECT * FROM stats_watermarks WHERE name <> 'feedback' ORDER BY name").all();
  return [rows.results, marks.results];
}

async function useConfig(): Promise<void> {
  await putConfig(baseConfig({ cheap: fake("echo", { input: 0.15, output: 0.6 }, { tier: 1 }), mid: fake("echo", { input: 1, output: 2 }, { tier: 2 }), big: fake("echo", { input: 10, output: 30 }, { tier: 3 }) }));
}

const exact = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * values.length)) - 1]!;

/** Storage persists between the tests of a file: each test starts with no rollups and none of this file's rows (all before 2025-12). */
const MINE_BEFORE = Date.UTC(2025, 11, 1);
beforeEach(async () => {
  const db = testEnv().LEDGER;
  await db.batch([
    db.prepare("DELETE FROM stats_rollups"),
    db.prepare("DELETE FROM stats_watermarks"),
    db.prepare("DELETE FROM attempts WHERE request_id IN (SELECT id FROM requests WHERE ts < ?1)").bind(MINE_BEFORE),
    db.prepare("DELETE FROM feedback WHERE request_id IN (SELECT id FROM requests WHERE ts < ?1)").bind(MINE_BEFORE),
    db.prepare("DELETE FROM requests WHERE ts < ?1").bind(MINE_BEFORE),
  ]);
});

describe("stats rollups", () => {
  it("answer the same figures as raw rows, across the boundary, and as computed by hand", async () => {
    await useConfig();
    const D0 = Date.UTC(2025, 5, 2);
    const { requests, feedback } = syntheticLedger(12, D0, 72, 12, "r1");
    await seedLedger(requests, feedback);
    // The cron ran 2 days 5 hours in: two whole days and five hours are rolled up, the rest is raw.
    const run = await runRollups(testEnv().LEDGER, { now: D0 + 2 * DAY + 5 * HOUR + LAG });
    expect(run.hourWatermark).toBe(D0 + 2 * DAY + 5 * HOUR);
    expect(run.dayWatermark).toBe(D0 + 2 * DAY);

    const window = `from=${D0 + 3 * HOUR + 17}&to=${D0 + 3 * DAY}`;
    for (const shape of ["group=route,model&interval=day", "group=route&interval=hour", "group=tier", "group=team&feature=chat,extract", ""]) {
      const auto = await stats(`${window}&${shape}`);
      const raw = await stats(`${window}&${shape}&source=raw`);
      expect(raw.sources).toEqual({ day: [], hour: [], raw: [[new Date(D0 + 3 * HOUR + 17).toISOString(), new Date(D0 + 3 * DAY).toISOString()]] });
      expect(auto.sources.hour.length, shape).toBeGreaterThan(0);
      expect(auto.sources.raw.length, shape).toBe(2);
      expect(figures(auto), shape).toEqual(figures(raw));
    }
    expect((await stats(`${window}&interval=day`)).sources.day).toEqual([[new Date(D0 + DAY).toISOString(), new Date(D0 + 2 * DAY).toISOString()]]);

    // By hand from the rows, per route, over the mixed sources.
    const r = await stats(`${window}&group=route`);
    const inWindow = requests.filter((q) => q.ts >= D0 + 3 * HOUR + 17 && q.ts < D0 + 3 * DAY);
    for (const g of r.groups) {
      const rows = inWindow.filter((q) => q.route === g.key.route);
      const ids = new Set(rows.map((q) => q.id));
      const fb = feedback.filter((f) => ids.has(f.request_id));
      const rated = fb.filter((f) => f.success !== null);
      const scored = fb.filter((f) => f.score !== null);
      const sum = (xs: SeedRequest[], k: string) => xs.reduce((s, q) => s + Number(q[k] ?? 0), 0);
      expect(g.figures.requests).toBe(rows.length);
      expect(g.figures.share).toBeCloseTo(rows.length / inWindow.length, 5);
      expect(g.figures.tokens).toEqual({ input: sum(rows, "input_tokens"), output: sum(rows, "output_tokens") });
      expect(g.figures.costUsd).toBeCloseTo(sum(rows, "cost_usd"), 8);
      expect(g.figures.baselineCostUsd).toBeCloseTo(sum(rows, "baseline_cost_usd"), 8);
      expect(g.figures.errorRate).toBeCloseTo(rows.filter((q) => q.status === "error").length / rows.length, 5);
      expect(g.figures.fallbackRate).toBeCloseTo(rows.filter((q) => Number(q.fallbacks) > 0).length / rows.length, 5);
      expect(g.figures.quality.escalationRate).toBeCloseTo(rows.filter((q) => Number(q.escalations) > 0).length / rows.length, 5);
      const checked = rows.filter((q) => q.quality === "passed" || q.quality === "failed");
      expect(g.figures.quality.checkPassRate).toBeCloseTo(checked.filter((q) => q.quality === "passed").length / checked.length, 5);
      expect(g.figures.feedback.count).toBe(fb.length);
      expect(g.figures.feedback.successRate).toBeCloseTo(rated.filter((f) => f.success === 1).length / rated.length, 5);
      expect(g.figures.feedback.meanScore).toBeCloseTo(scored.reduce((s, f) => s + Number(f.score), 0) / scored.length, 5);
      const streams = rows.filter((q) => q.stream === 1);
      expect(g.figures.partialStreamRate).toBeCloseTo(streams.filter((q) => q.status === "partial").length / streams.length, 5);
      expect(streams.some((q) => q.status === "recovered")).toBe(true);
      expect(g.figures.recoveredStreamRate).toBeCloseTo(streams.filter((q) => q.status === "recovered").length / streams.length, 5);
      for (const [col, fig] of [["latency_ms", g.figures.latencyMs], ["ttfb_ms", g.figures.ttfbMs]] as const) {
        const values = rows.map((q) => q[col]).filter((v): v is number => typeof v === "number");
        for (const [name, p] of [["p50", 0.5], ["p95", 0.95], ["p99", 0.99]] as const) {
          const want = exact(values, p);
          expect(Math.abs(fig[name]! - want), `${g.key.route} ${col} ${name}`).toBeLessThanOrEqual(want * HISTOGRAM_RELATIVE_ERROR + 0.05);
        }
      }
    }
  });

  it("are the same after a second run, a late run, or a catch-up in pieces", async () => {
    const D0 = Date.UTC(2025, 6, 7);
    const { requests, feedback } = syntheticLedger(7, D0, 50, 6, "r2");
    await seedLedger(requests, feedback);
    const db = testEnv().LEDGER;
    const now = D0 + 2 * DAY + 3 * HOUR + LAG;

    // By the Worker's own scheduled handler, twice.
    for (let i = 0; i < 2; i++) {
      await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "*/15 * * * *" }), testEnv() as never);
    }
    const first = await snapshot();
    await runRollups(db, { now });
    expect(await snapshot()).toEqual(first);
    // Late: the same hours, nothing new to fold until the clock passes another hour.
    await runRollups(db, { now: now + 30 * 60_000 });
    expect(await snapshot()).toEqual(first);

    // From scratch in one go, in small pieces: the same rows.
    await db.batch([db.prepare("DELETE FROM stats_rollups"), db.prepare("DELETE FROM stats_watermarks")]);
    for (let i = 0; i < 10; i++) await runRollups(db, { now, hoursPerFold: 4, maxFolds: 3 });
    expect(await snapshot()).toEqual(first);
    const [rows] = first as [Array<{ grain: string }>];
    expect(rows.filter((r) => r.grain === "day").length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.grain === "hour").length).toBeGreaterThan(0);
  });

  it("refold an hour whose requests got feedback after it was folded", async () => {
    await useConfig();
    const D0 = Date.UTC(2025, 7, 4);
    const { requests } = syntheticLedger(3, D0, 30, 5, "r3");
    await seedLedger(requests);
    const db = testEnv().LEDGER;
    const now = D0 + 30 * HOUR + LAG;
    await runRollups(db, { now });
    const window = `from=${D0}&to=${D0 + 30 * HOUR}&group=route`;
    const before = await stats(window);
    expect(before.sources.raw).toEqual([]);
    expect(before.total.feedback.count).toBe(0);

    const target = requests.find((q) => q.ts < D0 + 2 * HOUR)!;
    await seedLedger([], [{ request_id: target.id, ts: now + 1_000, success: 0, score: 0.1 }]);
    const run = await runRollups(db, { now: now + 60_000 });
    expect(run.hoursRefolded).toEqual([{ from: Math.floor(target.ts / HOUR) * HOUR, to: Math.floor(target.ts / HOUR) * HOUR + HOUR }]);
    const after = await stats(window);
    expect(after.total.feedback).toEqual({ count: 1, successRate: 0, meanScore: 0.1 });
    expect(figures(after)).toEqual(figures(await stats(`${window}&source=raw`)));
    // The daily rollup was refolded too.
    expect((await stats(`from=${D0}&to=${D0 + DAY}&interval=day`)).total.feedback.count).toBe(1);
  });

  it("retention deletes only folded raw rows past it, with their attempts and feedback; rollups stay", async () => {
    await useConfig();
    const now = Date.UTC(2025, 9, 20, 12, 30);
    const at = (ageMs: number, id: string): SeedRequest => ({ id, ts: now - ageMs, route: "keep", served_model: "cheap", cost_usd: 0.001, latency_ms: 100 });
    const rows = [at(40 * DAY, "old-40d"), at(30 * DAY + 2 * HOUR, "old-30d2h"), at(29 * DAY, "new-29d"), at(2 * HOUR, "new-2h"), at(60_000, "unfolded-1m")];
    await seedLedger(rows, rows.map((r) => ({ request_id: r.id, ts: r.ts + 1, success: 1 as const })), rows.map((r) => ({ request_id: r.id, seq: 0 })));
    const db = testEnv().LEDGER;
    const window = `from=${now - 41 * DAY}&to=${now - 28 * DAY}&group=route`;
    await runRollups(db, { now, retentionDays: 1_000 });
    const before = await stats(window);
    expect(before.total.requests).toBe(3);

    const run = await runRollups(db, { now, retentionDays: 30 });
    expect(run.rawDeleted).toBe(2);
    const left = async (table: string, col: string) => (await db.prepare(`SELECT ${col} AS id FROM ${table} ORDER BY ${col}`).all<{ id: string }>()).results.map((r) => r.id).filter((id) => rows.some((x) => x.id === id));
    const kept = ["new-29d", "new-2h", "unfolded-1m"];
    expect(await left("requests", "id")).toEqual(kept);
    expect(await left("attempts", "request_id")).toEqual(kept);
    expect(await left("feedback", "request_id")).toEqual(kept);
    // The rollups still answer for the deleted rows.
    expect(figures(await stats(window))).toEqual(figures(before));

    // A retention shorter than the lag never deletes a row not yet folded.
    await runRollups(db, { now, retentionDays: 0.0001 });
    expect(await left("requests", "id")).toEqual(["unfolded-1m"]);
  });
});
