/**
 * Rate limits, concurrency and budgets, counted by one Durable Object per scope: 429 with
 * Retry-After and x-ratelimit-*, alerts once per threshold and period, refuse or downgrade on
 * exhaustion, and 50 concurrent requests against a nearly spent budget.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, uniq, userMessage } from "../support/gateway";

async function createKey(settings: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await gw("/admin/keys", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

interface BudgetRow { scope: string; limitUsd: number; spentUsd: number; reservedUsd: number; inFlight: number; state: string; alertsFired: number[] }
async function budgets(): Promise<BudgetRow[]> {
  return ((await (await gw("/admin/budgets", { headers: ADMIN })).json()) as { data: BudgetRow[] }).data;
}
/** The budget once nothing is in flight (requests settle after their response). */
async function settled(scope: string): Promise<BudgetRow> {
  for (let i = 0; i < 200; i++) {
    const row = (await budgets()).find((b) => b.scope === scope);
    if (row && row.inFlight === 0) return row;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${scope} never settled`);
}
const ask = (key: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => chat({ model: "auto", max_tokens: 5, messages: userMessage("count these words please"), ...extra }, headers, { key });

describe("rate limits per key", () => {
  it("answers the request past rpm with 429, Retry-After and OpenAI's x-ratelimit-* headers", async () => {
    await putConfig(baseConfig());
    const { key } = await createKey({ name: `rpm-${uniq().slice(4)}`, rpm: 2 });
    const first = await ask(key);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect(first.headers.get("x-ratelimit-reset-requests")).toMatch(/^\d+(ms|s|m\d+s)$/);
    expect((await ask(key)).status).toBe(200);
    const third = await ask(key);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(third.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(await third.json()).toMatchObject({ error: { type: "rate_limit_error", code: "rate_limit_exceeded" } });
  });

  it("counts tokens per minute (prompt estimate + max_tokens)", async () => {
    await putConfig(baseConfig());
    const { key } = await createKey({ name: `tpm-${uniq().slice(4)}`, tpm: 30 });
    expect((await ask(key, { max_tokens: 10 })).status).toBe(200);
    const over = await ask(key, { max_tokens: 20 });
    expect(over.status).toBe(429);
    expect(over.headers.get("x-ratelimit-limit-tokens")).toBe("30");
  });

  it("limits requests in flight per key", async () => {
    await putConfig(baseConfig({ slow: fake(`echo:latency=400:${uniq()}`) }, [{ name: "default", match: {}, model: "slow" }]));
    const { key } = await createKey({ name: `conc-${uniq().slice(4)}`, concurrency: 1 });
    const statuses = (await Promise.all([ask(key), ask(key), ask(key)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429, 429]);
  });
});

describe("budgets", () => {
  const pricey = () => baseConfig({ pricey: fake(`echo:${uniq()}`, { input: 1_000, output: 1_000 }), cheap: fake(`echo:${uniq()}`, { input: 1, output: 1 }) }, [{ name: "default", match: {}, model: "pricey" }]);

  it("fires each alert threshold exactly once per period, then refuses with 429 budget_exceeded", async () => {
    await putConfig(pricey());
    const { id, key } = await createKey({ name: `budget-${uniq().slice(4)}`, budget: { limitUsd: 0.1, period: "month", alerts: [25, 50, 75, 100] } });
    const scope = `key:${id}`;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await ask(key);
      statuses.push(res.status);
      if (res.status === 429) expect(await res.json()).toMatchObject({ error: { code: "budget_exceeded", message: expect.stringContaining("budget exhausted") } });
      await settled(scope);
    }
    expect(statuses).toContain(200);
    expect(statuses.at(-1)).toBe(429);
    const row = await settled(scope);
    expect(row.spentUsd).toBeLessThanOrEqual(row.limitUsd);
    const { results } = await env.LEDGER.prepare("SELECT threshold FROM budget_alerts WHERE scope = ?1 ORDER BY threshold").bind(scope).all<{ threshold: number }>();
    const fired = results.map((r) => r.threshold);
    // Spend stops short of 100% once the next request's worst case no longer fits: 25, 50 and 75 fire, each once.
    expect(fired).toEqual([25, 50, 75]);
    expect(new Set(fired).size).toBe(fired.length);
    expect(row.alertsFired).toEqual(fired);
    console.log(`budget ${scope}: limit $${row.limitUsd}, spent $${row.spentUsd.toFixed(6)}, statuses ${statuses.join(",")}, alerts ${fired.join("/")}`);
  });

  it("a team budget with downgradeTo sends exhausted requests to the cheaper model, recorded as downgraded", async () => {
    const team = `t${uniq().slice(4)}`;
    await putConfig({ ...pricey(), budgets: [{ scope: "team", name: team, limitUsd: 0.0001, onExhausted: { downgradeTo: "cheap" } }] });
    const { key } = await createKey({ name: `team-${uniq().slice(4)}`, team });
    const res = await ask(key);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-model")).toBe("cheap");
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request.served_model).toBe("cheap");
    expect(String(request.plan)).toContain("downgraded to cheap");
  });

  it("50 concurrent requests against a nearly spent budget overshoot it by no more than the in-flight requests' actual cost", async () => {
    await putConfig(pricey());
    const limitUsd = 1;
    const { id, key } = await createKey({ name: `burst-${uniq().slice(4)}`, budget: { limitUsd, period: "day", alerts: [] } });
    const scope = `key:${id}`;
    // Spend most of it first.
    while ((await settled(scope)).spentUsd < limitUsd * 0.8) {
      const r = await ask(key);
      if (r.status !== 200) break;
    }
    const before = (await settled(scope)).spentUsd;
    const answers = await Promise.all(Array.from({ length: 50 }, () => ask(key)));
    const admitted = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 429);
    const after = (await settled(scope)).spentUsd;
    const inFlightActual = (await Promise.all(admitted.map(async (r) => (await ledger(r.headers.get("x-tiergate-request-id"))).request.cost_usd as number))).reduce((a, b) => a + b, 0);
    const overshoot = Math.max(0, after - limitUsd);
    console.log(`50 concurrent: limit $${limitUsd}, spent before $${before.toFixed(6)}, admitted ${admitted.length}, refused ${refused.length}, spent after $${after.toFixed(6)}, in-flight actual $${inFlightActual.toFixed(6)}, overshoot $${overshoot.toFixed(6)}`);
    expect(admitted.length + refused.length).toBe(50);
    expect(refused.length).toBeGreaterThan(0);
    expect(after).toBeCloseTo(before + inFlightActual, 9);
    expect(overshoot).toBeLessThanOrEqual(inFlightActual);
    // Reservations are worst cases and max_tokens held, so here the limit itself held.
    expect(after).toBeLessThanOrEqual(limitUsd + 1e-12);
  });
});
