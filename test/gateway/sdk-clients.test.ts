/**
 * The official SDKs as clients: `openai` against /v1/chat/completions and `@anthropic-ai/sdk`
 * against /v1/messages, stream and non-stream, each served by a provider of the other wire,
 * so the translation both ways is what the SDKs parse.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeEach, describe, expect, it } from "vitest";
import { baseConfig, fake, fakeAnthropic, fakeGemini, GATEWAY, gatewayFetch, putConfig, TEST_CLIENT_KEY, wireAvailable } from "../support/gateway";

const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });
const anthropic = new Anthropic({ apiKey: TEST_CLIENT_KEY, baseURL: GATEWAY, fetch: gatewayFetch, maxRetries: 0 });

beforeEach(async () => {
  await putConfig(baseConfig({
    claude: fakeAnthropic("echo"),
    gpt: fake("echo"),
    ...(wireAvailable()
      ? {
          "claude-thinking": fakeAnthropic("wire:anthropic/anthropic-clear-thinking.1"),
          "gemini-tools": fakeGemini("wire:google/google-tool-call"),
          "claude-tools": fakeAnthropic("wire:anthropic/anthropic-tool-no-args"),
        }
      : {}),
  }));
});

describe("the openai SDK against /v1/chat/completions (served by an Anthropic model)", () => {
  it("non-stream", async () => {
    const completion = await openai.chat.completions.create({ model: "claude", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello sdk" }] });
    expect(completion.choices[0]?.message.content).toBe("echo: hello sdk");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it("stream, with usage", async () => {
    const stream = await openai.chat.completions.create({ model: "claude", messages: [{ role: "user", content: "hello stream" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe("echo: hello stream");
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBe(3);
  });

  it.skipIf(!wireAvailable())("tool calls through the SDK's stream helper (recorded Anthropic tool call)", async () => {
    const runner = openai.chat.completions.stream({ model: "claude-tools", messages: [{ role: "user", content: "update" }], tools: [{ type: "function", function: { name: "updateIssueList", parameters: { type: "object", properties: {} } } }] });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: "function", function: { name: "updateIssueList", arguments: "{}" } });
    expect(final.choices[0]?.message.content).toBe("I'll update the issue list for you.");
  });

  it("errors surface as the SDK's typed errors", async () => {
    await expect(openai.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe("the @anthropic-ai/sdk client against /v1/messages (served by an OpenAI-wire model)", () => {
  it("non-stream", async () => {
    const message = await anthropic.messages.create({ model: "gpt", max_tokens: 64, system: "Be brief.", messages: [{ role: "user", content: "hello claude sdk" }] });
    expect(message.content).toEqual([{ type: "text", text: "echo: hello claude sdk" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(4);
  });

  it("stream, through the SDK's message stream helper", async () => {
    const stream = anthropic.messages.stream({ model: "gpt", max_tokens: 64, messages: [{ role: "user", content: "hello stream" }] });
    let text = "";
    stream.on("text", (t) => (text += t));
    const final = await stream.finalMessage();
    expect(text).toBe("echo: hello stream");
    expect(final.content).toEqual([expect.objectContaining({ type: "text", text: "echo: hello stream" })]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(3);
  });

  it("stream, as raw events with stream: true", async () => {
    const events = await anthropic.messages.create({ model: "gpt", max_tokens: 64, stream: true, messages: [{ role: "user", content: "raw" }] });
    const types: string[] = [];
    for await (const e of events) types.push(e.type);
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    expect(types).toContain("content_block_delta");
  });

  it.skipIf(!wireAvailable())("thinking and tool use survive the round trip (recorded Anthropic thinking, recorded Gemini call)", async () => {
    const thinking = await anthropic.messages.stream({ model: "claude-thinking", max_tokens: 64, messages: [{ role: "user", content: "925 / 5?" }] }).finalMessage();
    expect(thinking.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    expect(thinking.content[1]).toMatchObject({ type: "text", text: "925 ÷ 5 = 185" });

    const tools = await anthropic.messages.stream({
      model: "gemini-tools", max_tokens: 64, messages: [{ role: "user", content: "Weather in SF?" }],
      tools: [{ name: "weather", input_schema: { type: "object", properties: { location: { type: "string" } } } }],
    }).finalMessage();
    expect(tools.stop_reason).toBe("tool_use");
    expect(tools.content[0]).toMatchObject({ type: "tool_use", name: "weather", input: { location: "San Francisco" } });
  });

  it("errors surface as the SDK's typed errors", async () => {
    await expect(anthropic.messages.create({ model: "no-such-model", max_tokens: 5, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });
});
