/**
 * Drift end to end on the local runtime: seeded rows where one route's error rate and cost rose
 * week over week → the cron opens a flag per (route, metric) → the drift queue → its consumer POSTs
 * to DRIFT_WEBHOOK_URL (a fake on 127.0.0.1) → a failed POST is retried by the queue → each flag is
 * delivered once, not again on the next run; thresholds come from the config (global and per
 * route); the routes page shows the flag.
 */
import { createScheduledController } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { Delivery } from "../fake-upstream/webhook";
import { ADMIN, baseConfig, gw, putConfig, uniq } from "../support/gateway";
import { testEnv } from "../support/env";
import { seedLedger } from "../support/seed-ledger";
import type { SeedRequest } from "../support/synthetic-ledger";

const DAY = 24 * 3_600_000;
const TO = Date.UTC(2026, 4, 20);
const tag = uniq().slice(4);
const DRIFTY = `drifty-${tag}`;
const STEADY = `steady-${tag}`;
const LAX = `lax-${tag}`;

const webhook = (path: string, init?: RequestInit) => fetch(`${testEnv().TEST_WEBHOOK_URL}${path}`, init);
const deliveries = async (scope: string) => (await (await webhook(`/__deliveries?scope=${encodeURIComponent(scope)}`)).json()) as Delivery[];
const cron = (at: number) => worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" }), testEnv() as never);

async function okDeliveries(scope: string, timeoutMs: number): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await deliveries(scope);
    if (got.some((d) => d.status === 200) || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("drift flags through the queue to the webhook", () => {
  it("posts each newly flagged route metric once, retried on failure, with the config's thresholds", async () => {
    const rows: SeedRequest[] = [];
    for (let i = 0; i < 20; i++) {
      const prev = TO - 14 * DAY + i * 3_600_000;
      const cur = TO - 7 * DAY + i * 3_600_000;
      for (const route of [DRIFTY, STEADY, LAX]) {
        rows.push({ id: `dw-${route}-p${i}`, ts: prev, route, served_model: "m", cost_usd: 0.01 });
        const rising = route !== STEADY;
        // This week: 5 of 20 fail (error rate 0 → 0.25) and answers cost twice as much.
        rows.push({ id: `dw-${route}-c${i}`, ts: cur, route, served_model: "m", cost_usd: rising ? 0.02 : 0.01, ...(rising && i < 5 ? { status: "error" as const } : {}) });
      }
    }
    await seedLedger(rows);
    // Cost per request may double everywhere (config); the lax route also tolerates +30 points of errors.
    const doc = baseConfig({}, [
      { name: LAX, match: { feature: "never-lax" }, model: "echo", drift: { errorRate: 0.3 } },
      { name: "default", match: {}, model: "echo" },
    ] as never, { drift: { costPerRequest: 1.5 } } as never);
    await putConfig(doc);
    const scope = `drift:${DRIFTY}:errorRate`;
    // The first POST for the flag answers 500: the queue must retry it.
    expect((await webhook(`/__fail?scope=${encodeURIComponent(scope)}&times=1`, { method: "POST" })).status).toBe(200);

    await cron(TO);
    const got = await okDeliveries(scope, 15_000);
    expect(got.map((d) => d.status)).toEqual([500, 200]);
    expect(got[1]!.body).toMatchObject({ type: "route_drift", route: DRIFTY, metric: "errorRate", previous: 0, current: 0.25, change: 0.25, threshold: 0.02 });
    expect(got[1]!.body.id).toBe(got[0]!.body.id);
    expect(got[1]!.path).toBe("/drift/test-drift-secret-path");
    // Cost doubled (+100%) but the config allows +150%; the lax route's error rise is under its own threshold.
    expect(await deliveries(`drift:${DRIFTY}:costPerRequest`)).toEqual([]);
    expect(await deliveries(`drift:${LAX}:errorRate`)).toEqual([]);
    expect(await deliveries(`drift:${STEADY}:errorRate`)).toEqual([]);
    const open = await testEnv().LEDGER.prepare("SELECT route, metric FROM drift_flags WHERE cleared_at IS NULL AND route IN (?1, ?2, ?3)").bind(DRIFTY, STEADY, LAX).all();
    expect(open.results).toEqual([{ route: DRIFTY, metric: "errorRate" }]);

    // A second run a little later sees the same flag: nothing more is posted.
    await cron(TO + 15 * 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await deliveries(scope)).length).toBe(2);

    // The API and the routes page agree, with the thresholds in force.
    const api = (await (await gw(`/admin/stats/drift?to=${TO}&route=${DRIFTY},${LAX}`, { headers: ADMIN })).json()) as { routes: Array<{ route: string; flagged: string[]; thresholds: Record<string, number> }> };
    expect(api.routes.map((r) => [r.route, r.flagged, r.thresholds.errorRate, r.thresholds.costPerRequest])).toEqual([[DRIFTY, ["errorRate"], 0.02, 1.5], [LAX, [], 0.3, 1.5]]);
    const login = await gw("/dashboard/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "token=test-dashboard-token", redirect: "manual" });
    const csv = await (await gw(`/dashboard/export/routes.csv?window=7d&to=${TO}`, { headers: { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0]! } })).text();
    const line = (route: string) => csv.split(/\r?\n/).find((l) => l.startsWith(`${route},`)) ?? "";
    expect(line(DRIFTY)).toMatch(/drift: errorRate$/);
    expect(line(STEADY)).toMatch(/,ok$/);
    const page = await (await gw(`/dashboard/routes/${DRIFTY}?window=7d&to=${TO}`, { headers: { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0]! } })).text();
    expect(page).toContain('data-drift="errorRate"');

    // A week later the route is back to normal: the flag clears (and could open again, posting again).
    await cron(TO + 21 * DAY);
    const after = await testEnv().LEDGER.prepare("SELECT cleared_at FROM drift_flags WHERE route = ?1").bind(DRIFTY).all<{ cleared_at: number | null }>();
    expect(after.results.map((r) => r.cleared_at)).toEqual([TO + 21 * DAY]);
  });
});
