import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../core/chat-response";
import type { UpstreamTarget } from "../types";
import { openAIStreamEnding } from "./stream-ending";

const target: UpstreamTarget = {
  alias: "m", providerName: "up", apiKey: undefined,
  model: { provider: "up", id: "m", price: { input: 1, output: 1 } },
  provider: { type: "openai", baseUrl: "http://127.0.0.1:1/v1" },
};

const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null, index = 0): ChatCompletionChunk => ({
  id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [{ index, delta, finish_reason: finish }],
});

describe("openAIStreamEnding", () => {
  it("accepts every choice finished, with or without [DONE]", () => {
    const e = openAIStreamEnding(target);
    e.check(chunk({ role: "assistant", content: "a" }));
    e.check(chunk({ content: "b" }, null, 1));
    e.check(chunk({}, "stop"));
    e.check(chunk({}, "length", 1));
    expect(() => e.finish()).not.toThrow();
    expect(e.done("[DONE]")).toBe(true);
    expect(() => e.finish()).not.toThrow();
  });

  it("a choice without a finish reason is a truncated stream, [DONE] or not", () => {
    for (const withDone of [false, true]) {
      const e = openAIStreamEnding(target);
      e.check(chunk({ content: "a" }));
      if (withDone) e.done("[DONE]");
      expect(() => e.finish()).toThrow(expect.objectContaining({ code: "upstream_stream_truncated" }));
    }
  });

  it("rejects more answer after a finish, unopened tool-call arguments, and events after [DONE]", () => {
    const a = openAIStreamEnding(target);
    a.check(chunk({}, "stop"));
    expect(() => a.check(chunk({ content: "more" }))).toThrow(/after its finish reason/);
    const b = openAIStreamEnding(target);
    expect(() => b.check(chunk({ tool_calls: [{ index: 1, function: { arguments: "{}" } }] }))).toThrow(/never opened/);
    const c = openAIStreamEnding(target);
    c.done("[DONE]");
    expect(() => c.done("{}")).toThrow(/after \[DONE\]/);
  });

  it("a usage-only chunk after the finish is fine", () => {
    const e = openAIStreamEnding(target);
    e.check(chunk({ tool_calls: [{ index: 0, id: "t", function: { name: "f", arguments: "" } }] }));
    e.check(chunk({ tool_calls: [{ index: 0, function: { arguments: "{}" } }] }, "tool_calls"));
    e.check({ ...chunk({}), choices: [] });
    expect(() => e.finish()).not.toThrow();
  });
});
