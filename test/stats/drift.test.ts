// GET /admin/stats/drift over seeded rows: a route whose error rate and cost per request rose in the
// last 7 days is flagged on exactly those metrics; a steady route is not.
import { describe, expect, it } from "vitest";
import type { RouteDrift } from "../../src/stats/drift";
import { ADMIN, gw } from "../support/gateway";
import { seedLedger } from "../support/seed-ledger";
import type { SeedRequest } from "../support/synthetic-ledger";

const DAY = 24 * 3_600_000;
const TO = Date.UTC(2026, 2, 20);

describe("GET /admin/stats/drift", () => {
  it("flags the metrics that rose week over week, per route", async () => {
    const rows: SeedRequest[] = [];
    for (let i = 0; i < 20; i++) {
      const prev = TO - 14 * DAY + i * 3_600_000;
      const cur = TO - 7 * DAY + i * 3_600_000;
      rows.push({ id: `drift-s-p${i}`, ts: prev, route: "steady-d", served_model: "m", cost_usd: 0.01 });
      rows.push({ id: `drift-s-c${i}`, ts: cur, route: "steady-d", served_model: "m", cost_usd: 0.01 });
      rows.push({ id: `drift-d-p${i}`, ts: prev, route: "drifty-d", served_model: "m", cost_usd: 0.01 });
      // This week: 5 of 20 fail (error rate 0 → 0.25) and answers cost twice as much.
      rows.push({ id: `drift-d-c${i}`, ts: cur, route: "drifty-d", served_model: "m", cost_usd: 0.02, ...(i < 5 ? { status: "error" as const } : {}) });
    }
    await seedLedger(rows);
    const res = await gw(`/admin/stats/drift?to=${TO}&route=steady-d,drifty-d`, { headers: ADMIN });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { routes: RouteDrift[]; thresholds: Record<string, number> };
    const by = Object.fromEntries(body.routes.map((r) => [r.route, r]));
    expect(by["steady-d"]?.flagged).toEqual([]);
    expect(by["drifty-d"]?.flagged).toEqual(["errorRate", "costPerRequest"]);
    expect(by["drifty-d"]?.metrics.errorRate).toEqual({ previous: 0, current: 0.25, change: 0.25, flagged: true });
    expect(by["drifty-d"]?.metrics.costPerRequest.change).toBe(1);

    // A higher threshold unflags it; a bad one is a 400 naming it.
    const lax = (await (await gw(`/admin/stats/drift?to=${TO}&route=drifty-d&errorRate=0.3&costPerRequest=2`, { headers: ADMIN })).json()) as { routes: RouteDrift[] };
    expect(lax.routes[0]?.flagged).toEqual([]);
    const bad = await gw(`/admin/stats/drift?errorRate=-1`, { headers: ADMIN });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("errorRate");
  });
});
