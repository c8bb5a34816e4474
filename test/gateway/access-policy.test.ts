/**
 * What a key may do: routes and models (403), ceilings on max_tokens and n (400 naming the limit),
 * JSON-only bodies (415), CORS per key, feedback only from the request's key or team, the config's
 * limit on upstream work per request, and a small ledger row for requests refused at the door.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN, baseConfig, chat, fake, gw, lastUpstreamRequest, ledger, putConfig, uniq, upstreamRequests, userMessage } from "../support/gateway";

async function createKey(settings: Record<string, unknown>): Promise<string> {
  const res = await gw("/admin/keys", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; param?: string } }).error;

const routes = [
  { name: "cheap", match: { feature: "cheap" }, model: "echo" },
  { name: "premium", match: { feature: "premium" }, model: "big" },
  { name: "default", match: {}, model: "echo" },
];

beforeEach(async () => putConfig(baseConfig({}, routes)));

describe("allowed routes and models", () => {
  it("a key limited to some routes gets 403 on the others, naming the route", async () => {
    const key = await createKey({ name: "cheap-only", routes: ["cheap", "default"] });
    expect((await chat({ model: "auto", messages: userMessage() }, { "x-tiergate-feature": "cheap" }, { key })).status).toBe(200);
    const refused = await chat({ model: "auto", messages: userMessage() }, { "x-tiergate-feature": "premium" }, { key });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "route_not_allowed", message: expect.stringContaining('"premium"') });
    expect((await chat({ model: "route:premium", messages: userMessage() }, {}, { key })).status).toBe(403);
  });

  it("by default a key reaches models only through routes; listed models may be asked for by name", async () => {
    const plain = await createKey({ name: "plain" });
    const byName = await chat({ model: "big", messages: userMessage() }, {}, { key: plain });
    expect(byName.status).toBe(403);
    expect(await errorOf(byName)).toMatchObject({ code: "model_not_allowed" });
    expect((await chat({ model: "auto", messages: userMessage() }, {}, { key: plain })).status).toBe(200);
    const listed = await createKey({ name: "listed", models: ["echo"] });
    expect((await chat({ model: "echo", messages: userMessage() }, {}, { key: listed })).status).toBe(200);
    expect((await chat({ model: "big", messages: userMessage() }, {}, { key: listed })).status).toBe(403);
  });
});

describe("ceilings on max_tokens and n", () => {
  it("refuses max_tokens and n above the key's ceiling with 400 naming the limit", async () => {
    const key = await createKey({ name: "capped", maxTokens: 256, maxN: 2 });
    const tokens = await chat({ model: "auto", max_tokens: 257, messages: userMessage() }, {}, { key });
    expect(tokens.status).toBe(400);
    expect(await errorOf(tokens)).toMatchObject({ code: "max_tokens_above_limit", param: "max_tokens", message: expect.stringContaining("maxTokens = 256") });
    const n = await chat({ model: "auto", n: 3, messages: userMessage() }, {}, { key });
    expect(n.status).toBe(400);
    expect(await errorOf(n)).toMatchObject({ code: "n_above_limit", param: "n", message: expect.stringContaining("maxN = 2") });
    expect((await chat({ model: "auto", max_tokens: 256, n: 2, messages: userMessage() }, {}, { key })).status).toBe(200);
  });

  it("a request without max_tokens is sent with the key's ceiling", async () => {
    const id = `echo:${uniq()}`;
    await putConfig(baseConfig({ capped: fake(id) }, [{ name: "default", match: {}, model: "capped" }]));
    const key = await createKey({ name: "capped-fill", maxTokens: 100 });
    expect((await chat({ model: "auto", messages: userMessage() }, {}, { key })).status).toBe(200);
    expect((await lastUpstreamRequest(id)).body.max_tokens).toBe(100);
  });

  it("the config's limits.maxN bounds every caller", async () => {
    await putConfig(baseConfig({}, routes, { limits: { maxN: 3 } }));
    const res = await chat({ model: "auto", n: 4, messages: userMessage() });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain("limits.maxN = 3");
  });
});

describe("bodies must be JSON", () => {
  it("refuses a text/plain POST and a form post with 415, before reading them", async () => {
    const plain = await gw("/v1/chat/completions", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ model: "auto", messages: userMessage() }) });
    expect(plain.status).toBe(415);
    expect(await errorOf(plain)).toMatchObject({ code: "unsupported_media_type" });
    const form = await gw("/v1/chat/completions", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "model=auto" });
    expect(form.status).toBe(415);
    expect((await gw("/v1/feedback", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" })).status).toBe(415);
    expect((await chat({ model: "auto", messages: userMessage() }, { "content-type": "application/json; charset=utf-8" })).status).toBe(200);
  });
});

describe("CORS per key", () => {
  const app = "https://app.example.com";
  const other = "https://evil.example.net";

  it("answers a preflight only for an origin a key lists", async () => {
    await createKey({ name: "browser-app", origins: [app] });
    const ok = await gw("/v1/chat/completions", { method: "OPTIONS", headers: { origin: app, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(app);
    expect(ok.headers.get("access-control-allow-headers")).toContain("authorization");
    const refused = await gw("/v1/chat/completions", { method: "OPTIONS", headers: { origin: other, "access-control-request-method": "POST" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers the key's own origins (exposing Retry-After and x-ratelimit-*), refuses others with 403", async () => {
    const key = await createKey({ name: "browser-app-2", origins: [app] });
    const ok = await chat({ model: "auto", messages: userMessage() }, { origin: app }, { key });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(app);
    const exposed = ok.headers.get("access-control-expose-headers") ?? "";
    for (const h of ["retry-after", "x-ratelimit-remaining-requests", "x-ratelimit-reset-tokens", "x-tiergate-request-id"]) expect(exposed).toContain(h);
    const refused = await chat({ model: "auto", messages: userMessage() }, { origin: other }, { key });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "origin_not_allowed" });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    // A key that lists no origin is for servers only.
    const server = await createKey({ name: "server-only" });
    expect((await chat({ model: "auto", messages: userMessage() }, { origin: app }, { key: server })).status).toBe(403);
  });
});

describe("feedback only from the key or team that made the request", () => {
  it("refuses another team's key and records who posted", async () => {
    const mine = await createKey({ name: "search-svc", team: "search" });
    const theirs = await createKey({ name: "ads-svc", team: "ads" });
    const sameTeam = await createKey({ name: "search-batch", team: "search" });
    const res = await chat({ model: "auto", messages: userMessage() }, {}, { key: mine });
    const id = res.headers.get("x-tiergate-request-id");
    await ledger(id);
    const post = (key: string) => gw("/v1/feedback", { method: "POST", body: JSON.stringify({ request_id: id, success: true }) }, { key });
    const refused = await post(theirs);
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "not_your_request" });
    expect((await post(mine)).status).toBe(201);
    expect((await post(sameTeam)).status).toBe(201);
  });
});

describe("upstream work per request is bounded by the config's limits", () => {
  it("a fallback chain stops at limits.maxUpstreamCalls: later calls are never sent", async () => {
    const ids = [0, 1, 2, 3].map(() => `status:503:${uniq()}`);
    const models = Object.fromEntries(ids.map((id, i) => [`down${i}`, fake(id)]));
    await putConfig(baseConfig(models, [{ name: "default", match: {}, model: "down0", fallbacks: ["down1", "down2", "down3"] }], { limits: { maxUpstreamCalls: 2 } }));
    const res = await chat({ model: "auto", messages: userMessage() });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const sent = await Promise.all(ids.map(async (id) => (await upstreamRequests(id)).length));
    expect(sent).toEqual([1, 1, 0, 0]);
    const { attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(attempts.at(-1)?.error_message).toContain("limits.maxUpstreamCalls");
  });

  it("requested output tokens (max_tokens × n) summed over calls stay under limits.maxRequestedOutputTokens", async () => {
    const ids = [0, 1].map(() => `status:503:${uniq()}`);
    await putConfig(baseConfig({ a: fake(ids[0] as string), b: fake(ids[1] as string) }, [{ name: "default", match: {}, model: "a", fallbacks: ["b"] }], { limits: { maxRequestedOutputTokens: 1_000 } }));
    const res = await chat({ model: "auto", max_tokens: 300, n: 2, messages: userMessage() });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect([(await upstreamRequests(ids[0])).length, (await upstreamRequests(ids[1])).length]).toEqual([1, 0]);
  });
});

describe("requests refused at the door", () => {
  it("get a small ledger row: status, no body-derived strings, client header capped", async () => {
    const res = await chat({ model: "auto", messages: userMessage("secret prompt text") }, { "x-tiergate-feature": "f".repeat(500) }, { key: null });
    expect(res.status).toBe(401);
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ http_status: 401, status: "error", requested_model: null });
    expect(String(request.feature).length).toBeLessThanOrEqual(64);
    expect(JSON.stringify(request)).not.toContain("secret prompt text");
  });
});
