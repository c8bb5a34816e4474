/**
 * Mid-stream continuation: on every wire and for every way a stream can fail after its answer
 * began, with `onStreamFailure: "continue"` (the default) the next candidate carries on from the
 * partial answer in the same client stream, and the client's text is the partial plus the
 * continuation, ending in exactly one [DONE]; with `"error"`, or where continuing is impossible,
 * the stream ends with an error event. Each case's ledger row and attempts are checked.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { CONTINUE_INSTRUCTION } from "../../src/execution/continuation-request";
import {
  assembleStream, baseConfig, chat, fake, fakeAnthropic, fakeGemini, GATEWAY, gatewayFetch, lastUpstreamRequest, TEST_CLIENT_KEY, ledger, ledgerByFeature, messages, putConfig, sseEvents, uniq, upstreamRequests,
} from "../support/gateway";

type ModelInput = ConfigInput["models"][string];
type Maker = (scenario: string, price?: { input: number; output: number }, extra?: Partial<ModelInput>) => ModelInput;

/** Per wire: its model maker, how many echo frames carry "echo: one", and how it is asked to continue. */
const WIRES: Array<{ wire: string; make: Maker; framesWithContent: number; asked: "prefill" | "instruction" }> = [
  { wire: "openai", make: fake, framesWithContent: 3, asked: "instruction" },
  { wire: "anthropic", make: fakeAnthropic, framesWithContent: 5, asked: "prefill" },
  { wire: "gemini", make: fakeGemini, framesWithContent: 2, asked: "instruction" },
];
const FAULTS = ["cut", "truncate", "error-event", "garbage", "violate", "stall"];

const QUESTION = "one two three four";
const WHOLE = `echo: ${QUESTION}`;
const prompt = [{ role: "user", content: QUESTION }];

async function route(models: Record<string, ModelInput>, r: Partial<ConfigInput["routes"][number]>) {
  await putConfig(baseConfig(models, [{ name: "default", match: {}, ...r } as ConfigInput["routes"][number]]));
}

/** The text of the last messages of what the backup was sent, whatever its wire calls them. */
function lastTurns(body: Record<string, unknown>): Array<{ role: string; text: string }> {
  const list = (body.messages ?? body.contents) as Array<{ role: string; content?: unknown; parts?: Array<{ text?: string }> }>;
  return list.map((m) => {
    const c = m.content ?? m.parts;
    const text = typeof c === "string" ? c : Array.isArray(c) ? (c as Array<{ text?: string }>).map((p) => p.text ?? "").join("") : "";
    return { role: m.role, text };
  });
}

describe.each(WIRES)("$wire wire, cut after content, with a healthy candidate left", ({ make, framesWithContent, asked }) => {
  it.each(FAULTS)("%s + continue: one answer, partial plus continuation, one [DONE], recovered", async (fault) => {
    const backup = `echo:${uniq()}`;
    await route({ p: make(`${fault}:${framesWithContent}:${uniq()}`, undefined, { timeoutMs: 300 }), b: make(backup, { input: 3, output: 4 }) }, { model: "p", fallbacks: ["b"] });
    const res = await chat({ model: "auto", messages: prompt, stream: true, stream_options: { include_usage: true } });
    const events = await sseEvents(res.clone());
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: WHOLE, done: true, error: null, finishReason: "stop", roles: 1 });
    expect(events.filter((e) => e.data === "[DONE]")).toHaveLength(1);
    const chunks = events.filter((e) => e.data !== "[DONE]").map((e) => JSON.parse(e.data) as { id: string; choices: Array<{ index: number; finish_reason: string | null }> });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.flatMap((c) => c.choices.map((x) => x.index)).every((i) => i === 0)).toBe(true);
    expect(chunks.flatMap((c) => c.choices.filter((x) => x.finish_reason !== null))).toHaveLength(1);

    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "recovered", finish_reason: "stop", served_model: "p", attempts: 2 });
    expect(JSON.parse(request.seams as string)).toEqual([{ attempt: 1, chars: "echo: one".length, gapMs: expect.any(Number) }]);
    expect(attempts.map((x) => [x.kind, x.model, x.ok])).toEqual([["primary", "p", 0], ["continuation", "b", 1]]);
    expect(attempts[0]?.output_tokens).toBeGreaterThan(0);
    expect(request.output_tokens).toBe((attempts[0]?.output_tokens as number) + (attempts[1]?.output_tokens as number));
    expect(request.cost_usd).toBeCloseTo((attempts[0]?.cost_usd as number) + (attempts[1]?.cost_usd as number), 12);
    expect(a.usage).toMatchObject({ completion_tokens: request.output_tokens, prompt_tokens: request.input_tokens });

    const turns = lastTurns((await lastUpstreamRequest(backup)).body);
    if (asked === "prefill") expect(turns.at(-1)).toEqual({ role: "assistant", text: "echo: one" });
    else expect(turns.slice(-2)).toEqual([{ role: turns.at(-2)?.role, text: "echo: one" }, { role: "user", text: CONTINUE_INSTRUCTION }]);
  });

  it.each(FAULTS)("%s + error: an error event, no [DONE], partial, no continuation asked", async (fault) => {
    const backup = `echo:${uniq()}`;
    await route({ p: make(`${fault}:${framesWithContent}:${uniq()}`, undefined, { timeoutMs: 300 }), b: make(backup) }, { model: "p", fallbacks: ["b"], onStreamFailure: "error" });
    const res = await chat({ model: "auto", messages: prompt, stream: true });
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: "echo: one", done: false, finishReason: null });
    expect(a.error).not.toBeNull();
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "partial", seams: null, attempts: 1 });
    expect(attempts).toMatchObject([{ kind: "primary", ok: 0 }]);
    expect(await upstreamRequests(backup)).toHaveLength(0);
  });

  it("/v1/messages: one message_start, well-formed blocks, one message_stop with end_turn", async () => {
    await route({ p: make(`cut:${framesWithContent}:${uniq()}`), b: make("echo") }, { model: "p", fallbacks: ["b"] });
    const res = await messages({ model: "auto", max_tokens: 100, messages: prompt, stream: true });
    const events = await sseEvents(res);
    const types = events.map((e) => e.event);
    expect(types.filter((t) => t === "message_start")).toHaveLength(1);
    expect(types.filter((t) => t === "message_stop")).toHaveLength(1);
    expect(types).not.toContain("error");
    const deltas = events.filter((e) => e.event === "content_block_delta").map((e) => JSON.parse(e.data) as { index: number; delta: { text?: string } });
    expect(deltas.map((d) => d.delta.text).join("")).toBe(WHOLE);
    expect(new Set(deltas.map((d) => d.index))).toEqual(new Set([0]));
    expect(events.find((e) => e.event === "message_delta")?.data).toContain("end_turn");
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "recovered" });
  });
});

describe("the seam", () => {
  it.each(["overlap=9", "restart"])("a continuation that repeats the partial (%s) reaches the client once", async (how) => {
    await route({ p: fake(`cut:3:${uniq()}`), b: fake(`echo:${how}:${uniq()}`) }, { model: "p", fallbacks: ["b"] });
    const a = await assembleStream(await chat({ model: "auto", messages: prompt, stream: true }));
    expect(a).toMatchObject({ text: WHOLE, done: true, error: null });
  });

  it("walks the step's fallbacks, then the next step, until a candidate produces content", async () => {
    await putConfig(baseConfig(
      { p: fake(`cut:3:${uniq()}`), down: fake(`status:503:${uniq()}`), alsoCut: fake(`cut:2:${uniq()}`), next: fakeAnthropic("echo") },
      [{ name: "default", match: {}, steps: [{ model: "p", fallbacks: ["down"] }, { model: "next" }] }],
    ));
    const res = await chat({ model: "auto", messages: prompt, stream: true });
    expect(await assembleStream(res)).toMatchObject({ text: WHOLE, done: true, error: null });
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(attempts.map((x) => [x.kind, x.model, x.step, x.ok])).toEqual([["primary", "p", 0, 0], ["continuation", "down", 0, 0], ["continuation", "next", 1, 1]]);
    expect(request).toMatchObject({ status: "recovered", attempts: 3 });
    expect(JSON.parse(request.seams as string)).toMatchObject([{ attempt: 2, chars: 9 }]);
  });

  it("a continuation that is cut too is continued again: two seams", async () => {
    // The second candidate sends "echo:" (nothing new), then " two", then is cut; the third finishes.
    await route({ p: fake(`cut:3:${uniq()}`), b: fake(`cut:2:${uniq()}`), c: fake("echo") }, { model: "p", fallbacks: ["b", "c"] });
    const res = await chat({ model: "auto", messages: prompt, stream: true });
    expect(await assembleStream(res)).toMatchObject({ text: WHOLE, done: true, error: null, roles: 1 });
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(attempts.map((x) => [x.kind, x.model, x.ok])).toEqual([["primary", "p", 0], ["continuation", "b", 0], ["continuation", "c", 1]]);
    expect(JSON.parse(request.seams as string)).toMatchObject([{ attempt: 1, chars: 9 }, { attempt: 2, chars: 13 }]);
  });
});

describe("where continuing is impossible the stream ends with an error event", () => {
  it("a tool call's arguments in flight", async () => {
    await route({ p: fake(`cut:4:tool=lookup:${uniq()}`), b: fake("echo") }, { model: "p", fallbacks: ["b"] });
    const res = await chat({ model: "auto", messages: prompt, stream: true, tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }] });
    const a = await assembleStream(res);
    expect(a.toolCalls[0]?.name).toBe("lookup");
    expect(a.done).toBe(false);
    expect(a.error?.message).toMatch(/could not be continued: a tool call was in flight/);
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "partial", attempts: 1 });
  });

  it("n > 1", async () => {
    await route({ p: fake(`cut:3:${uniq()}`), b: fake("echo") }, { model: "p", fallbacks: ["b"] });
    const res = await chat({ model: "auto", messages: prompt, stream: true, n: 2 });
    const a = await assembleStream(res);
    expect(a.done).toBe(false);
    expect(a.error?.message).toMatch(/several choices/);
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "partial", attempts: 1 });
  });

  it("no candidate left", async () => {
    await route({ p: fake(`cut:3:${uniq()}`), b: fake(`status:500:${uniq()}`) }, { model: "p", fallbacks: ["b"] });
    const res = await chat({ model: "auto", messages: prompt, stream: true });
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: "echo: one", done: false });
    expect(a.error?.message).toMatch(/no model could continue the answer/);
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "partial", attempts: 2 });
    expect(attempts.map((x) => [x.kind, x.ok])).toEqual([["primary", 0], ["continuation", 0]]);
  });
});

describe("a client that leaves during a continuation", () => {
  it("cancels the continuation's upstream call within 1 s and leaves one aborted row", async () => {
    const backup = `slow:5000:${uniq()}`;
    const feature = uniq();
    await route({ p: fake(`cut:3:${uniq()}`), b: fake(backup) }, { model: "p", fallbacks: ["b"] });
    const client = new AbortController();
    const res = await chat({ model: "auto", messages: prompt, stream: true }, { "x-tiergate-feature": feature }, { signal: client.signal });
    // The client keeps reading: the primary is cut 5 ms after its third frame, and the continuation then waits on the slow backup.
    const reader = res.body!.getReader();
    const reading = (async () => {
      for (;;) if ((await reader.read()).done) return;
    })().catch(() => {});
    const deadline = Date.now() + 3_000;
    while ((await upstreamRequests(backup)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const leftAt = Date.now();
    client.abort();
    let call = (await upstreamRequests(backup)).at(-1);
    while (call?.closedAt === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      call = (await upstreamRequests(backup)).at(-1);
    }
    await reading;
    expect(call?.finished).toBe(false);
    expect((call?.closedAt ?? Infinity) - leftAt).toBeLessThan(1_000);
    const rows = await ledgerByFeature(feature);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.request).toMatchObject({ status: "aborted" });
    expect(rows[0]?.attempts.map((x) => [x.kind, x.error_class])).toEqual([["primary", "stream_interrupted"], ["continuation", "client_aborted"]]);
  });
});

describe("SDK clients read a recovered stream without error", () => {
  const openai = new OpenAI({ apiKey: TEST_CLIENT_KEY, baseURL: `${GATEWAY}/v1`, fetch: gatewayFetch, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: TEST_CLIENT_KEY, baseURL: GATEWAY, fetch: gatewayFetch, maxRetries: 0 });
  // An Anthropic primary cut mid-answer, continued by an OpenAI-wire model and then a Gemini one.
  const cutTwice = () => route({ p: fakeAnthropic(`cut:5:${uniq()}`), b: fake(`cut:2:${uniq()}`), c: fakeGemini("echo") }, { model: "p", fallbacks: ["b", "c"] });

  it("openai: create({ stream: true })", async () => {
    await cutTwice();
    const stream = await openai.chat.completions.create({ model: "auto", messages: [{ role: "user", content: QUESTION }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(WHOLE);
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("openai: the .stream() helper's final completion", async () => {
    await cutTwice();
    const runner = openai.chat.completions.stream({ model: "auto", messages: [{ role: "user", content: QUESTION }] });
    let deltas = "";
    runner.on("content", (d) => (deltas += d));
    const final = await runner.finalChatCompletion();
    expect(final.choices).toHaveLength(1);
    expect(final.choices[0]?.message).toMatchObject({ role: "assistant", content: WHOLE });
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(deltas).toBe(WHOLE);
  });

  it("anthropic: messages.stream()", async () => {
    await cutTwice();
    const stream = anthropic.messages.stream({ model: "auto", max_tokens: 100, messages: [{ role: "user", content: QUESTION }] });
    let text = "";
    stream.on("text", (t) => (text += t));
    const final = await stream.finalMessage();
    expect(text).toBe(WHOLE);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.content).toEqual([{ type: "text", text: WHOLE, citations: null }].map((b) => expect.objectContaining({ type: b.type, text: b.text })));
  });
});
