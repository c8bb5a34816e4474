/**
 * POST /v1/embeddings: the openai SDK's embeddings.create (base64 by default) and float answers,
 * served by OpenAI-wire and Gemini upstreams and the simulator; routed (auto, rules, fallbacks),
 * priced per input token, and recorded in the ledger as kind `embedding`.
 */
import OpenAI from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/default-config";
import { seedConfig } from "../../src/config/seed";
import { FAKE_EMBEDDING_DIMS, fakeVector } from "../fake-upstream/server";
import { baseConfig, chat, fake, fakeAnthropic, fakeGemini, GATEWAY, TEST_CLIENT_KEY, gatewayFetch, gw, lastUpstreamRequest, ledger, putConfig, uniq, userMessage } from "../support/gateway";
import { testEnv } from "../support/env";

const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });

const embeddings = (body: unknown, headers: Record<string, string> = {}) =>
  gw("/v1/embeddings", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

const embedding = (id: string, price = 0.02, extra = {}) => ({ ...fake(id, { input: price, output: 0 }), kind: "embedding" as const, ...extra });
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("POST /v1/embeddings", () => {
  let run: string;
  beforeEach(async () => {
    run = uniq();
    await putConfig(baseConfig(
      {
        "emb-up": embedding(`echo:${run}`, 0.02),
        "emb-gem": { ...fakeGemini(`gem-emb-${run}`, { input: 0.15, output: 0 }), kind: "embedding", dimensions: 3 },
        "emb-sim": { provider: "sim", id: "text-embedding-3-small", kind: "embedding", dimensions: 64, price: { input: 0.02, output: 0 } },
        "emb-down": embedding(`status:503:${run}`, 0.5, { fallbacks: ["emb-gem"] }),
        "emb-claude": { ...fakeAnthropic("echo"), kind: "embedding" },
      },
      [
        { name: "search", match: { feature: "search" }, model: "emb-gem" },
        { name: "embed-default", match: {}, model: "emb-up" },
        { name: "default", match: {}, model: "echo" },
      ],
    ));
  });

  it("answers the openai SDK (base64 by default) from the simulator: deterministic unit vectors of the model's dimension", async () => {
    const a = await openai.embeddings.create({ model: "emb-sim", input: ["the cat sat", "on the mat"] });
    expect(a.data.map((d) => d.index)).toEqual([0, 1]);
    expect(a.data[0]?.embedding).toHaveLength(64);
    expect(norm(a.data[0]?.embedding ?? [])).toBeCloseTo(1, 5);
    expect(a.data[0]?.embedding).not.toEqual(a.data[1]?.embedding);
    const again = await openai.embeddings.create({ model: "emb-sim", input: "the cat sat" });
    expect(again.data[0]?.embedding).toEqual(a.data[0]?.embedding);
    const floats = (await (await embeddings({ model: "emb-sim", input: "the cat sat", encoding_format: "float" })).json()) as { data: Array<{ embedding: number[] }> };
    // base64 carries float32: equal to the float answer within float32 precision.
    floats.data[0]?.embedding.forEach((x, i) => expect(again.data[0]?.embedding[i]).toBeCloseTo(x, 6));
    const sized = await openai.embeddings.create({ model: "emb-sim", input: "x", dimensions: 8 });
    expect(sized.data[0]?.embedding).toHaveLength(8);
  });

  it("calls an OpenAI-wire upstream, puts answers back in input order, bills its usage and writes a ledger row of kind embedding", async () => {
    const res = await embeddings({ model: "emb-up", input: ["alpha beta", "gamma"], encoding_format: "float" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; model: string; data: Array<{ index: number; embedding: number[] }>; usage: { prompt_tokens: number } };
    const upstreamId = `echo:${run}`;
    expect(body).toMatchObject({ object: "list", model: "emb-up", usage: { prompt_tokens: 3, total_tokens: 3 } });
    expect(body.data.map((d) => d.embedding)).toEqual([fakeVector(upstreamId, "alpha beta", FAKE_EMBEDDING_DIMS), fakeVector(upstreamId, "gamma", FAKE_EMBEDDING_DIMS)]);
    const sent = await lastUpstreamRequest(upstreamId);
    expect(sent.path).toMatch(/\/v1\/embeddings$/);
    expect(sent.headers.authorization).toBe(`Bearer ${testEnv().TEST_UPSTREAM_API_KEY}`);
    expect(Number(res.headers.get("x-tiergate-cost-usd"))).toBeCloseTo((3 * 0.02) / 1e6, 12);
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ kind: "embedding", status: "ok", served_model: "emb-up", input_tokens: 3, output_tokens: 0, usage_estimated: 0, route: "direct" });
    expect(request.cost_usd as number).toBeCloseTo((3 * 0.02) / 1e6, 12);
    expect(attempts).toHaveLength(1);
    const chatRes = await chat({ model: "auto", messages: userMessage() });
    expect(chatRes.headers.get("x-tiergate-route")).toBe("default");
    expect((await ledger(chatRes.headers.get("x-tiergate-request-id"))).request.kind).toBe("chat");
  });

  it("calls Gemini's batchEmbedContents (route by feature), estimating tokens as Gemini reports none", async () => {
    const res = await embeddings({ model: "auto", input: ["abcdefgh", "ijkl"], encoding_format: "float" }, { "x-tiergate-feature": "search" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-route")).toBe("search");
    const body = (await res.json()) as { data: Array<{ embedding: number[] }>; usage: { prompt_tokens: number } };
    const id = `gem-emb-${run}`;
    expect(body.data.map((d) => d.embedding)).toEqual([fakeVector(id, "abcdefgh", FAKE_EMBEDDING_DIMS), fakeVector(id, "ijkl", FAKE_EMBEDDING_DIMS)]);
    const sent = await lastUpstreamRequest(id);
    expect(sent.path).toContain(`:batchEmbedContents`);
    expect(sent.headers["x-goog-api-key"]).toBe(testEnv().TEST_UPSTREAM_API_KEY);
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    // "abcdefgh\nijkl": 13 characters, about four per token.
    expect(request).toMatchObject({ kind: "embedding", input_tokens: 4, usage_estimated: 1, provider: "gemini" });
    expect(request.cost_usd as number).toBeCloseTo((4 * 0.15) / 1e6, 12);
  });

  it("falls back to the next embedding model when one fails, recording both attempts", async () => {
    const res = await embeddings({ model: "emb-down", input: "hello" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("emb-down:503,emb-gem:ok");
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ kind: "embedding", served_model: "emb-gem", attempts: 2, fallbacks: 1 });
    expect(attempts.map((a) => [a.model, a.ok])).toEqual([["emb-down", 0], ["emb-gem", 1]]);
  });

  it("refuses chat models on /v1/embeddings, embedding models on chat, providers without embeddings, and bad input", async () => {
    const chatModel = await embeddings({ model: "echo", input: "x" });
    expect(chatModel.status).toBe(400);
    expect(((await chatModel.json()) as { error: { code: string } }).error.code).toBe("model_kind_mismatch");
    const onChat = await chat({ model: "emb-up", messages: userMessage() });
    expect(onChat.status).toBe(400);
    expect(((await onChat.json()) as { error: { code: string } }).error.code).toBe("model_kind_mismatch");
    const claude = await embeddings({ model: "emb-claude", input: "x" });
    expect(claude.status).toBe(400);
    expect(((await claude.json()) as { error: { code: string } }).error.code).toBe("embeddings_unsupported");
    for (const bad of [{ model: "emb-up" }, { model: "emb-up", input: [] }, { model: "emb-up", input: 5 }, { model: "emb-up", input: "x", encoding_format: "int8" }]) {
      const res = await embeddings(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    }
    const rejected = await embeddings({ model: "echo", input: "x" });
    expect((await ledger(rejected.headers.get("x-tiergate-request-id"))).request).toMatchObject({ kind: "embedding", status: "error", http_status: 400 });
  });
});

describe("embeddings in the seeded default config", () => {
  it("lists text-embedding-3-small in /v1/models and answers it from the simulator without a key", async () => {
    await putConfig(seedConfig(DEFAULT_CONFIG, new Set()).config);
    const list = await openai.models.list();
    const small = list.data.find((m) => m.id === "text-embedding-3-small") as unknown as Record<string, unknown>;
    expect(small).toMatchObject({ kind: "embedding", dimensions: 1536, price_per_million: { input: 0.02, output: 0 } });
    const { data, response } = await openai.embeddings.create({ model: "text-embedding-3-small", input: "hello" }).withResponse();
    expect(data.data[0]?.embedding).toHaveLength(1536);
    expect(response.headers.get("x-tiergate-simulated")).toBe("true");
    const auto = await openai.embeddings.create({ model: "auto", input: "hello" }).withResponse();
    expect(auto.response.headers.get("x-tiergate-route")).toBe("embeddings");
    expect(auto.data.data[0]?.embedding).toEqual(data.data[0]?.embedding);
  });
});
