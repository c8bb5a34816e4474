/**
 * Every recording in ../shared/wire, replayed by the fake upstream at the provider's real
 * endpoint path, stream and non-stream, must come out of the gateway as OpenAI format whose
 * text, reasoning, refusal, tool calls (names and parsed arguments), finish reason and usage
 * match what the recording itself says (read by test/support/recorded-answer.ts, not by the
 * adapters). Skipped, plainly, when ../shared is absent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { testEnv } from "../support/env";
import { assembleStream, baseConfig, chat, ledger, putConfig, recording, recordings, wireAvailable, type RecordingEntry } from "../support/gateway";
import { readRecording, type ExpectedAnswer, type ExpectedError } from "../support/recorded-answer";

const OPENAI_WIRE_PRESETS = ["openai", "groq", "deepseek", "mistral", "xai"] as const;

function providers(): ConfigInput["providers"] {
  const up = testEnv().TEST_UPSTREAM_URL;
  const key = { keySecret: "TEST_UPSTREAM_API_KEY" } as const;
  const out: ConfigInput["providers"] = {
    anthropic: { type: "anthropic", baseUrl: `${up}/v1`, ...key },
    google: { type: "gemini", baseUrl: `${up}/v1beta`, ...key },
  };
  // Each OpenAI-wire folder runs through its own preset, quirks included.
  for (const preset of OPENAI_WIRE_PRESETS) out[preset] = { type: "openai", preset, baseUrl: `${up}/v1`, ...key };
  return out;
}

const alias = (r: RecordingEntry) => `${r.provider}__${r.name}`;

interface GatewayAnswer {
  text: string;
  reasoning: string;
  refusal: string;
  toolCalls: Array<{ name: string; args: unknown }>;
  finishReason: string | null;
  usage: { prompt: number; completion: number; total: number; cached: number } | null;
}

interface WireUsage { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details?: { cached_tokens?: number } }

function usageOf(u: WireUsage | null | undefined): GatewayAnswer["usage"] {
  return u ? { prompt: u.prompt_tokens, completion: u.completion_tokens, total: u.total_tokens, cached: u.prompt_tokens_details?.cached_tokens ?? 0 } : null;
}

async function viaGateway(r: RecordingEntry, stream: boolean): Promise<{ status: number; id: string | null; answer?: GatewayAnswer; error?: Record<string, unknown> }> {
  const res = await chat({ model: alias(r), messages: [{ role: "user", content: "Hello" }], stream, ...(stream ? { stream_options: { include_usage: true } } : {}) });
  const id = res.headers.get("x-tiergate-request-id");
  if (res.status !== 200) return { status: res.status, id, error: ((await res.json()) as { error: Record<string, unknown> }).error };
  if (stream) {
    const a = await assembleStream(res);
    expect(a.error, "the stream ended with an error event").toBeNull();
    expect(a.done).toBe(true);
    expect(a.roles, "one role delta per answer (a repeated message_start must not restart it)").toBe(1);
    return {
      status: 200,
      id,
      answer: {
        text: a.text, reasoning: a.reasoning, refusal: a.refusal, finishReason: a.finishReason,
        toolCalls: a.toolCalls.map((t) => ({ name: t.name, args: JSON.parse(t.arguments) as unknown })),
        usage: usageOf(a.usage as WireUsage | null),
      },
    };
  }
  const body = (await res.json()) as {
    object: string;
    choices: Array<{ message: { content: string | null; reasoning_content?: string; refusal?: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> }; finish_reason: string | null }>;
    usage?: WireUsage;
  };
  expect(body.object).toBe("chat.completion");
  const m = body.choices[0]?.message;
  for (const tc of m?.tool_calls ?? []) expect(tc.id).toMatch(/^[A-Za-z0-9_-]+$/);
  return {
    status: 200,
    id,
    answer: {
      text: m?.content ?? "", reasoning: m?.reasoning_content ?? "", refusal: m?.refusal ?? "", finishReason: body.choices[0]?.finish_reason ?? null,
      toolCalls: (m?.tool_calls ?? []).map((t) => ({ name: t.function.name, args: JSON.parse(t.function.arguments) as unknown })),
      usage: usageOf(body.usage),
    },
  };
}

function expectMatches(got: GatewayAnswer, want: ExpectedAnswer): void {
  expect(got.text).toBe(want.text);
  expect(got.reasoning).toBe(want.reasoning);
  expect(got.toolCalls).toEqual(want.toolCalls);
  expect(got.finishReason).toBe(want.finishReason);
  if (want.refusal) expect(got.refusal).toBe(want.refusal);
  if (want.finishReason === "content_filter") expect(got.refusal.length, "a refusal stays visible").toBeGreaterThan(0);
  if (want.usage) {
    expect(got.usage).toEqual({ prompt: want.usage.prompt, completion: want.usage.completion, total: want.usage.prompt + want.usage.completion, cached: want.usage.cached });
  }
}

const all = recordings();

describe.skipIf(!wireAvailable())("every recording in ../shared/wire comes out as OpenAI format", () => {
  beforeAll(async () => {
    const models = Object.fromEntries(all.map((r) => [alias(r), { provider: r.provider, id: `wire:${r.provider}/${r.name}`, price: { input: 1, output: 2 } }]));
    await putConfig({ ...baseConfig(), providers: { ...baseConfig().providers, ...providers() }, models: { ...baseConfig().models, ...models } });
  });

  it("finds the recordings of every provider folder", () => {
    expect(new Set(all.map((r) => r.provider))).toEqual(new Set(["anthropic", "deepseek", "google", "groq", "mistral", "openai", "xai"]));
  });

  for (const r of all) {
    for (const stream of [false, true]) {
      if (stream ? !r.chunks : !r.json) continue;
      it(`${r.provider}/${r.name} (${stream ? "stream" : "non-stream"})`, async () => {
        const want = readRecording(r.provider, stream, await recording(`${r.provider}/${r.name}${stream ? ".chunks.txt" : ".json"}`));
        const got = await viaGateway(r, stream);
        if ("error" in want) {
          expectError(got, want);
          return;
        }
        expect(got.status, JSON.stringify(got.error)).toBe(200);
        expectMatches(got.answer as GatewayAnswer, want);
        if (want.usage) {
          // The ledger bills what the provider reported, not an estimate.
          const { request } = await ledger(got.id);
          expect(request).toMatchObject({ input_tokens: want.usage.prompt, output_tokens: want.usage.completion, cached_input_tokens: want.usage.cached, usage_estimated: 0, status: "ok" });
        }
      });
    }
  }
});

function expectError(got: { status: number; id: string | null; error?: Record<string, unknown> }, want: ExpectedError): void {
  // An upstream's 4xx about the request is the client's to fix: same status, OpenAI-style body, the provider's words.
  expect(got.status).toBe(400);
  expect(got.error).toMatchObject({ type: want.error.type, code: want.error.code, param: want.error.param });
  expect(String(got.error?.message)).toContain(want.error.message);
}
