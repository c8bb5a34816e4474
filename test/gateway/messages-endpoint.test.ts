/** POST /v1/messages: the Anthropic Messages format in and out, routed by the same engine as /v1/chat/completions. */
import { beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import { baseConfig, fake, fakeAnthropic, ledger, messages, putConfig, sseEvents, uniq, upstreamRequests, wireAvailable } from "../support/gateway";

interface Message {
  id: string;
  type: string;
  role: string;
  model: string;
  content: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown; thinking?: string }>;
  stop_reason: string;
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
}

beforeEach(async () => {
  await putConfig(baseConfig({ claude: fakeAnthropic("echo") }));
});

/** Model "echo" on an upstream id of its own, so this test reads back only its own requests. */
async function echoModel(): Promise<string> {
  const id = `echo:${uniq()}`;
  await putConfig(baseConfig({ echo: fake(id) }));
  return id;
}

describe("POST /v1/messages", () => {
  it("answers an Anthropic request from an OpenAI-wire model in the Anthropic message shape", async () => {
    const id = await echoModel();
    const res = await messages({ model: "echo", max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "hi there" }], temperature: 0.5, stop_sequences: ["END"], metadata: { user_id: "u1" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Message;
    expect(body).toMatchObject({ type: "message", role: "assistant", content: [{ type: "text", text: "echo: hi there" }], stop_reason: "end_turn", stop_sequence: null });
    expect(body.id).toMatch(/^msg_/);
    expect(body.usage.output_tokens).toBe(3);
    expect(body.usage.input_tokens).toBeGreaterThan(0);
    const sent = (await upstreamRequests(id)).at(-1);
    expect(sent?.body).toMatchObject({
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi there" }],
      max_tokens: 100, temperature: 0.5, stop: ["END"], user: "u1",
    });
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "ok", served_model: "echo", stream: 0 });
  });

  it("streams Anthropic events: message_start, content blocks, message_delta with usage, message_stop", async () => {
    const res = await messages({ model: "echo", max_tokens: 100, stream: true, messages: [{ role: "user", content: "one two" }] });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await sseEvents(res);
    for (const e of events) expect(e.event).toBe((JSON.parse(e.data) as { type: string }).type);
    expect(events.map((e) => e.event)).toEqual(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    const text = events.filter((e) => e.event === "content_block_delta").map((e) => (JSON.parse(e.data) as { delta: { text: string } }).delta.text).join("");
    expect(text).toBe("echo: one two");
    const delta = JSON.parse(events.at(-2)?.data ?? "{}") as { delta: { stop_reason: string }; usage: { output_tokens: number; input_tokens: number } };
    expect(delta.delta.stop_reason).toBe("end_turn");
    expect(delta.usage.output_tokens).toBe(3);
    expect(delta.usage.input_tokens).toBeGreaterThan(0);
  });

  it("translates tools, tool_use history and tool_result blocks to the canonical request", async () => {
    const id = await echoModel();
    const res = await messages({
      model: "echo", max_tokens: 50,
      tools: [{ name: "weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig" }, { type: "text", text: "Checking." }, { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } }] },
        { role: "user", content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "18C" }] },
          { type: "text", text: "And tomorrow?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        ] },
      ],
      output_config: { format: { type: "json_schema", schema: { type: "object", properties: { t: { type: "string" } } } } },
    });
    expect(res.status).toBe(200);
    expect((await upstreamRequests(id)).at(-1)?.body).toMatchObject({
      tools: [{ type: "function", function: { name: "weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      tool_choice: "required", parallel_tool_calls: false,
      response_format: { type: "json_schema", json_schema: { name: "response", schema: { type: "object", properties: { t: { type: "string" } } } } },
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: "Checking.", tool_calls: [{ id: "toolu_1", type: "function", function: { name: "weather", arguments: "{\"city\":\"Paris\"}" } }] },
        { role: "tool", tool_call_id: "toolu_1", content: "18C" },
        { role: "user", content: [{ type: "text", text: "And tomorrow?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
      ],
    });
  });

  it.skipIf(!wireAvailable())("returns tool calls as tool_use blocks (recorded Gemini call), stream and non-stream", async () => {
    await putConfig(baseConfig({ gem: { provider: "gemini", id: "wire:google/google-tool-call", price: { input: 1, output: 2 } } }));
    const req = { model: "gem", max_tokens: 50, messages: [{ role: "user", content: "Weather in SF?" }], tools: [{ name: "weather", input_schema: { type: "object", properties: { location: { type: "string" } } } }] };
    const body = (await (await messages(req)).json()) as Message;
    expect(body.stop_reason).toBe("tool_use");
    expect(body.content).toEqual([{ type: "tool_use", id: expect.stringMatching(/^[A-Za-z0-9_-]+$/), name: "weather", input: { location: "San Francisco" } }]);
    expect(body.usage).toEqual({ input_tokens: 29, output_tokens: 908, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    const events = await sseEvents(await messages({ ...req, stream: true }));
    const start = events.find((e) => e.event === "content_block_start");
    expect(JSON.parse(start?.data ?? "{}")).toMatchObject({ content_block: { type: "tool_use", name: "weather", input: {} } });
    const json = events.filter((e) => e.event === "content_block_delta").map((e) => (JSON.parse(e.data) as { delta: { partial_json: string } }).delta.partial_json).join("");
    expect(JSON.parse(json)).toEqual({ location: "San Francisco" });
    expect(JSON.parse(events.at(-2)?.data ?? "{}")).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  it("reports cache reads and writes the Anthropic way (input_tokens without them)", async () => {
    const id = `echo:cache-read=500:cache-write=40:${uniq()}`;
    await putConfig(baseConfig({ claude: fakeAnthropic(id) }));
    const body = (await (await messages({ model: "claude", max_tokens: 10, messages: [{ role: "user", content: "x" }] })).json()) as Message;
    expect(body.usage).toMatchObject({ cache_read_input_tokens: 500, cache_creation_input_tokens: 40 });
    const sent = (await upstreamRequests(id)).at(-1);
    expect(body.usage.input_tokens).toBe(Math.ceil(JSON.stringify(sent?.body.messages).length / 4));
  });
});

describe("POST /v1/messages errors come in the Anthropic error shape", () => {
  it("a body without max_tokens is a 400 invalid_request_error", async () => {
    const res = await messages({ model: "echo", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") } });
  });

  it("an unknown model is a 404 not_found_error; a failed upstream a 502 api_error", async () => {
    const res = await messages({ model: "claude-nope", max_tokens: 5, messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    await putConfig(baseConfig({ down: fake(`status:503:${uniq()}`) }));
    const down = await messages({ model: "down", max_tokens: 5, messages: [{ role: "user", content: "x" }] });
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
  });

  it("server tools are refused rather than silently dropped", async () => {
    const res = await messages({ model: "echo", max_tokens: 5, messages: [{ role: "user", content: "x" }], tools: [{ type: "web_search_20250305", name: "web_search", input_schema: {} }] });
    expect(res.status).toBe(400);
  });

  it("a stream cut after the answer began ends with an error event and no message_stop", async () => {
    await putConfig(baseConfig({ flaky: fake(`error-event:3:${uniq()}`) }));
    const events = await sseEvents(await messages({ model: "flaky", max_tokens: 5, stream: true, messages: [{ role: "user", content: "one two three" }] }));
    expect(events.at(-1)?.event).toBe("error");
    expect(JSON.parse(events.at(-1)?.data ?? "{}")).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(events.some((e) => e.event === "message_stop")).toBe(false);
  });

  it("takes the client key from x-api-key and answers a missing one with authentication_error", async () => {
    const key = "tg-client-key-123";
    await putConfig(baseConfig({}, undefined, { access: { requireKey: true, keys: [{ name: "claude-code", keySha256: await sha256Hex(key), team: "tools" }] } }));
    const ok = await messages({ model: "echo", max_tokens: 5, messages: [{ role: "user", content: "x" }] }, { "x-api-key": key });
    expect(ok.status).toBe(200);
    expect((await ledger(ok.headers.get("x-tiergate-request-id"))).request).toMatchObject({ key_name: "claude-code", team: "tools" });
    const missing = await messages({ model: "echo", max_tokens: 5, messages: [{ role: "user", content: "x" }] }, {}, { key: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });
});
