import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/chat-request";
import { GatewayError } from "../../core/errors";
import { abortless, assemble, fixture, fixtureFetch } from "../__fixtures__/replay";
import type { ProviderOf, UpstreamTarget } from "../types";
import { openAICompatibleAdapter } from "./adapter";

const KEY = "sk-unit-test-key-0123456789";
const target = (provider: Partial<ProviderOf<"openai">> = {}): UpstreamTarget<ProviderOf<"openai">> => ({
  alias: "mini", providerName: "openai", apiKey: KEY, keyHosts: ["api.openai.com", "api.deepseek.com", "api.groq.com", "api.mistral.ai"],
  model: { provider: "openai", id: "gpt-4o-mini", price: { input: 0.15, output: 0.6 } },
  provider: { type: "openai", preset: "openai", ...provider },
});
const ask: ChatRequest = { model: "mini", messages: [{ role: "user", content: "Capital of France?" }] };
const read = (name: string) => fixture(import.meta.url, name);

describe("the OpenAI-wire adapter on committed fixtures", () => {
  it("sends a stream request with the key as a bearer token and usage asked for", async () => {
    const { fetch, sent } = fixtureFetch(read("text.sse"));
    await assemble(await openAICompatibleAdapter.call(ask, target(), { stream: true, signal: abortless(), fetch }));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe("https://api.openai.com/v1/chat/completions");
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent[0]?.body).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
  });

  it("assembles a text stream cut at every 7 bytes: role, text across multi-byte characters, finish, usage", async () => {
    const { fetch } = fixtureFetch(read("text.sse"), { pieceBytes: 7 });
    const a = await assemble(await openAICompatibleAdapter.call(ask, target(), { stream: true, signal: abortless(), fetch }));
    expect(a).toMatchObject({ role: "assistant", text: "Paris is the capital — of France.", finish: "stop" });
    expect(a.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 });
  });

  it("assembles two streamed tool calls with their argument fragments", async () => {
    const { fetch } = fixtureFetch(read("tool-call.sse"), { pieceBytes: 11 });
    const a = await assemble(await openAICompatibleAdapter.call(ask, target(), { stream: true, signal: abortless(), fetch }));
    expect(a.finish).toBe("tool_calls");
    expect(a.toolCalls).toEqual([
      { id: "call_fxA", name: "get_weather", arguments: '{"city":"Paris"}' },
      { id: "call_fxB", name: "get_time", arguments: '{"tz":"Europe/Paris"}' },
    ]);
    expect(a.usage?.completion_tokens).toBe(31);
  });

  it("keeps DeepSeek's reasoning_content apart from the answer and counts reasoning tokens", async () => {
    const { fetch } = fixtureFetch(read("reasoning.sse"));
    const a = await assemble(await openAICompatibleAdapter.call(ask, target({ preset: "deepseek" }), { stream: true, signal: abortless(), fetch }));
    expect(a).toMatchObject({ text: "4", reasoning: "2 and 2 make four.", finish: "stop" });
    expect(a.usage?.completion_tokens).toBe(20);
  });

  it("turns an error event inside the stream into a GatewayError carrying the provider's message", async () => {
    const { fetch } = fixtureFetch(read("error-event.sse"));
    const result = await openAICompatibleAdapter.call(ask, target(), { stream: true, signal: abortless(), fetch });
    const err = await assemble(result).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).message).toContain("The server had an error while processing your request.");
  });

  it("maps non-stream answers: text with cached tokens, and a tool call", async () => {
    const text = await openAICompatibleAdapter.call(ask, target(), { stream: false, signal: abortless(), fetch: fixtureFetch(read("text.json"), { contentType: "application/json" }).fetch });
    if (text.kind !== "completion") throw new Error("expected a completion");
    expect(text.completion.choices[0]?.message.content).toBe("Paris is the capital of France.");
    expect(text.completion.choices[0]?.finish_reason).toBe("stop");
    expect(text.completion.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 8, prompt_tokens_details: { cached_tokens: 6 } });

    const tool = await openAICompatibleAdapter.call(ask, target(), { stream: false, signal: abortless(), fetch: fixtureFetch(read("tool-call.json"), { contentType: "application/json" }).fetch });
    if (tool.kind !== "completion") throw new Error("expected a completion");
    expect(tool.completion.choices[0]?.message.tool_calls).toEqual([{ id: "call_fxC", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
    expect(tool.completion.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("reads an error body by its schema and never echoes the key", async () => {
    const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } });
    const err = await openAICompatibleAdapter
      .call(ask, target(), { stream: false, signal: abortless(), fetch: fixtureFetch(body, { status: 401, contentType: "application/json" }).fetch })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBeGreaterThanOrEqual(400);
    expect((err as GatewayError).code).toBe("invalid_api_key");
    expect(JSON.stringify((err as GatewayError).message)).not.toContain(KEY);
  });
});
