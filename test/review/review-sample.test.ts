// The opt-in review sample: off by default and validated; only sampled requests keep prompt and
// answer (scrubbed, capped) — no other table or KV value ever holds prompt text; labels through the
// admin API or an admin dashboard session (never the read-only token) count in routing accuracy;
// the cron deletes samples past their retention and keeps the labels.
import { createScheduledController } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { StatsReport } from "../../src/stats/report";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, sseEvents, uniq, userMessage } from "../support/gateway";
import { testEnv } from "../support/env";

const CLASSIFIER = { type: "local", thresholds: { "2": 0.99, "3": 0.995 }, tiers: { "1": "cheap", "3": "big" } };
const ROUTES = [
  { name: "sampled", match: { feature: "sampled" }, classifier: CLASSIFIER, review: { sampleRate: 1, retentionDays: 3, maxChars: 200 } },
  { name: "no-text", match: { feature: "no-text" }, classifier: CLASSIFIER, review: { sampleRate: 1, storeText: false } },
  { name: "rate-zero", match: { feature: "rate-zero" }, classifier: CLASSIFIER, review: { sampleRate: 0 } },
  { name: "default", match: {}, classifier: CLASSIFIER },
];

/** Every text value in every D1 table and every KV value that contains `needle`, as "table.column". */
async function whereStored(needle: string): Promise<string[]> {
  const env = testEnv();
  const db = env.LEDGER;
  const tables = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'").all<{ name: string }>();
  const found: string[] = [];
  for (const { name } of tables.results) {
    const { results } = await db.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    for (const row of results) for (const [col, v] of Object.entries(row)) if (typeof v === "string" && v.includes(needle)) found.push(`${name}.${col}`);
  }
  for (const { name } of (await env.CONFIG.list()).keys) {
    const v = await env.CONFIG.get(name);
    if (v?.includes(needle)) found.push(`kv:${name}`);
  }
  return [...new Set(found)].sort();
}

async function send(feature: string, text: string, stream = false): Promise<string> {
  const res = await chat({ model: "auto", messages: userMessage(text), ...(stream ? { stream: true } : {}) }, { "x-tiergate-feature": feature });
  expect(res.status, await res.clone().text()).toBe(200);
  if (stream) await sseEvents(res);
  else await res.text();
  const id = res.headers.get("x-tiergate-request-id")!;
  await ledger(id);
  return id;
}

async function sampleOf(id: string, timeoutMs = 3_000): Promise<Record<string, unknown> | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await testEnv().LEDGER.prepare("SELECT * FROM review_samples WHERE request_id = ?1").bind(id).first<Record<string, unknown>>();
    if (row || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function cookieFor(token: string): Promise<string> {
  const res = await gw("/dashboard/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token }).toString(), redirect: "manual" });
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

beforeAll(async () => {
  await putConfig(baseConfig({ cheap: fake("echo", { input: 0.15, output: 0.6 }, { tier: 1 }), big: fake("echo", { input: 10, output: 30 }, { tier: 3 }) }, ROUTES as never));
});

describe("the review sample", () => {
  it("is validated: sampleRate in [0, 1], retentionDays a positive whole number, no unknown field", async () => {
    for (const review of [{ sampleRate: 1.5 }, { sampleRate: -0.1 }, { sampleRate: 0.1, retentionDays: 0 }, { sampleRate: 0.1, colour: "red" }, {}]) {
      const doc = baseConfig({}, [{ name: "default", match: {}, model: "echo", review } as never]);
      const res = await gw("/admin/config", { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(doc) });
      expect(res.status, JSON.stringify(review)).toBe(400);
      expect(await res.text()).toMatch(/review/);
    }
  });

  it("stores prompt text nowhere for a route without review or with sampleRate 0", async () => {
    const marker = `PRIVATE-${uniq()}-do-not-store`;
    const ids = [await send("plain", marker), await send("rate-zero", marker), await send("plain", marker, true)];
    expect(await whereStored(marker)).toEqual([]);
    for (const id of ids) expect(await sampleOf(id, 300)).toBeNull();
  });

  it("keeps prompt and answer of sampled requests only, scrubbed and capped, and nowhere else", async () => {
    const marker = `SAMPLED-${uniq()}`;
    const id = await send("sampled", `${marker} my key is sk-test-upstream-secret-0123456789 thanks`);
    const sample = await sampleOf(id);
    expect(sample).toMatchObject({ route: "sampled", classifier_tier: 1, served_model: "cheap", truncated: 0 });
    expect(String(sample?.prompt)).toContain(`user: ${marker}`);
    expect(String(sample?.prompt)).not.toContain("sk-test-upstream-secret");
    expect(String(sample?.answer)).toContain(marker);
    expect(Number(sample?.expires_at) - Number(sample?.ts)).toBe(3 * 24 * 3_600_000);
    // A stream's answer is the text it sent; a long prompt is cut to maxChars.
    const long = `${marker}-stream ${"lorem ipsum ".repeat(100)}`;
    const sid = await send("sampled", long, true);
    const s2 = await sampleOf(sid);
    expect(s2).toMatchObject({ truncated: 1 });
    expect(String(s2?.prompt).length).toBeLessThanOrEqual(201);
    expect(String(s2?.answer)).toContain(`${marker}-stream`);
    // storeText false: the sample has ids and tiers, no text.
    const nid = await send("no-text", `${marker}-notext`);
    expect(await sampleOf(nid)).toMatchObject({ route: "no-text", prompt: null, answer: null });
    expect(await whereStored(marker)).toEqual(["review_samples.answer", "review_samples.prompt"]);
  });

  it("takes labels from the admin token or an admin session only, and counts them in routing accuracy", async () => {
    const from = Date.now() - 1;
    const id = await send("sampled", `label me ${uniq()}`);
    expect(await sampleOf(id)).not.toBeNull();
    const post = (headers: Record<string, string>, body: unknown) => gw(`/admin/review/${id}/label`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    // The read-only token reaches neither the API nor the form.
    expect((await post({ authorization: "Bearer test-dashboard-token" }, { tier: 3, goodEnough: false })).status).toBe(401);
    const viewer = await gw(`/dashboard/review/${id}`, { method: "POST", headers: { cookie: await cookieFor("test-dashboard-token"), "content-type": "application/x-www-form-urlencoded" }, body: "tier=3&goodEnough=no", redirect: "manual" });
    expect(viewer.status).toBe(403);
    const bad = await post(ADMIN, { tier: 4, goodEnough: true });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("tier");
    expect((await gw("/admin/review/nope/label", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ tier: 1, goodEnough: true }) })).status).toBe(404);
    expect(await testEnv().LEDGER.prepare("SELECT COUNT(*) AS n FROM review_labels WHERE request_id = ?1").bind(id).first("n")).toBe(0);

    // The queue lists it; the admin labels it through the API, then through the page (a new label replaces the old).
    const queue = (await (await gw("/admin/review?route=sampled", { headers: ADMIN })).json()) as { data: Array<{ request_id: string }> };
    expect(queue.data.map((d) => d.request_id)).toContain(id);
    const ok = await post(ADMIN, { tier: 2, goodEnough: true, labeller: "ana" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ requestId: id, route: "sampled", tier: 2, goodEnough: true, labeller: "ana" });
    const page = await gw(`/dashboard/review/${id}`, { method: "POST", headers: { cookie: await cookieFor("test-admin-token"), "content-type": "application/x-www-form-urlencoded" }, body: "tier=3&goodEnough=no", redirect: "manual" });
    expect(page.status).toBe(303);
    const row = await testEnv().LEDGER.prepare("SELECT route, tier, good_enough, labeller FROM review_labels WHERE request_id = ?1").bind(id).first();
    expect(row).toEqual({ route: "sampled", tier: 3, good_enough: 0, labeller: "dashboard admin" });
    const after = (await (await gw("/admin/review?route=sampled", { headers: ADMIN })).json()) as { data: Array<{ request_id: string }> };
    expect(after.data.map((d) => d.request_id)).not.toContain(id);

    // The classifier chose tier 1, the reviewer says tier 3: one reviewed, not agreed.
    const stats = (await (await gw(`/admin/stats?from=${from}&to=${Date.now() + 1}&route=sampled&group=route&source=raw`, { headers: ADMIN })).json()) as StatsReport;
    const acc = stats.groups[0]!.figures.routingAccuracy;
    expect(acc).toMatchObject({ reviewed: 1, reviewAgreed: 0, combined: { judged: 1, agreed: 0, rate: 0 } });
    expect(acc.review["1"]).toEqual({ labelled: { "1": 0, "2": 0, "3": 1 }, goodEnough: 0, notGoodEnough: 1 });
  });

  it("is deleted by the cron past its retention; labels stay", async () => {
    const id = await send("sampled", `expire me ${uniq()}`);
    const sample = await sampleOf(id);
    await gw(`/admin/review/${id}/label`, { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ tier: 1, goodEnough: true }) });
    const expires = Number(sample?.expires_at);
    const run = (at: number) => worker.scheduled(createScheduledController({ scheduledTime: at, cron: "*/15 * * * *" }), testEnv() as never);
    await run(expires - 60_000);
    expect(await sampleOf(id, 0)).not.toBeNull();
    await run(expires + 1);
    expect(await sampleOf(id, 0)).toBeNull();
    expect(await testEnv().LEDGER.prepare("SELECT tier FROM review_labels WHERE request_id = ?1").bind(id).first("tier")).toBe(1);
  });
});
