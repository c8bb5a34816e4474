import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../core/chat-request";
import { abortless, assemble, fixture, fixtureFetch } from "../__fixtures__/replay";
import type { ProviderOf, UpstreamTarget } from "../types";
import { geminiAdapter } from "./adapter";

const KEY = "AIza-unit-test-key-0123456789";
const target: UpstreamTarget<ProviderOf<"gemini">> = {
  alias: "flash", providerName: "google", apiKey: KEY, keyHosts: ["generativelanguage.googleapis.com"],
  model: { provider: "google", id: "gemini-2.5-flash", price: { input: 0.3, output: 2.5 } },
  provider: { type: "gemini", baseUrl: "https://generativelanguage.googleapis.com/v1beta" },
};
const ask: ChatRequest = { model: "flash", messages: [{ role: "user", content: "Capital of France?" }] };
const read = (name: string) => fixture(import.meta.url, name);
const stream = (name: string, pieceBytes = 7) =>
  geminiAdapter.call(ask, target, { stream: true, signal: abortless(), fetch: fixtureFetch(read(name), { pieceBytes }).fetch });
const once = (name: string) =>
  geminiAdapter.call(ask, target, { stream: false, signal: abortless(), fetch: fixtureFetch(read(name), { contentType: "application/json" }).fetch });

describe("the Gemini adapter on committed fixtures", () => {
  it("sends streamGenerateContent with alt=sse and the key in a header, never in the URL", async () => {
    const { fetch, sent } = fixtureFetch(read("text.sse"));
    await assemble(await geminiAdapter.call(ask, target, { stream: true, signal: abortless(), fetch }));
    expect(sent[0]?.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(sent[0]?.url).not.toContain(KEY);
    expect(sent[0]?.headers["x-goog-api-key"]).toBe(KEY);
    expect(sent[0]?.body).toMatchObject({ contents: [{ role: "user", parts: [{ text: "Capital of France?" }] }] });
  });

  it("assembles a CRLF-separated stream cut at every 7 bytes; thoughts tokens count as completion", async () => {
    const a = await assemble(await stream("text.sse"));
    expect(a).toMatchObject({ role: "assistant", text: "Paris is the capital — of France.", finish: "stop" });
    expect(a.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 22, completion_tokens_details: { reasoning_tokens: 13 } });
  });

  it("streams thought parts as reasoning_content", async () => {
    const a = await assemble(await stream("thinking.sse"));
    expect(a).toMatchObject({ reasoning: "Adding two and two.", text: "4", finish: "stop" });
  });

  it("turns parallel function calls into tool calls with ids, finishing with tool_calls", async () => {
    const a = await assemble(await stream("function-call.sse", 5));
    expect(a.finish).toBe("tool_calls");
    expect(a.toolCalls.map(({ name, arguments: args }) => ({ name, args: JSON.parse(args) as unknown }))).toEqual([
      { name: "get_weather", args: { city: "Paris" } },
      { name: "get_time", args: { tz: "Europe/Paris" } },
    ]);
    for (const c of a.toolCalls) expect(c.id).toMatch(/\S/);
  });

  it("maps non-stream answers: text, and a function call", async () => {
    const text = await once("text.json");
    if (text.kind !== "completion") throw new Error("expected a completion");
    expect(text.completion.choices[0]?.message.content).toBe("Paris is the capital of France.");
    expect(text.completion.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 8 });

    const call = await once("function-call.json");
    if (call.kind !== "completion") throw new Error("expected a completion");
    expect(call.completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call.completion.choices[0]?.message.tool_calls?.[0]?.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
  });
});
