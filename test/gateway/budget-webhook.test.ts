/**
 * Budget alerts end to end on the local runtime: settled spend crosses a threshold → a row in
 * `budget_alerts` → the alert queue → its consumer POSTs to the webhook (the secret
 * BUDGET_ALERT_WEBHOOK_URL, here a fake on 127.0.0.1) → a failed POST is retried by the queue →
 * each threshold is delivered (answered 2xx) exactly once per period.
 */
import { describe, expect, it } from "vitest";
import { ADMIN, baseConfig, chat, fake, gw, putConfig, uniq, userMessage } from "../support/gateway";
import { testEnv } from "../support/env";
import type { Delivery } from "../fake-upstream/webhook";

async function createKey(settings: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await gw("/admin/keys", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}
const webhook = (path: string, init?: RequestInit) => fetch(`${testEnv().TEST_WEBHOOK_URL}${path}`, init);
const deliveries = async (scope: string) => (await (await webhook(`/__deliveries?scope=${encodeURIComponent(scope)}`)).json()) as Delivery[];
const ask = (key: string) => chat({ model: "auto", max_tokens: 5, messages: userMessage("count these words please") }, {}, { key });

async function inFlight(scope: string): Promise<number> {
  const rows = ((await (await gw("/admin/budgets", { headers: ADMIN })).json()) as { data: Array<{ scope: string; inFlight: number }> }).data;
  return rows.find((b) => b.scope === scope)?.inFlight ?? 0;
}

/** Spends the key's budget request by request (each settled before the next) until it refuses. */
async function spendAll(key: string, scope: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 15 && statuses.at(-1) !== 429; i++) {
    statuses.push((await ask(key)).status);
    for (let j = 0; j < 200 && (await inFlight(scope)) > 0; j++) await new Promise((r) => setTimeout(r, 25));
  }
  return statuses;
}

/** Waits until every threshold has a delivery the webhook answered 2xx. */
async function delivered(scope: string, thresholds: number[], timeoutMs: number): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await deliveries(scope);
    const ok = new Set(got.filter((d) => d.status === 200).map((d) => d.body.threshold));
    if (thresholds.every((t) => ok.has(t))) return got;
    if (Date.now() > deadline) throw new Error(`${scope}: deliveries after ${timeoutMs} ms: ${JSON.stringify(got.map((d) => [d.body.threshold, d.status]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pricey = () => baseConfig({ pricey: fake(`echo:${uniq()}`, { input: 1_000, output: 1_000 }) }, [{ name: "default", match: {}, model: "pricey" }]);
// $0.1 a month at ~$0.019 a request (worst case ~$0.025): 25, 50 and 75 % are reached; 100 % is not (the budget refuses first).
const budget = { limitUsd: 0.1, period: "month", alerts: [25, 50, 75, 100] };

describe("budget alerts reach the webhook", () => {
  it("POSTs each threshold once, to the secret URL, with what was spent", async () => {
    await putConfig(pricey());
    const { id, key } = await createKey({ name: `hook-${uniq().slice(4)}`, budget });
    const scope = `key:${id}`;
    const statuses = await spendAll(key, scope);
    expect(statuses.at(-1)).toBe(429);
    const got = await delivered(scope, [25, 50, 75], 10_000);
    // Let any duplicate that was going to come arrive.
    await new Promise((r) => setTimeout(r, 500));
    const all = await deliveries(scope);
    expect(all.map((d) => d.body.threshold).sort((a, b) => Number(a) - Number(b))).toEqual([25, 50, 75]);
    expect(all.every((d) => d.status === 200 && d.path === "/hook/test-webhook-secret-path")).toBe(true);
    for (const d of got) {
      expect(d.body).toMatchObject({ type: "budget_alert", scope, period: "month", limitUsd: 0.1, id: `${scope}:${d.body.periodStart}:${d.body.threshold}` });
      expect(d.body.spentUsd as number).toBeGreaterThanOrEqual((0.1 * (d.body.threshold as number)) / 100);
    }
    console.log(`webhook ${scope}: statuses ${statuses.join(",")}; delivered ${all.map((d) => `${d.body.threshold}% at $${(d.body.spentUsd as number).toFixed(4)}`).join(", ")}`);
  });

  it("a webhook that fails gets the alert again through the queue, and each threshold is still delivered exactly once", async () => {
    await putConfig(pricey());
    const { id, key } = await createKey({ name: `hook-retry-${uniq().slice(4)}`, budget });
    const scope = `key:${id}`;
    // The next two POSTs for this scope answer 500.
    expect((await webhook(`/__fail?scope=${encodeURIComponent(scope)}&times=2`, { method: "POST" })).status).toBe(200);
    await spendAll(key, scope);
    const started = Date.now();
    await delivered(scope, [25, 50, 75], 18_000);
    await new Promise((r) => setTimeout(r, 500));
    const all = await deliveries(scope);
    const failed = all.filter((d) => d.status === 500);
    const ok = all.filter((d) => d.status === 200);
    console.log(`webhook retry ${scope}: ${all.length} POSTs (${failed.length} answered 500), delivered ${ok.map((d) => d.body.threshold).join("/")} within ${Date.now() - started} ms of the last request`);
    expect(failed).toHaveLength(2);
    expect(ok.map((d) => d.body.threshold).sort((a, b) => Number(a) - Number(b))).toEqual([25, 50, 75]);
    // A retried alert is the same alert: same id, delivered later.
    for (const f of failed) {
      const again = ok.find((d) => d.body.id === f.body.id);
      expect(again, `retry of ${String(f.body.id)}`).toBeDefined();
      expect((again as Delivery).at).toBeGreaterThan(f.at);
    }
  }, 40_000);
});
