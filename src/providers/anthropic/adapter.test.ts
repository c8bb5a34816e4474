import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/chat-request";
import { GatewayError } from "../../core/errors";
import { abortless, assemble, fixture, fixtureFetch } from "../__fixtures__/replay";
import type { ProviderOf, UpstreamTarget } from "../types";
import { anthropicAdapter } from "./adapter";

const KEY = "sk-ant-unit-test-key-0123456789";
const target: UpstreamTarget<ProviderOf<"anthropic">> = {
  alias: "haiku", providerName: "anthropic", apiKey: KEY, keyHosts: ["api.anthropic.com"],
  model: { provider: "anthropic", id: "claude-haiku-4-5", price: { input: 0.8, output: 4 } },
  provider: { type: "anthropic", baseUrl: "https://api.anthropic.com/v1", version: "2023-06-01" },
};
const ask: ChatRequest = { model: "haiku", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Capital of France?" }] };
const read = (name: string) => fixture(import.meta.url, name);
const stream = (name: string, pieceBytes = 7) =>
  anthropicAdapter.call(ask, target, { stream: true, signal: abortless(), fetch: fixtureFetch(read(name), { pieceBytes }).fetch });
const once = (name: string) =>
  anthropicAdapter.call(ask, target, { stream: false, signal: abortless(), fetch: fixtureFetch(read(name), { contentType: "application/json" }).fetch });

describe("the Anthropic adapter on committed fixtures", () => {
  it("sends the Messages API request: x-api-key, anthropic-version, system apart, max_tokens set", async () => {
    const { fetch, sent } = fixtureFetch(read("text.sse"));
    await assemble(await anthropicAdapter.call(ask, target, { stream: true, signal: abortless(), fetch }));
    expect(sent[0]?.url).toBe("https://api.anthropic.com/v1/messages");
    expect(sent[0]?.headers).toMatchObject({ "x-api-key": KEY, "anthropic-version": "2023-06-01" });
    expect(sent[0]?.headers.authorization).toBeUndefined();
    expect(sent[0]?.body).toMatchObject({ model: "claude-haiku-4-5", stream: true, system: "Be brief.", messages: [{ role: "user" }] });
    expect(typeof sent[0]?.body.max_tokens).toBe("number");
  });

  it("assembles a text stream with a ping, cut at every 7 bytes; usage counts the cache read in the prompt", async () => {
    const a = await assemble(await stream("text.sse"));
    expect(a).toMatchObject({ role: "assistant", text: "Paris is the capital — of France.", finish: "stop" });
    expect(a.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 12, prompt_tokens_details: { cached_tokens: 4 } });
  });

  it("streams text then a tool call with its JSON fragments, finishing with tool_calls", async () => {
    const a = await assemble(await stream("tool-use.sse", 13));
    expect(a.text).toBe("Let me check.");
    expect(a.toolCalls).toEqual([{ id: "toolu_fxA", name: "get_weather", arguments: '{"city": "Paris"}' }]);
    expect(a.finish).toBe("tool_calls");
    expect(a.usage?.completion_tokens).toBe(48);
  });

  it("streams thinking as reasoning_content, apart from the answer", async () => {
    const a = await assemble(await stream("thinking.sse"));
    expect(a).toMatchObject({ reasoning: "Two plus two is four.", text: "4", finish: "stop" });
  });

  it("turns an in-stream overloaded error into a retryable GatewayError", async () => {
    const err = await assemble(await stream("overloaded.sse")).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).message).toContain("Overloaded");
    expect((err as GatewayError).retryable).toBe(true);
  });

  it("maps non-stream answers: text with cache reads and writes, and text beside a tool call", async () => {
    const text = await once("text.json");
    if (text.kind !== "completion") throw new Error("expected a completion");
    expect(text.completion.choices[0]?.message.content).toBe("Paris is the capital of France.");
    expect(text.completion.usage).toMatchObject({ prompt_tokens: 27, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 4, cache_creation_tokens: 2 } });

    const tool = await once("tool-use.json");
    if (tool.kind !== "completion") throw new Error("expected a completion");
    const choice = tool.completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe("Let me check.");
    expect(choice?.message.tool_calls).toEqual([{ id: "toolu_fxB", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }]);
  });
});
