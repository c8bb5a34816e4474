import { beforeEach, describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, gw, ledger, putConfig, upstreamRequests, userMessage } from "../support/gateway";

beforeEach(async () => {
  await putConfig(baseConfig({}, [
    { name: "sim", match: { feature: "sim" }, model: "sim-small" },
    { name: "default", match: {}, model: "echo" },
  ]));
});

describe("POST /v1/chat/completions through the simulator", () => {
  it("answers non-stream with a chat.completion labelled as simulated, and records it", async () => {
    const res = await chat({ model: "auto", messages: userMessage("Summarise this please") }, { "x-tiergate-feature": "sim" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; model: string; system_fingerprint: string; choices: Array<{ message: { content: string }; finish_reason: string }>; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(body.object).toBe("chat.completion");
    expect(body.model).toBe("simulator/small");
    expect(body.system_fingerprint).toBe("tiergate-simulator");
    expect(body.choices[0]?.message.content.length).toBeGreaterThan(10);
    expect(body.choices[0]?.finish_reason).toBe("stop");
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(res.headers.get("x-tiergate-route")).toBe("sim");
    expect(res.headers.get("x-tiergate-model")).toBe("sim-small");
    expect(res.headers.get("x-tiergate-simulated")).toBe("true");
    expect(res.headers.get("x-tiergate-attempts")).toBe("1");
    const cost = Number(res.headers.get("x-tiergate-cost-usd"));
    const expected = (body.usage.prompt_tokens * 0.15 + body.usage.completion_tokens * 0.6) / 1e6;
    expect(cost).toBeCloseTo(expected, 10);

    const row = (await ledger(res.headers.get("x-tiergate-request-id"))).request;
    expect(row).toMatchObject({ route: "sim", feature: "sim", served_model: "sim-small", provider: "sim", provider_kind: "simulator", simulated: 1, status: "ok", http_status: 200, usage_estimated: 0, input_tokens: body.usage.prompt_tokens, output_tokens: body.usage.completion_tokens });
    expect(row.cost_usd).toBeCloseTo(expected, 12);
    // Baseline "big" costs 10/30 per 1M tokens.
    expect(row.baseline_cost_usd).toBeCloseTo((body.usage.prompt_tokens * 10 + body.usage.completion_tokens * 30) / 1e6, 12);
  });

  it("streams chat.completion.chunk events ending with [DONE], deterministic for the same prompt", async () => {
    const req = { model: "sim-small", messages: userMessage("Tell me a story"), stream: true, stream_options: { include_usage: true } };
    const res = await chat(req);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const a = await assembleStream(res);
    expect(a.done).toBe(true);
    expect(a.finishReason).toBe("stop");
    expect(a.usage).toMatchObject({ completion_tokens: expect.any(Number) });
    const nonStream = (await (await chat({ ...req, stream: false })).json()) as { choices: Array<{ message: { content: string } }> };
    expect(a.text).toBe(nonStream.choices[0]?.message.content);
    const row = (await ledger(res.headers.get("x-tiergate-request-id"))).request;
    expect(row).toMatchObject({ route: "direct", strategy: "direct", stream: 1, status: "ok", served_model: "sim-small", requested_model: "sim-small" });
    expect(row.ttfb_ms).not.toBeNull();
  });

  it("omits the usage chunk unless the client asks for it", async () => {
    const a = await assembleStream(await chat({ model: "sim-small", messages: userMessage(), stream: true }));
    expect(a.done).toBe(true);
    expect(a.usage).toBeNull();
  });
});

describe("POST /v1/chat/completions through an OpenAI-wire upstream", () => {
  it("sends the upstream model id, the key from the secret, and passes unknown fields through", async () => {
    const res = await chat({ model: "auto", messages: userMessage("ping"), temperature: 0.2, vendor_extension: { a: 1 }, metadata: { feature: "x" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe("echo: ping");
    const [sent] = (await upstreamRequests("echo")).slice(-1);
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe("Bearer sk-test-upstream-secret-0123456789");
    expect(sent?.body).toMatchObject({ model: "echo", temperature: 0.2, vendor_extension: { a: 1 }, stream: false });
    expect(sent?.body).not.toHaveProperty("metadata");
  });

  it("asks a streaming upstream for usage and records measured (not estimated) tokens", async () => {
    const res = await chat({ model: "echo", messages: userMessage("count me"), stream: true });
    const a = await assembleStream(res);
    expect(a.text).toBe("echo: count me");
    const [sent] = (await upstreamRequests("echo")).slice(-1);
    expect(sent?.body.stream_options).toEqual({ include_usage: true });
    const row = (await ledger(res.headers.get("x-tiergate-request-id"))).request;
    expect(row.usage_estimated).toBe(0);
    expect(row.output_tokens).toBe(3);
  });
});

describe("GET endpoints", () => {
  it("lists auto, routes and models in /v1/models", async () => {
    const body = (await (await gw("/v1/models")).json()) as { object: string; data: Array<{ id: string }> };
    expect(body.object).toBe("list");
    expect(body.data.map((m) => m.id)).toEqual(expect.arrayContaining(["auto", "route:sim", "route:default", "echo", "sim-small"]));
  });

  it("reports health", async () => {
    const res = await gw("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", config: { source: "config" } });
  });

  it("answers unknown endpoints with an OpenAI-style 404", async () => {
    const res = await gw("/v1/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: "not_found_error", code: "unknown_endpoint" } });
  });
});
