/**
 * Normalised client streams (issue 15 item 3): whatever quirks the upstream has — no `role` in
 * the first delta, tool-call (or content-block) indices from 1, the finish sent twice, usage
 * before the finish — on each of the three upstream wires, the client's OpenAI stream has role
 * in its first delta only, dense tool-call indices from 0, one finish reason, usage in a final
 * chunk of its own when asked, and the Anthropic stream well-formed block indices; the openai
 * SDK's `.stream()` helper assembles the answer. On the fake's echo answers and on the recordings
 * in ../shared/wire with the quirks applied (those skip when it is absent).
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { assembleStream, baseConfig, chat, fake, fakeAnthropic, fakeGemini, GATEWAY, gatewayFetch, ledger, messages, putConfig, sseEvents, TEST_CLIENT_KEY, uniq, wireAvailable } from "../support/gateway";
import { anthropicStreamProblems, openAIStreamProblems } from "../support/stream-shape";

type ModelInput = ConfigInput["models"][string];
const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });

const QUIRKS = "quirks=no-role+two-finish+usage-early+tools-from-1";
const lookup = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: { text: { type: "string" } } } } }];
const prompt = [{ role: "user" as const, content: "one two three" }];

async function serve(model: ModelInput, cut?: ModelInput) {
  await putConfig(baseConfig({ q: model, ...(cut ? { c: cut } : {}) }, [{ name: "default", match: {}, model: cut ? "c" : "q", ...(cut ? { fallbacks: ["q"] } : {}) }]));
}

/** Per wire: a plain answer and a tool call, both from a quirky upstream. */
const ECHO: Array<{ wire: string; text: ModelInput; tool: ModelInput | null }> = [
  { wire: "openai", text: fake(`echo:${QUIRKS}:role-every`), tool: fake(`echo:tool=lookup:${QUIRKS}`) },
  { wire: "openai (role in every delta)", text: fake("echo:quirks=role-every+two-finish"), tool: fake("echo:tool=lookup:quirks=role-every+tools-from-1") },
  { wire: "anthropic", text: fakeAnthropic(`echo:${QUIRKS}`), tool: fakeAnthropic(`echo:tool=lookup:preamble=Looking_it_up.:${QUIRKS}`) },
  { wire: "gemini", text: fakeGemini(`echo:${QUIRKS}`), tool: null },
];

describe.each(ECHO)("a quirky $wire upstream", ({ text, tool }) => {
  it("/v1/chat/completions: role first, one finish, usage last; the .stream() helper assembles it", async () => {
    await serve(text);
    const res = await chat({ model: "auto", messages: prompt, stream: true, stream_options: { include_usage: true } });
    const events = await sseEvents(res.clone());
    expect(openAIStreamProblems(events, { usage: true })).toEqual([]);
    expect(await assembleStream(res)).toMatchObject({ text: "echo: one two three", finishReason: "stop", roles: 1, done: true });
    const final = await openai.chat.completions.stream({ model: "auto", messages: prompt }).finalChatCompletion();
    expect(final.choices[0]).toMatchObject({ finish_reason: "stop", message: { role: "assistant", content: "echo: one two three" } });
  });

  it.skipIf(tool === null)("tool calls: dense indices from 0, one finish; the .stream() helper's tool call is whole", async () => {
    await serve(tool as ModelInput);
    const res = await chat({ model: "auto", messages: prompt, stream: true, tools: lookup });
    expect(openAIStreamProblems(await sseEvents(res))).toEqual([]);
    const final = await openai.chat.completions.stream({ model: "auto", messages: prompt, tools: lookup }).finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(final.choices[0]?.message.tool_calls).toHaveLength(1);
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: "function", function: { name: "lookup" } });
    expect(JSON.parse((final.choices[0]?.message.tool_calls?.[0] as { function: { arguments: string } }).function.arguments)).toEqual({ text: "echo: one two three" });
  });

  it("/v1/messages: well-formed block indices, one message_stop", async () => {
    await serve(tool ?? text);
    const events = await sseEvents(await messages({ model: "auto", max_tokens: 100, messages: prompt, stream: true, ...(tool ? { tools: [{ name: "lookup", input_schema: { type: "object" } }] } : {}) }));
    expect(anthropicStreamProblems(events)).toEqual([]);
  });
});

describe("usage when asked", () => {
  it("an upstream that reports none: the final usage chunk is the ledger's estimate", async () => {
    await serve(fake(`echo:quirks=no-usage:${uniq()}`));
    const res = await chat({ model: "auto", messages: prompt, stream: true, stream_options: { include_usage: true } });
    const events = await sseEvents(res.clone());
    expect(openAIStreamProblems(events, { usage: true })).toEqual([]);
    const { usage } = await assembleStream(res);
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ usage_estimated: 1 });
    expect(usage).toEqual({ prompt_tokens: request.input_tokens, completion_tokens: request.output_tokens, total_tokens: (request.input_tokens as number) + (request.output_tokens as number) });
  });
});

describe("across a continuation seam", () => {
  it("a primary cut mid-text, continued by a quirky upstream that answers with a tool call: one role, indices from 0, blocks 0 and 1", async () => {
    const tools = fake(`echo:tool=lookup:${QUIRKS}:${uniq()}`);
    await serve(tools, fake(`cut:3:${uniq()}`));
    const res = await chat({ model: "auto", messages: prompt, stream: true, tools: lookup, stream_options: { include_usage: true } });
    const events = await sseEvents(res.clone());
    expect(openAIStreamProblems(events, { usage: true })).toEqual([]);
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: "echo: one", finishReason: "tool_calls", done: true, roles: 1 });
    expect(a.toolCalls.map((t) => t.name)).toEqual(["lookup"]);

    await serve(tools, fakeAnthropic(`cut:5:${uniq()}`));
    const m = await sseEvents(await messages({ model: "auto", max_tokens: 100, messages: prompt, stream: true, tools: [{ name: "lookup", input_schema: { type: "object" } }] }));
    expect(anthropicStreamProblems(m)).toEqual([]);
    const starts = m.filter((e) => e.event === "content_block_start").map((e) => (JSON.parse(e.data) as { index: number; content_block: { type: string } }));
    expect(starts.map((s) => [s.index, s.content_block.type])).toEqual([[0, "text"], [1, "tool_use"]]);
  });
});

/** Recorded tool calls and texts of every wire, replayed with the quirks. */
const RECORDED: Array<[string, ModelInput, boolean]> = [
  ["xai tool call", fake(`wire:xai/xai-tool-call:${QUIRKS}`), true],
  ["groq tool call", fake(`wire:groq/groq-tool-call:${QUIRKS}`), true],
  ["deepseek tool call", fake(`wire:deepseek/deepseek-tool-call:${QUIRKS}`), true],
  ["mistral tool call (no index)", fake(`wire:mistral/mistral-tool-call:${QUIRKS}`), true],
  ["azure (a first chunk with no choices)", fake(`wire:openai/azure-model-router.1:${QUIRKS}`), false],
  ["anthropic text then tool call", fakeAnthropic(`wire:anthropic/anthropic-tool-no-args:${QUIRKS}`), true],
  ["anthropic thinking", fakeAnthropic(`wire:anthropic/anthropic-clear-thinking.1:${QUIRKS}`), false],
  ["gemini tool call", fakeGemini(`wire:google/google-tool-call:${QUIRKS}`), true],
  ["gemini text", fakeGemini(`wire:google/google-text:${QUIRKS}`), false],
];

describe.skipIf(!wireAvailable())("recordings replayed with the quirks", () => {
  it.each(RECORDED)("%s: a well-formed OpenAI stream, Anthropic stream and SDK final completion", async (_name, model, hasTool) => {
    await serve(model);
    const tools = hasTool ? { tools: [{ type: "function" as const, function: { name: "any", parameters: { type: "object" } } }] } : {};
    const events = await sseEvents(await chat({ model: "auto", messages: prompt, stream: true, stream_options: { include_usage: true }, ...tools }));
    expect(openAIStreamProblems(events, { usage: true })).toEqual([]);
    const final = await openai.chat.completions.stream({ model: "auto", messages: prompt, ...tools }).finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe(hasTool ? "tool_calls" : "stop");
    if (hasTool) expect(final.choices[0]?.message.tool_calls?.every((t) => t.type === "function" && t.function.name !== "")).toBe(true);
    expect(anthropicStreamProblems(await sseEvents(await messages({ model: "auto", max_tokens: 100, messages: prompt, stream: true })))).toEqual([]);
  });
});
