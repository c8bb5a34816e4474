/**
 * Real OpenAI and Groq responses (../shared/wire), replayed by the fake upstream at the real
 * endpoint path, must reach the client with the same text, finish reason and usage.
 * The expectations are read from the recording itself by the simple reader below.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, fake, ledger, putConfig, recording, userMessage, wireAvailable } from "../support/gateway";

interface Expected {
  text: string;
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
}

type WireUsage = { prompt_tokens: number; completion_tokens: number };
type WireChunk = { choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>; usage?: WireUsage | null; x_groq?: { usage?: WireUsage } };

function fromChunks(text: string): Expected {
  const out: Expected = { text: "", finishReason: "", promptTokens: -1, completionTokens: -1 };
  for (const line of text.split("\n").filter((l) => l.trim())) {
    const c = JSON.parse(line) as WireChunk;
    for (const ch of c.choices ?? []) {
      if (typeof ch.delta?.content === "string") out.text += ch.delta.content;
      if (ch.finish_reason) out.finishReason = ch.finish_reason;
    }
    const u = c.usage ?? c.x_groq?.usage;
    if (u) [out.promptTokens, out.completionTokens] = [u.prompt_tokens, u.completion_tokens];
  }
  return out;
}

function fromJson(text: string): Expected {
  const j = JSON.parse(text) as { choices: Array<{ message: { content: string }; finish_reason: string }>; usage: WireUsage };
  return { text: j.choices[0]?.message.content ?? "", finishReason: j.choices[0]?.finish_reason ?? "", promptTokens: j.usage.prompt_tokens, completionTokens: j.usage.completion_tokens };
}

const RECORDINGS = ["openai/openai-text", "groq/groq-text", "groq/groq-reasoning", "groq/groq-tool-call"];

describe.skipIf(!wireAvailable())("OpenAI-wire recordings through the gateway", () => {
  beforeAll(async () => {
    const models = Object.fromEntries(RECORDINGS.map((r) => [r.replace("/", "-"), fake(`wire:${r}`)]));
    await putConfig(baseConfig(models));
  });

  it.each(RECORDINGS)("%s, non-stream", async (name) => {
    const expected = fromJson(await recording(`${name}.json`));
    const res = await chat({ model: name.replace("/", "-"), messages: userMessage("replay") });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string | null }; finish_reason: string }>; usage: WireUsage };
    expect(body.choices[0]?.message.content ?? "").toBe(expected.text);
    expect(body.choices[0]?.finish_reason).toBe(expected.finishReason);
    expect(body.usage).toMatchObject({ prompt_tokens: expected.promptTokens, completion_tokens: expected.completionTokens });
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ input_tokens: expected.promptTokens, output_tokens: expected.completionTokens, usage_estimated: 0 });
  });

  it.each(RECORDINGS)("%s, stream", async (name) => {
    const expected = fromChunks(await recording(`${name}.chunks.txt`));
    const res = await chat({ model: name.replace("/", "-"), messages: userMessage("replay"), stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    const a = await assembleStream(res);
    expect(a.done).toBe(true);
    expect(a.text).toBe(expected.text);
    expect(a.finishReason).toBe(expected.finishReason);
    expect(a.usage).toMatchObject({ prompt_tokens: expected.promptTokens, completion_tokens: expected.completionTokens });
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ input_tokens: expected.promptTokens, output_tokens: expected.completionTokens, usage_estimated: 0, status: "ok" });
  });
});

it.runIf(!wireAvailable())("recorded-response suite skipped: ../shared/wire not found (set TIERGATE_SHARED)", () => {
  expect(wireAvailable()).toBe(false);
});
