import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../core/chat-response";
import { arraySource } from "../core/chunk-source";
import { normalisedStream } from "./client-stream";

type Choice = ChatCompletionChunk["choices"][number];
const chunk = (choices: Array<Partial<Choice> & { delta: Choice["delta"] }>, extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
  id: "c1", object: "chat.completion.chunk", created: 7, model: "m", choices: choices.map((c) => ({ index: 0, finish_reason: null, ...c })), ...extra,
});

async function readAll(chunks: ChatCompletionChunk[]): Promise<ChatCompletionChunk[]> {
  const source = normalisedStream(arraySource(chunks));
  const out: ChatCompletionChunk[] = [];
  for (;;) {
    const r = await source.read();
    if (r.done) return out;
    out.push(r.value);
  }
}

describe("the client's stream, normalised", () => {
  it("puts role in the first delta only, when the upstream sends none or sends it every time", async () => {
    const none = await readAll([chunk([{ delta: { content: "Hi" } }]), chunk([{ delta: { content: " there" } }]), chunk([{ delta: {}, finish_reason: "stop" }])]);
    expect(none.map((c) => c.choices[0]?.delta.role)).toEqual(["assistant", undefined, undefined]);
    expect(none[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "Hi" });
    const every = await readAll([chunk([{ delta: { role: "assistant", content: "a" } }]), chunk([{ delta: { role: "assistant", content: "b" } }]), chunk([{ delta: { role: "assistant" }, finish_reason: "stop" }])]);
    expect(every.map((c) => c.choices[0]?.delta.role ?? null)).toEqual(["assistant", null, null]);
    expect(every.map((c) => c.choices[0]?.delta.content ?? null)).toEqual(["a", "b", null]);
  });

  it("makes tool-call indices dense from 0, whatever the upstream counts from; later deltas carry only arguments", async () => {
    const out = await readAll([
      chunk([{ delta: { role: "assistant", content: null } }]),
      chunk([{ delta: { tool_calls: [{ index: 1, id: "a", type: "function", function: { name: "one", arguments: "" } }] } }]),
      chunk([{ delta: { tool_calls: [{ index: 1, id: "a", function: { name: "one", arguments: "{\"x\":1}" } }] } }]),
      chunk([{ delta: { tool_calls: [{ index: 5, function: { name: "two", arguments: "{}" } }] } }]),
      chunk([{ delta: {}, finish_reason: "tool_calls" }]),
    ]);
    const calls = out.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toEqual([
      { index: 0, id: "a", type: "function", function: { name: "one", arguments: "" } },
      { index: 0, function: { arguments: "{\"x\":1}" } },
      { index: 1, id: expect.stringMatching(/^call_/), type: "function", function: { name: "two", arguments: "{}" } },
    ]);
  });

  it("sends one finish reason per choice: a repeated finish chunk is dropped", async () => {
    const out = await readAll([chunk([{ delta: { content: "x" } }]), chunk([{ delta: {}, finish_reason: "stop" }]), chunk([{ delta: {}, finish_reason: "stop" }]), chunk([{ index: 1, delta: { content: "y" }, finish_reason: "stop" }])]);
    const finishes = out.flatMap((c) => c.choices.filter((x) => x.finish_reason).map((x) => [x.index, x.finish_reason]));
    expect(finishes).toEqual([[0, "stop"], [1, "stop"]]);
    // Choice 1's first delta has its own role.
    expect(out.at(-1)?.choices[0]?.delta.role).toBe("assistant");
  });

  it("moves usage to one chunk of its own at the end, the last figure winning; every chunk has the first id and created", async () => {
    const u1 = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 };
    const u2 = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
    const out = await readAll([
      chunk([{ delta: { content: "a" } }], { id: "", usage: u1 }),
      chunk([], { id: "other", created: 9, usage: u1 }),
      chunk([{ delta: { content: "b" }, finish_reason: "stop" }], { id: "other", usage: u2 }),
    ]);
    expect(out).toHaveLength(3);
    expect(out.slice(0, 2).every((c) => c.usage === undefined)).toBe(true);
    expect(out[2]).toMatchObject({ choices: [], usage: u2 });
    expect(new Set(out.map((c) => c.id)).size).toBe(1);
    expect(out[0]?.id).toMatch(/^chatcmpl-/);
    expect(new Set(out.map((c) => c.created))).toEqual(new Set([7]));
  });

  it("passes an upstream failure on as it is", async () => {
    const failing = normalisedStream({ read: () => Promise.reject(new Error("cut")), cancel: () => Promise.resolve() });
    await expect(failing.read()).rejects.toThrow("cut");
  });
});
