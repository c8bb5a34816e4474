/**
 * The small endpoints SDK clients call besides chat: GET /v1/models/{id} (`client.models.retrieve`),
 * POST /v1/messages/count_tokens (`anthropic.messages.countTokens`), model aliases with '/' and ':',
 * and GET /admin/config returning the document itself so GET → edit → PUT round-trips.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { estimateTokens } from "../../src/core/tokens";
import { KV_CONFIG_KEY } from "../../src/storage/kv-keys";
import { FAKE_COUNT_BASE } from "../fake-upstream/server";
import { ADMIN, baseConfig, chat, fake, fakeAnthropic, GATEWAY, gatewayFetch, gw, lastUpstreamRequest, messages, putConfig, TEST_CLIENT_KEY, uniq, userMessage } from "../support/gateway";
import { testEnv } from "../support/env";

const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });
const anthropic = new Anthropic({ apiKey: TEST_CLIENT_KEY, baseURL: GATEWAY, fetch: gatewayFetch, maxRetries: 0 });

/** The attempt-chain header: entries separated by ',', each `<alias>:<outcome>` split at its LAST ':' (aliases may hold ':'). */
function attemptChain(header: string | null): Array<{ model: string; outcome: string }> {
  return (header ?? "").split(",").filter(Boolean).map((entry) => {
    const at = entry.lastIndexOf(":");
    return { model: entry.slice(0, at), outcome: entry.slice(at + 1) };
  });
}

describe("GET /v1/models/{id}", () => {
  beforeEach(async () => {
    await putConfig(baseConfig({ "openai/gpt-4o": fake("echo", { input: 2.5, output: 10 }), "meta-llama/llama-3.1-8b:free": fake("echo", { input: 0, output: 0 }) }));
  });

  it("answers client.models.retrieve in OpenAI's shape, for aliases with '/' and ':' too", async () => {
    for (const id of ["echo", "openai/gpt-4o", "meta-llama/llama-3.1-8b:free", "auto", "route:default"]) {
      const model = await openai.models.retrieve(id);
      expect(model).toMatchObject({ id, object: "model", created: 0 });
      expect(typeof model.owned_by).toBe("string");
    }
    const gpt = (await openai.models.retrieve("openai/gpt-4o")) as unknown as Record<string, unknown>;
    expect(gpt).toMatchObject({ owned_by: "up", upstream_id: "echo", price_per_million: { input: 2.5, output: 10 } });
  });

  it("reads the id unencoded and percent-encoded alike, and equals the list's entry", async () => {
    const plain = await (await gw("/v1/models/openai/gpt-4o")).json();
    const encoded = await (await gw("/v1/models/openai%2Fgpt-4o")).json();
    expect(encoded).toEqual(plain);
    const list = (await (await gw("/v1/models")).json()) as { data: Array<{ id: string }> };
    expect(list.data.find((m) => m.id === "openai/gpt-4o")).toEqual(plain);
  });

  it("404s an unknown id with an OpenAI error body", async () => {
    const res = await gw("/v1/models/no-such-model");
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("model_not_found");
    expect(body.error.message).toContain("no-such-model");
    await expect(openai.models.retrieve("nope/nope:x")).rejects.toMatchObject({ status: 404 });
  });
});

describe("model aliases with '/', ':' and '.'", () => {
  it("serve requests, fall back, and keep the attempt-chain header readable", async () => {
    const run = uniq();
    await putConfig(baseConfig({ "vendor/model-1.5:free": fake(`status:503:${run}`, undefined, { fallbacks: ["openai/gpt-4o"] }), "openai/gpt-4o": fake("echo") }));
    const res = await chat({ model: "vendor/model-1.5:free", messages: userMessage("hi") });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-model")).toBe("openai/gpt-4o");
    expect(attemptChain(res.headers.get("x-tiergate-attempt-chain"))).toEqual([
      { model: "vendor/model-1.5:free", outcome: "503" },
      { model: "openai/gpt-4o", outcome: "ok" },
    ]);
  });

  it("are refused by PUT /admin/config with the rule named when they break it", async () => {
    for (const [alias, rule] of [["bad alias!", "model aliases are 1-128"], ["route:x", 'may not start with "route:"'], ["a,b", "model aliases are 1-128"], ["auto", "reserved"]] as const) {
      const res = await gw("/admin/config", { method: "PUT", headers: ADMIN, body: JSON.stringify(baseConfig({ [alias]: fake("echo") })) });
      expect(res.status, alias).toBe(400);
      const body = (await res.json()) as { error: { message: string }; issues: Array<{ path: string; message: string }> };
      expect(body.error.message, alias).toContain(rule);
      expect(body.error.message).not.toContain("Invalid key in record");
    }
  });
});

describe("POST /v1/messages/count_tokens", () => {
  beforeEach(async () => {
    await putConfig(baseConfig({ claude: fakeAnthropic("echo"), "claude-down": fakeAnthropic("status:500") }));
  });

  it("estimates for a model not served by Anthropic, and says it is an estimate", async () => {
    const system = "Be brief.";
    const text = "How many tokens is this sentence, roughly?";
    const count = await anthropic.messages.countTokens({ model: "sim-small", system, messages: [{ role: "user", content: text }] });
    expect(count.input_tokens).toBe(estimateTokens(`${system}\n${text}`));
    expect((count as unknown as { estimated?: boolean }).estimated).toBe(true);
    const res = await gw("/v1/messages/count_tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "sim-small", messages: [{ role: "user", content: text }] }) });
    expect(res.headers.get("x-tiergate-token-count")).toBe("estimate");
    expect(res.headers.get("x-tiergate-model")).toBe("sim-small");
  });

  it("asks Anthropic's count_tokens when the routed model is an Anthropic one (with its key, without max_tokens)", async () => {
    const { data, response } = await anthropic.messages
      .countTokens({ model: "claude", messages: [{ role: "user", content: "count me" }], tools: [{ name: "lookup", description: "look a word up", input_schema: { type: "object", properties: { q: { type: "string" } } } }] })
      .withResponse();
    const sent = await lastUpstreamRequest("echo");
    expect(sent.path).toMatch(/\/messages\/count_tokens$/);
    expect(sent.headers["x-api-key"]).toBe(testEnv().TEST_UPSTREAM_API_KEY);
    expect(sent.body.max_tokens).toBeUndefined();
    expect((sent.body.tools as unknown[]).length).toBe(1);
    expect(data.input_tokens).toBe(FAKE_COUNT_BASE + JSON.stringify(sent.body).length);
    expect((data as unknown as { estimated?: boolean }).estimated).toBeUndefined();
    expect(response.headers.get("x-tiergate-token-count")).toBe("provider");
  });

  it("falls back to the estimate when Anthropic's count fails", async () => {
    const res = await gw("/v1/messages/count_tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "claude-down", messages: [{ role: "user", content: "abcdefgh" }] }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ input_tokens: 2, estimated: true });
  });

  it("answers bad input and unknown models in Anthropic's error shape", async () => {
    const bad = await gw("/v1/messages/count_tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "claude", messages: [] }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    await expect(anthropic.messages.countTokens({ model: "nope", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 404 });
    // /v1/messages itself is unchanged.
    expect((await messages({ model: "claude", max_tokens: 20, messages: [{ role: "user", content: "hi" }] })).status).toBe(200);
  });
});

describe("GET /admin/config round-trips", () => {
  it("returns the stored document itself, status in headers; GET → edit → PUT works", async () => {
    const doc = baseConfig({ served: fake("echo") }, [{ name: "default", match: {}, model: "served" }]);
    const text = JSON.stringify(doc, null, 2);
    await putConfig(text);
    const res = await gw("/admin/config", { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-config-source")).toBe("config");
    expect(res.headers.get("x-tiergate-config-ok")).toBe("true");
    expect(res.headers.get("x-tiergate-config-hash")).toMatch(/^[0-9a-f]{8}$/);
    expect(await res.text()).toBe(text);

    const edited = JSON.parse(text) as typeof doc;
    edited.models = { ...edited.models, other: fake("echo") };
    edited.routes = [{ name: "default", match: {}, model: "other" }];
    const put = await gw("/admin/config", { method: "PUT", headers: ADMIN, body: JSON.stringify(edited) });
    expect(put.status).toBe(200);
    expect(JSON.parse((await testEnv().CONFIG.get(KV_CONFIG_KEY)) ?? "null")).toEqual(edited);
    expect((await chat({ model: "auto", messages: userMessage() })).headers.get("x-tiergate-model")).toBe("other");

    const status = (await (await gw("/admin/config/status", { headers: ADMIN })).json()) as { ok: boolean; source: string; hash: string };
    expect(status).toMatchObject({ ok: true, source: "config" });
  });

  it("while the stored document is broken, returns the last valid one and says so in headers", async () => {
    const doc = baseConfig();
    await putConfig(doc);
    await gw("/admin/config", { method: "PUT", headers: ADMIN, body: JSON.stringify(doc) });
    await putConfig("{ broken");
    const res = await gw("/admin/config", { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-config-source")).toBe("last-valid");
    expect(res.headers.get("x-tiergate-config-ok")).toBe("false");
    expect(await res.json()).toEqual(doc);
  });
});
