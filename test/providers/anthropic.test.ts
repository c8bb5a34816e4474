/** The Anthropic adapter against a fake Messages API: what it sends, and how its answers and errors come back. */
import { describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, fake, fakeAnthropic, lastUpstreamRequest, ledger, putConfig, uniq, wireAvailable } from "../support/gateway";

const KEY = "sk-test-upstream-secret-0123456789";

async function withModel(entry: Parameters<typeof fakeAnthropic>[2] = {}, scenario = `echo:${uniq()}`) {
  await putConfig(baseConfig({ claude: fakeAnthropic(scenario, { input: 1, output: 2 }, entry) }));
  return scenario;
}

describe("Anthropic requests carry what the Messages API requires", () => {
  it("posts to /messages with x-api-key, anthropic-version and max_tokens from the model entry", async () => {
    const id = await withModel({ maxOutputTokens: 1234 });
    const res = await chat({ model: "claude", messages: [{ role: "user", content: "ping" }] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe("echo: ping");
    const sent = await lastUpstreamRequest(id);
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe(KEY);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toMatchObject({ model: id, max_tokens: 1234, messages: [{ role: "user", content: [{ type: "text", text: "ping" }] }] });
    expect(sent.body).not.toHaveProperty("stream");
  });

  it("uses the client's max_tokens (either name) and a default when neither the client nor the entry sets one", async () => {
    const id = await withModel();
    await chat({ model: "claude", messages: [{ role: "user", content: "a" }], max_completion_tokens: 77 });
    expect((await lastUpstreamRequest(id)).body.max_tokens).toBe(77);
    await chat({ model: "claude", messages: [{ role: "user", content: "a" }] });
    expect((await lastUpstreamRequest(id)).body.max_tokens).toBe(4096);
  });

  it("lifts system messages, merges same-role turns and sends tool results as tool_result blocks", async () => {
    const id = await withModel();
    const res = await chat({
      model: "claude",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Paris and Rome?" },
        { role: "developer", content: "Use tools." },
        { role: "assistant", content: null, tool_calls: [
          { id: "call_1", type: "function", function: { name: "weather", arguments: "{\"city\":\"Paris\"}" } },
          { id: "call.2", type: "function", function: { name: "weather", arguments: "" } },
        ] },
        { role: "tool", tool_call_id: "call_1", content: "18C" },
        { role: "tool", tool_call_id: "call.2", content: "21C" },
        { role: "user", content: [{ type: "text", text: "Thanks" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }, { type: "image_url", image_url: { url: "https://example.test/cat.jpg" } }] },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await lastUpstreamRequest(id)).body;
    expect(body.system).toBe("Be brief.\n\nUse tools.");
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome?" }] },
      { role: "assistant", content: [
        { type: "tool_use", id: "call_1", name: "weather", input: { city: "Paris" } },
        { type: "tool_use", id: "call_2", name: "weather", input: {} },
      ] },
      { role: "user", content: [
        { type: "tool_result", tool_use_id: "call_1", content: "18C" },
        { type: "tool_result", tool_use_id: "call_2", content: "21C" },
        { type: "text", text: "Thanks" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        { type: "image", source: { type: "url", url: "https://example.test/cat.jpg" } },
      ] },
    ]);
  });

  it("maps tools, tool_choice, stop, temperature, top_p, stream and user", async () => {
    const id = await withModel();
    const res = await chat({
      model: "claude", stream: true, messages: [{ role: "user", content: "x" }], temperature: 1.6, top_p: 0.9, stop: "END", user: "u-42",
      tools: [{ type: "function", function: { name: "lookup", description: "Find a thing", parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } }],
      tool_choice: { type: "function", function: { name: "lookup" } }, parallel_tool_calls: false,
    });
    await res.text();
    const sent = await lastUpstreamRequest(id);
    expect(sent.headers.accept).toBe("text/event-stream");
    expect(sent.body).toMatchObject({
      stream: true, temperature: 1, stop_sequences: ["END"], metadata: { user_id: "u-42" },
      tools: [{ name: "lookup", description: "Find a thing", input_schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } }],
      tool_choice: { type: "tool", name: "lookup", disable_parallel_tool_use: true },
    });
    // Recent Claude models refuse temperature and top_p together.
    expect(sent.body).not.toHaveProperty("top_p");
    await chat({ model: "claude", messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "t" } }], tool_choice: "required" });
    expect((await lastUpstreamRequest(id)).body).toMatchObject({ tools: [{ name: "t", input_schema: { type: "object" } }], tool_choice: { type: "any" } });
  });

  it("asks for JSON through a forced tool unless the model entry says it has native structured output", async () => {
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    const response_format = { type: "json_schema", json_schema: { name: "a", schema } };
    const viaTool = await withModel();
    await chat({ model: "claude", messages: [{ role: "user", content: "x" }], response_format });
    expect((await lastUpstreamRequest(viaTool)).body).toMatchObject({ tools: [{ name: "json", input_schema: schema }], tool_choice: { type: "tool", name: "json" } });
    const tools = [{ type: "function", function: { name: "lookup" } }];
    await chat({ model: "claude", messages: [{ role: "user", content: "x" }], response_format, tools });
    expect((await lastUpstreamRequest(viaTool)).body).toMatchObject({ tools: [{ name: "lookup" }, { name: "json" }], tool_choice: { type: "any" } });
    await chat({ model: "claude", messages: [{ role: "user", content: "x" }], response_format, tools, tool_choice: "none" });
    expect((await lastUpstreamRequest(viaTool)).body).toMatchObject({ tools: [{ name: "json" }], tool_choice: { type: "tool", name: "json" } });
    const native = await withModel({ capabilities: { jsonSchema: true } });
    await chat({ model: "claude", messages: [{ role: "user", content: "x" }], response_format });
    const body = (await lastUpstreamRequest(native)).body;
    expect(body).toMatchObject({ output_config: { format: { type: "json_schema", schema } } });
    expect(body).not.toHaveProperty("tools");
  });

  it.skipIf(!wireAvailable())("hands the forced tool's input back as the answer text (recorded json-tool answer)", async () => {
    await putConfig(baseConfig({ claude: fakeAnthropic("wire:anthropic/anthropic-json-tool.1") }));
    const req = { model: "claude", messages: [{ role: "user", content: "weather?" }], response_format: { type: "json_object" } };
    const body = (await (await chat(req)).json()) as { choices: Array<{ message: { content: string; tool_calls?: unknown }; finish_reason: string }> };
    expect(body.choices[0]?.finish_reason).toBe("stop");
    expect(body.choices[0]?.message.tool_calls).toBeUndefined();
    expect(JSON.parse(body.choices[0]?.message.content ?? "")).toMatchObject({ elements: expect.any(Array) });
    const a = await assembleStream(await chat({ ...req, stream: true }));
    expect(a.finishReason).toBe("stop");
    expect(a.toolCalls).toEqual([]);
    expect(JSON.parse(a.text)).toEqual({ elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] });
  });
});

describe("Anthropic usage is priced with cache rates", () => {
  it("sums cache reads and writes into prompt tokens and prices each at its own rate, stream and non-stream", async () => {
    const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };
    await putConfig(baseConfig({ claude: fakeAnthropic(`echo:cache-read=1000:cache-write=200:${uniq()}`, price) }));
    for (const stream of [false, true]) {
      const res = await chat({ model: "claude", messages: [{ role: "user", content: "cached" }], stream, stream_options: { include_usage: true } });
      const usage = stream
        ? ((await assembleStream(res)).usage as { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number; cache_creation_tokens: number } })
        : ((await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number; cache_creation_tokens: number } } }).usage;
      expect(usage.prompt_tokens_details).toEqual({ cached_tokens: 1000, cache_creation_tokens: 200 });
      const uncached = usage.prompt_tokens - 1200;
      expect(uncached).toBeGreaterThan(0);
      const expected = (uncached * 3 + 1000 * 0.3 + 200 * 3.75 + usage.completion_tokens * 15) / 1e6;
      const row = (await ledger(res.headers.get("x-tiergate-request-id"))).request;
      expect(row.cost_usd).toBeCloseTo(expected, 12);
      expect(row).toMatchObject({ input_tokens: usage.prompt_tokens, cached_input_tokens: 1000, usage_estimated: 0, provider_kind: "anthropic" });
    }
  });
});

describe("Anthropic errors", () => {
  it("returns a 400 with Anthropic's message as an OpenAI-style error, without retrying", async () => {
    const id = `status:400:${uniq()}`;
    await putConfig(baseConfig({ claude: fakeAnthropic(id), other: fake("echo") }, [{ name: "default", match: {}, model: "claude", fallbacks: ["other"] }]));
    const res = await chat({ model: "auto", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string; code: string } };
    expect(body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request_error" });
    expect(body.error.message).toContain("fake upstream: injected 400");
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("claude:400");
  });

  it("cuts a stream visibly when an error event arrives after the answer began (onStreamFailure: error)", async () => {
    await putConfig(baseConfig({ claude: fakeAnthropic(`error-event:5:${uniq()}`), other: fake("echo") }, [{ name: "default", match: {}, model: "claude", fallbacks: ["other"], onStreamFailure: "error" }]));
    const res = await chat({ model: "auto", messages: [{ role: "user", content: "one two three" }], stream: true });
    const a = await assembleStream(res);
    expect(a.text.length).toBeGreaterThan(0);
    expect(a.done).toBe(false);
    expect(a.error).toMatchObject({ code: "overloaded_error" });
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "partial", served_model: "claude" });
  });

  it("reports a stream that ends without message_stop as cut, not complete", async () => {
    await putConfig(baseConfig({ claude: fakeAnthropic(`truncate:5:${uniq()}`) }));
    const a = await assembleStream(await chat({ model: "claude", messages: [{ role: "user", content: "one two three" }], stream: true }));
    expect(a.text).toBe("echo: one");
    expect(a.done).toBe(false);
    expect(a.error).toMatchObject({ code: "upstream_stream_truncated" });
  });
});
