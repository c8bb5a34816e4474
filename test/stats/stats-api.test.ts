// GET /admin/stats over raw ledger rows: every figure computed by hand from seeded rows (a window
// in January 2026 no other test writes to), percentiles against the exact nearest-rank value within the
// histogram's stated error, grouping on one and two levels, hourly periods, filters, bad input.
import { beforeAll, describe, expect, it } from "vitest";
import type { Figures } from "../../src/stats/figures";
import { HISTOGRAM_RELATIVE_ERROR } from "../../src/stats/histogram";
import type { StatsReport } from "../../src/stats/report";
import { STATS_DEFINITIONS, STATS_DEFINITIONS_VERSION } from "../../src/stats/definitions";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, userMessage } from "../support/gateway";
import { seedLedger } from "../support/seed-ledger";
import { testEnv } from "../support/env";
import { runRollups } from "../../src/jobs/rollup-job";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 6, 10); // an hour boundary
const H1 = T0 + HOUR;
const WINDOW = `from=${new Date(T0).toISOString()}&to=${T0 + 2 * HOUR}`;

const base = { provider: "up", team: "t1", key_name: "k1", feature: "f1", stream: 0 };
const ROWS = [
  // route A, hour 0: a tier-1 answer that passed its check; one that failed it, escalated to big, and was served anyway.
  { ...base, id: "s1-a1", ts: T0 + 1, route: "A", served_model: "cheap", input_tokens: 100, output_tokens: 50, cost_usd: 0.001, baseline_cost_usd: 0.01, latency_ms: 100, ttfb_ms: 40, quality: "passed", classifier_tier: 1 },
  { ...base, id: "s1-a2", ts: T0 + 2, route: "A", served_model: "big", stream: 1, input_tokens: 200, output_tokens: 100, cost_usd: 0.012, baseline_cost_usd: 0.02, latency_ms: 200, ttfb_ms: 50, quality: "failed", escalations: 1, classifier_tier: 1 },
  // route A, hour 1: a stream cut after content (negative feedback); a request no model answered, after a fallback.
  { ...base, id: "s1-a3", ts: H1 + 5, route: "A", served_model: "cheap", stream: 1, status: "partial" as const, input_tokens: 50, output_tokens: 10, cost_usd: 0.0005, baseline_cost_usd: 0.005, latency_ms: 300, ttfb_ms: 30, classifier_tier: 1 },
  { ...base, id: "s1-a4", ts: H1 + 6, route: "A", provider: null, status: "error" as const, latency_ms: 50, fallbacks: 1 },
  // route B (team t2, feature f2): a shadow-mode request that passed its check, with two feedback reports; a request the client left.
  { ...base, id: "s1-b1", ts: H1 + 7, route: "B", team: "t2", feature: "f2", served_model: "big", cost_usd: 0.008, baseline_cost_usd: 0.008, latency_ms: 1000, ttfb_ms: 100, quality: "passed", shadow_model: "cheap", shadow_cost_usd: 0.0004 },
  { ...base, id: "s1-b2", ts: T0 + 8, route: "B", team: "t2", feature: "f2", served_model: "big", status: "aborted" as const, cost_usd: 0.001, baseline_cost_usd: 0.001, latency_ms: 20 },
  // Outside the window: just before it, and at `to` (exclusive).
  { ...base, id: "s1-out1", ts: T0 - 1, route: "A", served_model: "cheap", cost_usd: 5, latency_ms: 1 },
  { ...base, id: "s1-out2", ts: T0 + 2 * HOUR, route: "A", served_model: "cheap", cost_usd: 5, latency_ms: 1 },
];
const FEEDBACK = [
  { request_id: "s1-a3", ts: H1 + 100, success: 0 as const, score: 0.2 },
  { request_id: "s1-b1", ts: H1 + 100, success: 1 as const, score: 0.9 },
  { request_id: "s1-b1", ts: H1 + 200, success: null, score: 0.5 },
];

/** The exact nearest-rank percentile of a list, the figure the histogram approximates. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

function expectPercentiles(got: Figures["latencyMs"], values: number[]): void {
  for (const [name, p] of [["p50", 0.5], ["p95", 0.95], ["p99", 0.99]] as const) {
    const exact = exactPercentile(values, p);
    const value = got[name];
    expect(value, name).not.toBeNull();
    expect(Math.abs(value! - exact), `${name}: ${value} vs exact ${exact}`).toBeLessThanOrEqual(exact * HISTOGRAM_RELATIVE_ERROR + 0.05);
  }
}

async function stats(query: string): Promise<StatsReport> {
  const res = await gw(`/admin/stats?${query}`, { headers: ADMIN });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as StatsReport;
}

const groupOf = (r: StatsReport, key: Record<string, string | null>) => {
  const g = r.groups.find((x) => JSON.stringify(x.key) === JSON.stringify(key));
  if (!g) throw new Error(`no group ${JSON.stringify(key)} in ${JSON.stringify(r.groups.map((x) => x.key))}`);
  return g;
};

beforeAll(async () => {
  await putConfig(baseConfig({ cheap: fake("echo", { input: 0.15, output: 0.6 }, { tier: 1 }), big: fake("echo", { input: 10, output: 30 }, { tier: 3 }) }));
  await seedLedger(ROWS, FEEDBACK);
});

describe("GET /admin/stats over raw rows", () => {
  it("computes every figure of each route as worked out by hand", async () => {
    const r = await stats(`${WINDOW}&group=route`);
    expect(r.definitionsVersion).toBe(STATS_DEFINITIONS_VERSION);
    expect(r.groups.map((g) => g.key)).toEqual([{ route: "A" }, { route: "B" }]); // by cost, highest first

    const a = groupOf(r, { route: "A" }).figures;
    expect(a).toMatchObject({
      requests: 4,
      share: 0.666667,
      tokens: { input: 350, output: 160 },
      costUsd: 0.0135,
      baselineCostUsd: 0.035,
      savingsUsd: 0.0215,
      savingsPct: 61.4286,
      tiers: {
        "1": { requests: 2, trafficShare: 0.5, costUsd: 0.0015, costShare: 0.111111 },
        "3": { requests: 1, trafficShare: 0.25, costUsd: 0.012, costShare: 0.888889 },
        unknown: { requests: 1, trafficShare: 0.25, costUsd: 0, costShare: 0 },
      },
      quality: { checked: 2, passed: 1, checkPassRate: 0.5, escalated: 1, escalationRate: 0.25, servedFailed: 1, servedFailedRate: 0.5 },
      feedback: { count: 1, successRate: 0, meanScore: 0.2 },
      // a1 passed, a2 failed and escalated, a3 got negative feedback: three judged, one agreed.
      routingAccuracy: { classified: 3, judged: 3, agreed: 1, rate: 0.333333 },
      fallbackRate: 0.25,
      errorRate: 0.25,
      partialStreamRate: 0.5,
      abortedRate: 0,
      shadow: null,
    });
    expectPercentiles(a.latencyMs, [100, 200, 300, 50]);
    expectPercentiles(a.ttfbMs, [40, 50, 30]);

    const b = groupOf(r, { route: "B" }).figures;
    expect(b).toMatchObject({
      requests: 2,
      share: 0.333333,
      costUsd: 0.009,
      baselineCostUsd: 0.009,
      savingsUsd: 0,
      savingsPct: 0,
      tiers: { "3": { requests: 2, trafficShare: 1, costUsd: 0.009, costShare: 1 } },
      quality: { checked: 1, passed: 1, checkPassRate: 1, escalated: 0, escalationRate: 0, servedFailed: 0, servedFailedRate: 0 },
      feedback: { count: 2, successRate: 1, meanScore: 0.7 },
      routingAccuracy: { classified: 0, judged: 0, rate: null },
      partialStreamRate: null,
      abortedRate: 0.5,
      shadow: { requests: 1, actualCostUsd: 0.008, projectedCostUsd: 0.0004, projectedSavingsUsd: 0.0076, projectedSavingsPct: 95 },
    });
    expectPercentiles(b.latencyMs, [1000, 20]);
    expectPercentiles(b.ttfbMs, [100]);

    // The total is the whole window, the rows outside it excluded.
    expect(r.total).toMatchObject({ requests: 6, share: 1, costUsd: 0.0225, baselineCostUsd: 0.044, feedback: { count: 3 } });
    expectPercentiles(r.total.latencyMs, [100, 200, 300, 50, 1000, 20]);
  });

  it("splits by hour, each period's share taken of that period's requests", async () => {
    const r = await stats(`${WINDOW}&group=route&interval=hour`);
    const a = groupOf(r, { route: "A" });
    expect(a.intervals?.map((p) => [p.start, p.end, p.figures.requests, p.figures.share, p.figures.costUsd])).toEqual([
      [new Date(T0).toISOString(), new Date(H1).toISOString(), 2, 0.666667, 0.013],
      [new Date(H1).toISOString(), new Date(H1 + HOUR).toISOString(), 2, 0.666667, 0.0005],
    ]);
    expect(groupOf(r, { route: "B" }).intervals?.map((p) => p.figures.requests)).toEqual([1, 1]);
    const day = await stats(`${WINDOW}&interval=day`);
    expect(day.groups).toHaveLength(1);
    expect(day.groups[0]!.intervals?.map((p) => [p.figures.requests, p.figures.costUsd])).toEqual([[6, 0.0225]]);
  });

  it("groups on two levels and by tier", async () => {
    const r = await stats(`${WINDOW}&group=route,model`);
    expect(r.groups.map((g) => [g.key, g.figures.requests, g.figures.costUsd])).toEqual([
      [{ route: "A", model: "big" }, 1, 0.012],
      [{ route: "B", model: "big" }, 2, 0.009],
      [{ route: "A", model: "cheap" }, 2, 0.0015],
      [{ route: "A", model: null }, 1, 0],
    ]);
    const byTier = await stats(`${WINDOW}&group=tier`);
    expect(byTier.groups.map((g) => [g.key.tier, g.figures.requests])).toEqual([["3", 3], ["1", 2], ["unknown", 1]]);
    const byTeamKey = await stats(`${WINDOW}&group=team,key`);
    expect(byTeamKey.groups.map((g) => [g.key, g.figures.requests])).toEqual([[{ team: "t1", key: "k1" }, 4], [{ team: "t2", key: "k1" }, 2]]);
  });

  it("filters by team, feature and route", async () => {
    const t2 = await stats(`${WINDOW}&team=t2`);
    expect(t2.total).toMatchObject({ requests: 2, costUsd: 0.009 });
    const f1 = await stats(`${WINDOW}&feature=f1&group=feature`);
    expect(f1.groups.map((g) => [g.key, g.figures.requests, g.figures.share])).toEqual([[{ feature: "f1" }, 4, 1]]);
    const routes = await stats(`${WINDOW}&route=A,B&group=provider`);
    expect(routes.total.requests).toBe(6);
    expect(routes.groups.map((g) => [g.key.provider, g.figures.requests])).toEqual([["up", 5], [null, 1]]);
  });

  it("answers bad parameters with a 400 naming the parameter", async () => {
    for (const [query, param] of [["group=colour", "group"], ["group=route,model,team", "group"], ["group=route,route", "group"], ["interval=week", "interval"], ["from=yesterday", "from"], [`from=${T0}&to=${T0}`, "from"], [`from=0&to=${T0}&interval=hour`, "interval"]] as const) {
      const res = await gw(`/admin/stats?${query}`, { headers: ADMIN });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { param: string; type: string; message: string } };
      expect(body.error.param, query).toBe(param);
      expect(body.error.type).toBe("invalid_request_error");
    }
    expect((await gw("/admin/stats")).status).toBe(401);
  });

  it("gives the same hand-computed figures from hourly rollups", async () => {
    const db = testEnv().LEDGER;
    await db.prepare("INSERT OR REPLACE INTO stats_watermarks (name, value) VALUES ('hour', ?1), ('day', ?2)").bind(T0, Math.floor(T0 / (24 * HOUR)) * 24 * HOUR).run();
    await runRollups(db, { now: T0 + 2 * HOUR + 11 * 60_000 });
    for (const shape of ["group=route", "group=route,model&interval=hour", "group=tier&interval=day"]) {
      const auto = (await stats(`${WINDOW}&${shape}`)) as StatsReport & { sources: { hour: string[][]; raw: string[][] } };
      expect(auto.sources.hour, shape).toEqual([[new Date(T0).toISOString(), new Date(T0 + 2 * HOUR).toISOString()]]);
      expect(auto.sources.raw, shape).toEqual([]);
      const { sources: _a, ...fromRollups } = auto;
      const { sources: _b, ...fromRaw } = (await stats(`${WINDOW}&${shape}&source=raw`)) as typeof auto;
      expect(fromRollups, shape).toEqual(fromRaw);
    }
  });

  it("counts rows written by real requests through the gateway", async () => {
    const feature = `live-${crypto.randomUUID().slice(0, 8)}`;
    const from = Date.now() - 1;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await chat({ model: "cheap", messages: userMessage(`hello ${i}`) }, { "x-tiergate-feature": feature });
      expect(res.status).toBe(200);
      await res.text();
      ids.push(res.headers.get("x-tiergate-request-id")!);
    }
    const rows = await Promise.all(ids.map((id) => ledger(id)));
    const r = await stats(`from=${from}&to=${Date.now() + 1}&feature=${feature}&group=model`);
    const cost = rows.reduce((sum, row) => sum + Number(row.request.cost_usd), 0);
    expect(r.groups.map((g) => [g.key.model, g.figures.requests])).toEqual([["cheap", 3]]);
    expect(r.total.costUsd).toBeCloseTo(cost, 9);
    expect(r.total.tokens.input).toBe(rows.reduce((sum, row) => sum + Number(row.request.input_tokens), 0));
    expect(r.total.tiers["1"]?.requests).toBe(3);
    expectPercentiles(r.total.latencyMs, rows.map((row) => Number(row.request.latency_ms)));
  });

  it("serves the definitions with their version", async () => {
    const res = await gw("/admin/stats/definitions", { headers: ADMIN });
    const body = (await res.json()) as { version: string; definitions: Record<string, string> };
    expect(body.version).toBe(STATS_DEFINITIONS_VERSION);
    expect(body.definitions).toEqual(STATS_DEFINITIONS);
  });
});
