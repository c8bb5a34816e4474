/**
 * The same door on every /v1/* endpoint, not only chat: a key's routes and models (403), its
 * ceilings (400 naming the limit), its rate limits (429 + Retry-After + x-ratelimit-*) and budgets
 * (reserve, then settle to the real cost) on /v1/embeddings, /v1/responses, /v1/messages and
 * /v1/messages/count_tokens; /v1/models lists only what the caller may use.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN, baseConfig, fake, gw, ledger, messages, putConfig, uniq, userMessage } from "../support/gateway";

const json = { ...ADMIN, "content-type": "application/json" };
async function createKey(settings: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await gw("/admin/keys", { method: "POST", headers: json, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}
const name = (prefix: string) => `${prefix}-${uniq().slice(4)}`;
const post = (path: string, body: unknown, key: string, headers: Record<string, string> = {}) =>
  gw(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }, { key });
const embed = (key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => post("/v1/embeddings", { model: "auto", input: "some words to embed", encoding_format: "float", ...body }, key, headers);
const respond = (key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => post("/v1/responses", { model: "auto", input: "Hello there", max_output_tokens: 5, ...body }, key, headers);
const message = (key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  messages({ model: "auto", max_tokens: 5, messages: userMessage(), ...body }, headers, { key });
const count = (key: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  post("/v1/messages/count_tokens", { model: "auto", messages: userMessage(), ...body }, key, { "anthropic-version": "2023-06-01", ...headers });

interface OpenAIError { error: { code: string; message: string; param?: string } }
interface AnthropicError { type: "error"; error: { type: string; message: string } }

let run: string;
beforeEach(async () => {
  run = uniq();
  await putConfig(baseConfig(
    {
      emb: { ...fake(`echo:${run}`, { input: 1_000, output: 0 }), kind: "embedding" },
      "emb-premium": { ...fake(`echo:premium:${run}`, { input: 5_000, output: 0 }), kind: "embedding" },
    },
    [
      { name: "emb-premium", match: { feature: "premium" }, model: "emb-premium" },
      { name: "embed", match: {}, model: "emb" },
      { name: "premium", match: { feature: "premium" }, model: "big" },
      { name: "default", match: {}, model: "echo" },
    ],
  ));
});

describe("POST /v1/embeddings through the key's door", () => {
  it("403 on a route or a model the key may not use", async () => {
    const { key } = await createKey({ name: name("emb-routes"), routes: ["embed", "default"] });
    expect((await embed(key)).status).toBe(200);
    const route = await embed(key, {}, { "x-tiergate-feature": "premium" });
    expect(route.status).toBe(403);
    expect(((await route.json()) as OpenAIError).error).toMatchObject({ code: "route_not_allowed", message: expect.stringContaining('"emb-premium"') });
    const byName = await embed(key, { model: "emb" });
    expect(byName.status).toBe(403);
    expect(((await byName.json()) as OpenAIError).error.code).toBe("model_not_allowed");
    const listed = await createKey({ name: name("emb-listed"), models: ["emb"] });
    expect((await embed(listed.key, { model: "emb" })).status).toBe(200);
  });

  it("429 past the key's rpm, with Retry-After and x-ratelimit-*; tpm counts the input's tokens", async () => {
    const { key } = await createKey({ name: name("emb-rpm"), rpm: 1 });
    const first = await embed(key);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("1");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const second = await embed(key);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await second.json()) as OpenAIError).error.code).toBe("rate_limit_exceeded");
    const tokens = await createKey({ name: name("emb-tpm"), tpm: 40 });
    expect((await embed(tokens.key, { input: "short" })).status).toBe(200);
    const long = await embed(tokens.key, { input: "many words ".repeat(40) });
    expect(long.status).toBe(429);
    expect(((await long.json()) as OpenAIError).error.message).toContain("tokens per minute");
  });

  it("reserves the worst case, settles to the ledger's cost, and refuses with budget_exceeded once the budget cannot hold another", async () => {
    // emb costs $1000 per million input tokens: an input of ~5 tokens is ~$0.005, its worst case ~$0.02.
    const { id, key } = await createKey({ name: name("emb-budget"), budget: { limitUsd: 0.05, period: "month", alerts: [] } });
    const scope = `key:${id}`;
    const costs: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 12 && statuses.at(-1) !== 429; i++) {
      const res = await embed(key);
      statuses.push(res.status);
      if (res.status === 200) costs.push((await ledger(res.headers.get("x-tiergate-request-id"))).request.cost_usd as number);
      else expect(((await res.json()) as OpenAIError).error).toMatchObject({ code: "budget_exceeded", message: expect.stringContaining(scope) });
    }
    expect(statuses.at(-1)).toBe(429);
    expect(costs.length).toBeGreaterThan(0);
    let row: { spentUsd: number; inFlight: number; limitUsd: number } | undefined;
    for (let i = 0; i < 100; i++) {
      row = ((await (await gw("/admin/budgets", { headers: ADMIN })).json()) as { data: Array<{ scope: string; spentUsd: number; inFlight: number; limitUsd: number }> }).data.find((b) => b.scope === scope);
      if (row && row.inFlight === 0 && row.spentUsd > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const sum = costs.reduce((a, b) => a + b, 0);
    console.log(`embeddings budget ${scope}: limit $0.05, ${costs.length} served, ledger cost $${sum.toFixed(6)}, settled spend $${row?.spentUsd.toFixed(6)}`);
    expect(row?.spentUsd).toBeCloseTo(sum, 9);
    expect(row?.spentUsd ?? Infinity).toBeLessThanOrEqual(0.05);
  });
});

describe("POST /v1/responses and /v1/messages through the key's door", () => {
  it("403 on a route or model the key may not use, in each endpoint's error shape", async () => {
    const { key } = await createKey({ name: name("fmt-routes"), routes: ["default"] });
    expect((await respond(key)).status).toBe(200);
    expect((await message(key)).status).toBe(200);
    const r = await respond(key, {}, { "x-tiergate-feature": "premium" });
    expect(r.status).toBe(403);
    expect(((await r.json()) as OpenAIError).error.code).toBe("route_not_allowed");
    const m = await message(key, { model: "big" });
    expect(m.status).toBe(403);
    expect((await m.json()) as AnthropicError).toMatchObject({ type: "error", error: { type: "permission_error", message: expect.stringContaining('"big"') } });
  });

  it("400 naming the limit when max_output_tokens / max_tokens is above the key's ceiling", async () => {
    const { key } = await createKey({ name: name("fmt-ceiling"), maxTokens: 64 });
    const r = await respond(key, { max_output_tokens: 65 });
    expect(r.status).toBe(400);
    expect(((await r.json()) as OpenAIError).error).toMatchObject({ code: "max_tokens_above_limit", message: expect.stringContaining("maxTokens = 64") });
    const m = await message(key, { max_tokens: 65 });
    expect(m.status).toBe(400);
    expect((await m.json()) as AnthropicError).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringContaining("maxTokens = 64") } });
    expect((await message(key, { max_tokens: 64 })).status).toBe(200);
  });

  it("429 with Retry-After and x-ratelimit-* past the key's rpm, counted across both endpoints", async () => {
    const { key } = await createKey({ name: name("fmt-rpm"), rpm: 2 });
    expect((await respond(key)).status).toBe(200);
    const ok = await message(key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    for (const res of [await respond(key), await message(key)]) {
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(res.headers.get("x-ratelimit-limit-requests")).toBe("2");
    }
  });
});

describe("POST /v1/messages/count_tokens through the key's door", () => {
  it("403 on a model the key may not name, 400 above its ceiling, 429 past its rpm; it reserves nothing against budgets", async () => {
    const { id, key } = await createKey({ name: name("count"), rpm: 2, maxTokens: 64, budget: { limitUsd: 0.000001, period: "day", alerts: [] } });
    const first = await count(key);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    const named = await count(key, { model: "big" });
    expect(named.status).toBe(403);
    expect(((await named.json()) as AnthropicError).error.type).toBe("permission_error");
    expect((await count(key, { max_tokens: 65 })).status).toBe(400);
    expect((await count(key)).status).toBe(200);
    const limited = await count(key);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const row = ((await (await gw("/admin/budgets", { headers: ADMIN })).json()) as { data: Array<{ scope: string; spentUsd: number; reservedUsd: number }> }).data.find((b) => b.scope === `key:${id}`);
    expect(row).toMatchObject({ spentUsd: 0, reservedUsd: 0 });
  });
});

describe("GET /v1/models lists what the caller may use", () => {
  const ids = async (key: string) => ((await (await gw("/v1/models", {}, { key })).json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);

  it("a key limited to some routes and models sees only those; others are 404 on /v1/models/{id}", async () => {
    const { key } = await createKey({ name: name("list-some"), routes: ["default", "embed"], models: ["echo"] });
    expect((await ids(key)).sort()).toEqual(["auto", "echo", "route:default", "route:embed"]);
    expect((await gw("/v1/models/echo", {}, { key })).status).toBe(200);
    expect((await gw("/v1/models/big", {}, { key })).status).toBe(404);
    expect((await gw("/v1/models/route:premium", {}, { key })).status).toBe(404);
    // The default: every route, no model by name.
    const plain = await createKey({ name: name("list-plain") });
    expect((await ids(plain.key)).sort()).toEqual(["auto", "route:default", "route:emb-premium", "route:embed", "route:premium"]);
    // No routes at all: auto cannot serve it either.
    const none = await createKey({ name: name("list-none"), routes: [], models: ["big"] });
    expect(await ids(none.key)).toEqual(["big"]);
  });

  it("a client token sees only its own narrower scope", async () => {
    const { id } = await createKey({ name: name("list-token"), routes: ["default", "premium"], models: ["echo", "big"], origins: ["https://app.example.com"] });
    const minted = await gw("/admin/tokens", { method: "POST", headers: json, body: JSON.stringify({ keyId: id, routes: ["default"], models: ["echo"], spendCapUsd: 1, expiresInSeconds: 300 }) });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    expect((await ids(token)).sort()).toEqual(["auto", "echo", "route:default"]);
  });
});
