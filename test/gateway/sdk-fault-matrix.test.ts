/**
 * The SDKs read every recovered stream of the fault matrix: an upstream of each wire fails after
 * its answer began — cut connection, error event, garbage event, protocol violation, clean stop
 * without a finish, stall past the idle timeout — and a healthy fallback continues it. The openai
 * SDK (iterating `create({ stream: true })`, and the `.stream()` helper), the Anthropic SDK
 * (`messages.stream()`) and the Vercel AI SDK's `streamText` (its default provider on
 * /v1/responses, and `.chat()` on chat completions) each read the stream without an error and
 * assemble the partial answer plus its continuation as one text, finished normally; the raw
 * events of both formats keep the shape rules of test/support/stream-shape.ts.
 */
import Anthropic from "@anthropic-ai/sdk";
import { createOpenAI } from "@ai-sdk/openai";
import { streamText, type LanguageModel } from "ai";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { assembleStream, baseConfig, chat, fake, fakeAnthropic, fakeGemini, GATEWAY, gatewayFetch, messages as postMessages, putConfig, sseEvents, TEST_CLIENT_KEY, uniq } from "../support/gateway";
import { anthropicStreamProblems, openAIStreamProblems } from "../support/stream-shape";

type ModelInput = ConfigInput["models"][string];
type Maker = (scenario: string, price?: { input: number; output: number }, extra?: Partial<ModelInput>) => ModelInput;

const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });
const anthropic = new Anthropic({ apiKey: TEST_CLIENT_KEY, baseURL: GATEWAY, fetch: gatewayFetch, maxRetries: 0 });
const ai = createOpenAI({ baseURL: `${GATEWAY}/v1`, apiKey: TEST_CLIENT_KEY, fetch: gatewayFetch });

const QUESTION = "one two three four";
const WHOLE = `echo: ${QUESTION}`;
const messages = [{ role: "user" as const, content: QUESTION }];

/** Per wire: its model maker and how many echo frames carry "echo: one" (the fault comes after them). */
const WIRES: Array<{ wire: string; make: Maker; framesWithContent: number }> = [
  { wire: "openai", make: fake, framesWithContent: 3 },
  { wire: "anthropic", make: fakeAnthropic, framesWithContent: 5 },
  { wire: "gemini", make: fakeGemini, framesWithContent: 2 },
];
const FAULTS = ["cut", "error-event", "garbage", "violate", "truncate", "stall"];
const MATRIX = WIRES.flatMap((w) => FAULTS.map((fault) => ({ ...w, fault })));

/** What one client made of the stream: its text, how it ended, and any error it raised or reported. */
interface Read {
  text: string;
  finish: string | null | undefined;
  errors: unknown[];
}

async function aiStream(model: LanguageModel): Promise<Read> {
  const errors: unknown[] = [];
  const s = streamText({ model, prompt: QUESTION, maxRetries: 0, onError: ({ error }) => void errors.push(error) });
  for await (const part of s.fullStream) if (part.type === "error") errors.push(part.error);
  return { text: await s.text, finish: await s.finishReason, errors };
}

const CLIENTS: Array<[string, () => Promise<Read>, string]> = [
  ["openai create({ stream: true })", async () => {
    let text = "";
    let finish: string | null = null;
    for await (const chunk of await openai.chat.completions.create({ model: "auto", messages, stream: true, stream_options: { include_usage: true } })) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish, errors: [] };
  }, "stop"],
  ["openai .stream() helper", async () => {
    const final = await openai.chat.completions.stream({ model: "auto", messages }).finalChatCompletion();
    return { text: final.choices[0]?.message.content ?? "", finish: final.choices[0]?.finish_reason, errors: final.choices.length === 1 ? [] : ["choices"] };
  }, "stop"],
  ["anthropic messages.stream()", async () => {
    const stream = anthropic.messages.stream({ model: "auto", max_tokens: 100, messages });
    let text = "";
    stream.on("text", (t) => (text += t));
    const final = await stream.finalMessage();
    const blocks = final.content.map((b) => (b.type === "text" ? b.text : `<${b.type}>`)).join("");
    return { text, finish: final.stop_reason, errors: blocks === text ? [] : [`final content ${blocks}`] };
  }, "end_turn"],
  ["raw chat-completions events: well-formed (stream-shape.ts)", async () => {
    const res = await chat({ model: "auto", messages, stream: true, stream_options: { include_usage: true } });
    const errors = openAIStreamProblems(await sseEvents(res.clone()), { usage: true });
    const a = await assembleStream(res);
    return { text: a.text, finish: a.finishReason, errors };
  }, "stop"],
  ["raw /v1/messages events: well-formed (stream-shape.ts)", async () => {
    const events = await sseEvents(await postMessages({ model: "auto", max_tokens: 100, messages, stream: true }));
    const text = events.filter((e) => e.event === "content_block_delta").map((e) => (JSON.parse(e.data) as { delta: { text?: string } }).delta.text ?? "").join("");
    const stop = events.filter((e) => e.event === "message_delta").map((e) => (JSON.parse(e.data) as { delta: { stop_reason: string } }).delta.stop_reason)[0];
    return { text, finish: stop, errors: anthropicStreamProblems(events) };
  }, "end_turn"],
  ["ai streamText (default provider, /v1/responses)", () => aiStream(ai("auto")), "stop"],
  ["ai streamText (.chat(), chat completions)", () => aiStream(ai.chat("auto")), "stop"],
];

describe.each(MATRIX)("$wire upstream, $fault after content, continued by a healthy fallback", ({ make, framesWithContent, fault }) => {
  it.each(CLIENTS)("%s reads it without error: partial plus continuation, finished", async (_client, read, finish) => {
    await putConfig(baseConfig(
      { p: make(`${fault}:${framesWithContent}:${uniq()}`, undefined, { timeoutMs: 300 }), b: make(`echo:${uniq()}`) },
      [{ name: "default", match: {}, model: "p", fallbacks: ["b"] }],
    ));
    const got = await read();
    expect(got.errors).toEqual([]);
    expect(got.text).toBe(WHOLE);
    expect(got.finish).toBe(finish);
  });
});
