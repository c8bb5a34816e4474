// Routing accuracy per classifier route: the confusion table (chosen tier × outcome, chosen tier ×
// reviewer label) worked out by hand from seeded rows and labels, equal over raw rows, over hourly
// rollups and across their boundary; a label posted after its hour was folded refolds it.
import { beforeAll, describe, expect, it } from "vitest";
import { runRollups } from "../../src/jobs/rollup-job";
import type { StatsReport } from "../../src/stats/report";
import { ADMIN, baseConfig, fake, gw, putConfig } from "../support/gateway";
import { testEnv } from "../support/env";
import { seedLedger } from "../support/seed-ledger";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 3, 14, 10);
const WINDOW = `from=${T0}&to=${T0 + 2 * HOUR}`;
const base = { route: "cls", served_model: "cheap", provider: "up" };
const ROWS = [
  { ...base, id: "ra-1", ts: T0 + 1, classifier_tier: 1, quality: "passed" }, // tier 1, good
  { ...base, id: "ra-2", ts: T0 + 2, classifier_tier: 1, quality: "failed", escalations: 1, served_model: "big" }, // tier 1, bad
  { ...base, id: "ra-3", ts: T0 + 3, classifier_tier: 1 }, // tier 1, good by feedback
  { ...base, id: "ra-4", ts: T0 + 4, classifier_tier: 1 }, // tier 1, unknown; labelled 2
  { ...base, id: "ra-5", ts: T0 + HOUR + 1, classifier_tier: 2, served_model: "big" }, // tier 2, bad by feedback
  { ...base, id: "ra-6", ts: T0 + HOUR + 2, classifier_tier: 3, served_model: "big" }, // tier 3, unknown; labelled 1
  { ...base, id: "ra-7", ts: T0 + HOUR + 3, classifier_tier: 2, served_model: "big" }, // tier 2, unknown; labelled 2
  { ...base, id: "ra-8", ts: T0 + HOUR + 4, route: "rules" }, // no classifier: not in the table
];
const FEEDBACK = [
  { request_id: "ra-3", ts: T0 + 100, success: 1 as const },
  { request_id: "ra-5", ts: T0 + HOUR + 100, success: 0 as const },
];
const LABELS: Array<[string, number, 0 | 1]> = [["ra-4", 2, 0], ["ra-6", 1, 1], ["ra-7", 2, 0]];

async function label(id: string, tier: number, good: 0 | 1, at: number): Promise<void> {
  await testEnv().LEDGER.prepare("INSERT OR REPLACE INTO review_labels (request_id, route, tier, good_enough, labeller, at) VALUES (?1, 'cls', ?2, ?3, 'test', ?4)").bind(id, tier, good, at).run();
}

type Answer = StatsReport & { sources: Record<"day" | "hour" | "raw", string[][]> };
async function stats(query: string): Promise<Answer> {
  const res = await gw(`/admin/stats?${query}`, { headers: ADMIN });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Answer;
}
const figures = ({ sources: _, ...rest }: Answer) => rest;
const cls = (r: StatsReport) => r.groups.find((g) => g.key.route === "cls")!.figures.routingAccuracy;

beforeAll(async () => {
  await putConfig(baseConfig({ cheap: fake("echo", { input: 0.15, output: 0.6 }, { tier: 1 }), big: fake("echo", { input: 10, output: 30 }, { tier: 3 }) }));
  await seedLedger(ROWS, FEEDBACK);
  for (const [id, tier, good] of LABELS) await label(id, tier, good, T0 + 2 * HOUR + 60_000);
});

describe("routing accuracy: the confusion table per classifier route", () => {
  it("is computed over raw rows as worked out by hand", async () => {
    const r = await stats(`${WINDOW}&group=route&source=raw`);
    const a = cls(r);
    expect(a).toMatchObject({
      classified: 7,
      judged: 3, agreed: 2, rate: 0.666667, // tier 1 against outcomes (ra-1, ra-3 good; ra-2 bad; ra-4 unknown)
      outcome: { "1": { good: 2, bad: 1, unknown: 1 }, "2": { good: 0, bad: 1, unknown: 1 }, "3": { good: 0, bad: 0, unknown: 1 } },
      review: {
        "1": { labelled: { "1": 0, "2": 1, "3": 0 }, goodEnough: 0, notGoodEnough: 1 },
        "2": { labelled: { "1": 0, "2": 1, "3": 0 }, goodEnough: 0, notGoodEnough: 1 },
        "3": { labelled: { "1": 1, "2": 0, "3": 0 }, goodEnough: 1, notGoodEnough: 0 },
      },
      reviewed: 3, reviewAgreed: 1, reviewRate: 0.333333,
      // labels count: 3 labelled (1 agreed: ra-7) + 3 unlabelled tier-1 with an outcome (2 good).
      combined: { judged: 6, agreed: 3, rate: 0.5 },
    });
    expect(r.groups.find((g) => g.key.route === "rules")!.figures.routingAccuracy.combined).toEqual({ judged: 0, agreed: 0, rate: null });
  });

  it("is the same from hourly rollups and across the raw/rollup boundary; a later label refolds its hour", async () => {
    const db = testEnv().LEDGER;
    await db.prepare("INSERT OR REPLACE INTO stats_watermarks (name, value) VALUES ('hour', ?1), ('day', ?2)").bind(T0, Math.floor(T0 / (24 * HOUR)) * 24 * HOUR).run();
    // Fold hour 0 only: hour 1 stays raw.
    const now1 = T0 + HOUR + 11 * 60_000;
    await runRollups(db, { now: now1 });
    const raw = await stats(`${WINDOW}&group=route&source=raw`);
    const split = await stats(`${WINDOW}&group=route`);
    expect(split.sources.hour).toEqual([[new Date(T0).toISOString(), new Date(T0 + HOUR).toISOString()]]);
    expect(split.sources.raw).toEqual([[new Date(T0 + HOUR).toISOString(), new Date(T0 + 2 * HOUR).toISOString()]]);
    expect(figures(split)).toEqual(figures(raw));
    // Fold hour 1 too: all from rollups.
    const now2 = T0 + 2 * HOUR + 11 * 60_000;
    await runRollups(db, { now: now2 });
    const rolled = await stats(`${WINDOW}&group=route`);
    expect(rolled.sources.raw).toEqual([]);
    expect(figures(rolled)).toEqual(figures(raw));

    // A reviewer now says ra-1 (tier 1, passed) needed tier 3: the label wins over the outcome.
    await label("ra-1", 3, 0, now2 + 60_000);
    await runRollups(db, { now: now2 + 5 * 60_000 });
    const after = await stats(`${WINDOW}&group=route`);
    expect(after.sources.raw).toEqual([]);
    expect(cls(after)).toMatchObject({ reviewed: 4, reviewAgreed: 1, combined: { judged: 6, agreed: 2, rate: 0.333333 } });
    expect(cls(after).review["1"]).toEqual({ labelled: { "1": 0, "2": 1, "3": 1 }, goodEnough: 0, notGoodEnough: 2 });
    expect(figures(after)).toEqual(figures(await stats(`${WINDOW}&group=route&source=raw`)));
  });

  it("shows on the route page: the confusion table's CSV export equals the API's figures", async () => {
    const login = await gw("/dashboard/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "token=test-dashboard-token", redirect: "manual" });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    const a = cls(await stats(`from=${T0 + 2 * HOUR - 7 * 24 * HOUR}&to=${T0 + 2 * HOUR}&group=route`));
    const page = await gw(`/dashboard/routes/cls?window=7d&to=${T0 + 2 * HOUR}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-table="confusion"');
    const csv = await (await gw(`/dashboard/export/route-confusion.csv?window=7d&to=${T0 + 2 * HOUR}&route=cls`, { headers: { cookie } })).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.slice(1)).toEqual((["1", "2", "3"] as const).map((k) => [k, a.outcome[k].good, a.outcome[k].bad, a.outcome[k].unknown, a.review[k].labelled["1"], a.review[k].labelled["2"], a.review[k].labelled["3"], a.review[k].goodEnough, a.review[k].notGoodEnough].join(",")));
    expect(a.reviewed).toBeGreaterThan(0);
  });
});
