/**
 * Rate limits per team (the config's `teams`), beside each key's own: requests, tokens and
 * requests in flight per minute for all of a team's keys together, counted by the team's Durable
 * Object (`team:<name>`), answered with 429, Retry-After and x-ratelimit-* (the tightest window).
 */
import { describe, expect, it } from "vitest";
import { ADMIN, baseConfig, chat, fake, gw, putConfig, uniq, userMessage } from "../support/gateway";

async function createKey(settings: Record<string, unknown>): Promise<string> {
  const res = await gw("/admin/keys", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}
const ask = (key: string, extra: Record<string, unknown> = {}) => chat({ model: "auto", max_tokens: 5, messages: userMessage("count these words please"), ...extra }, {}, { key });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const team = () => `team-${uniq().slice(4)}`;

describe("team rate limits", () => {
  it("counts every key of the team in one window: the team's next request gets 429 naming the team, other teams are not touched", async () => {
    const t = team();
    await putConfig(baseConfig({}, undefined, { teams: { [t]: { rpm: 3 } } }));
    const a = await createKey({ name: `a-${t}`, team: t });
    const b = await createKey({ name: `b-${t}`, team: t });
    const other = await createKey({ name: `other-${t}`, team: `${t}-other` });
    const first = await ask(a);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("2");
    expect((await ask(b)).status).toBe(200);
    const third = await ask(a);
    expect(third.status).toBe(200);
    expect(third.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const refused = await ask(b);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(refused.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(refused.headers.get("x-ratelimit-reset-requests")).toMatch(/^\d+(ms|s|m\d+s)$/);
    expect(await errorOf(refused)).toMatchObject({ code: "rate_limit_exceeded", message: expect.stringContaining(`team:${t}: rate limit: 3 requests per minute`) });
    const elsewhere = await ask(other);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.get("x-ratelimit-limit-requests")).toBeNull();
  });

  it("counts tokens per minute for the team (prompt estimate + max_tokens)", async () => {
    const t = team();
    await putConfig(baseConfig({}, undefined, { teams: { [t]: { tpm: 60 } } }));
    const a = await createKey({ name: `a-${t}`, team: t });
    const b = await createKey({ name: `b-${t}`, team: t });
    // Each request counts 25 tokens: (6 estimated × 1.25 → 8) + 4 per message + 8, plus max_tokens 5.
    const first = await ask(a);
    expect(first.headers.get("x-ratelimit-limit-tokens")).toBe("60");
    expect(first.headers.get("x-ratelimit-remaining-tokens")).toBe("35");
    expect((await ask(b)).status).toBe(200);
    const over = await ask(a);
    expect(over.status).toBe(429);
    expect(over.headers.get("x-ratelimit-remaining-tokens")).toBe("10");
    expect((await errorOf(over)).message).toContain("60 tokens per minute");
  });

  it("limits the team's requests in flight across its keys", async () => {
    const t = team();
    await putConfig(baseConfig({ slow: fake(`echo:latency=400:${uniq()}`) }, [{ name: "default", match: {}, model: "slow" }], { teams: { [t]: { concurrency: 1 } } }));
    const a = await createKey({ name: `a-${t}`, team: t });
    const b = await createKey({ name: `b-${t}`, team: t });
    const statuses = (await Promise.all([ask(a), ask(b)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429]);
  });

  it("a request the team refuses leaves the key's own window as it was; headers show the tighter of the two windows", async () => {
    const t = team();
    await putConfig(baseConfig({}, undefined, { teams: { [t]: { rpm: 1 } } }));
    const key = await createKey({ name: `k-${t}`, team: t, rpm: 5 });
    const first = await ask(key);
    expect(first.status).toBe(200);
    // The team's window (1, 0 left) is tighter than the key's (5, 4 left).
    expect([first.headers.get("x-ratelimit-limit-requests"), first.headers.get("x-ratelimit-remaining-requests")]).toEqual(["1", "0"]);
    expect((await ask(key)).status).toBe(429);
    await putConfig(baseConfig({}, undefined, { teams: { [t]: { rpm: 10 } } }));
    const third = await ask(key);
    expect(third.status).toBe(200);
    // The key counted 2 requests (the refused one is given back), the team 2: the key's 3 left of 5 is the tighter.
    expect([third.headers.get("x-ratelimit-limit-requests"), third.headers.get("x-ratelimit-remaining-requests")]).toEqual(["5", "3"]);
  });

  it("a team's limits are validated with the config (a broken entry is reported, the last valid config serves)", async () => {
    const t = team();
    await putConfig(baseConfig({}, undefined, { teams: { [t]: { rpm: 2 } } }));
    const key = await createKey({ name: `v-${t}`, team: t });
    // Served once, so this document is the last valid one.
    expect((await ask(key)).status).toBe(200);
    const broken = JSON.stringify(baseConfig({}, undefined, { teams: { [t]: { rpm: 0 } } }));
    const check = await gw("/admin/config?validate=only", { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: broken });
    expect(check.status).toBe(400);
    expect(((await check.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toContain(`$.teams["${t}"].rpm`);
    await putConfig(broken);
    // The last valid config (rpm 2) still serves.
    expect((await ask(key)).status).toBe(200);
    expect((await ask(key)).status).toBe(429);
  });
});
