import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../core/chat-response";
import { GatewayError } from "../../core/errors";
import type { EventSourceMessage } from "../../core/sse";
import type { UpstreamTarget } from "../types";
import { anthropicStreamTransformer } from "./stream";

const target: UpstreamTarget = {
  alias: "claude", providerName: "anthropic", apiKey: "k",
  model: { provider: "anthropic", id: "claude-test", price: { input: 1, output: 1 } },
  provider: { type: "anthropic", baseUrl: "https://api.anthropic.com/v1", version: "2023-06-01" },
};

async function run(events: unknown[], jsonTool = false, onDroppedBlock?: () => void): Promise<ChatCompletionChunk[]> {
  const source = new ReadableStream<EventSourceMessage>({
    start(c) {
      for (const e of events) c.enqueue({ data: JSON.stringify(e), event: (e as { type: string }).type, id: undefined });
      c.close();
    },
  });
  const out: ChatCompletionChunk[] = [];
  const reader = source.pipeThrough(new TransformStream(anthropicStreamTransformer(target, jsonTool, onDroppedBlock ? { onDroppedBlock } : {}))).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

const start = { type: "message_start", message: { id: "msg_1", model: "claude-test", usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 } } };
const end = [{ type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 7 } }, { type: "message_stop" }];

describe("anthropicStreamTransformer", () => {
  it("gives a tool called with no arguments '{}', and uses the start block's input when no deltas come", async () => {
    const chunks = await run([
      start,
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_a", name: "noArgs", input: {} } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_b", name: "prefilled", input: { q: 1 } } },
      { type: "content_block_stop", index: 1 },
      ...end,
    ]);
    const calls = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(calls).toEqual([
      { index: 0, id: "toolu_a", type: "function", function: { name: "noArgs", arguments: "" } },
      { index: 0, function: { arguments: "{}" } },
      { index: 1, id: "toolu_b", type: "function", function: { name: "prefilled", arguments: "" } },
      { index: 1, function: { arguments: "{\"q\":1}" } },
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 15, completion_tokens: 7, total_tokens: 22, prompt_tokens_details: { cached_tokens: 5, cache_creation_tokens: 0 } });
  });

  it("streams the gateway's own JSON tool as answer text ending in stop", async () => {
    const chunks = await run([
      start,
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_j", name: "json", input: {} } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "{\"a\":" } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "1}" } },
      { type: "content_block_stop", index: 0 },
      ...end,
    ], true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("{\"a\":1}");
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
  });

  describe("text beside the forced JSON tool", () => {
    const say = (index: number, words: string[]) => [
      { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      ...words.map((text) => ({ type: "content_block_delta", index, delta: { type: "text_delta", text } })),
      { type: "content_block_stop", index },
    ];
    const call = (index: number, name: string, json: string) => [
      { type: "content_block_start", index, content_block: { type: "tool_use", id: `toolu_${index}`, name, input: {} } },
      { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: json } },
      { type: "content_block_stop", index },
    ];
    const content = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");

    it("is dropped before and after the call, each block counted; the answer is only the JSON", async () => {
      let dropped = 0;
      const chunks = await run([start, ...say(0, ["Here is", " the JSON:"]), ...call(1, "json", "{\"a\":1}"), ...say(2, ["Hope that helps."]), ...end], true, () => dropped++);
      expect(content(chunks)).toBe("{\"a\":1}");
      expect(JSON.parse(content(chunks))).toEqual({ a: 1 });
      expect(dropped).toBe(2);
      expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    });

    it("is let through, and nothing counted, when the model calls a client tool or no tool at all", async () => {
      let dropped = 0;
      const withTool = await run([start, ...say(0, ["Let me look."]), ...call(1, "lookup", "{}"), ...end], true, () => dropped++);
      expect(content(withTool)).toBe("Let me look.");
      expect(withTool.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.name).filter(Boolean)).toEqual(["lookup"]);
      const plain = await run([start, ...say(0, ["just", " text"]), ...finished], true, () => dropped++);
      expect(content(plain)).toBe("just text");
      expect(dropped).toBe(0);
    });

    it("an empty text block is not counted", async () => {
      let dropped = 0;
      await run([start, ...say(0, []), ...call(1, "json", "{}"), ...end], true, () => dropped++);
      expect(dropped).toBe(0);
    });
  });

  it("turns an overloaded error event into a retryable 529 GatewayError", async () => {
    const err = await run([start, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 529, code: "overloaded_error", retryable: true, errorClass: "stream_interrupted" });
  });

  it("rejects a delta for a block that never started", async () => {
    const err = await run([start, { type: "content_block_delta", index: 3, delta: { type: "text_delta", text: "x" } }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "upstream_protocol_error" });
  });

  const text = (index: number) => [
    { type: "content_block_start", index, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index, delta: { type: "text_delta", text: "hi" } },
  ];
  const stop = (index: number) => ({ type: "content_block_stop", index });
  const finished = [{ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 1 } }, { type: "message_stop" }];

  it.each([
    ["a block started twice", [start, ...text(0), { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }], /already opened/],
    ["a delta after its block stopped", [start, ...text(0), stop(0), { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "x" } }], /already stopped/],
    ["a tool's JSON in a text block", [start, ...text(0), { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "{" } }], /input_json_delta in a text block/],
    ["a stop for a block never started", [start, stop(2)], /not open/],
    ["message_delta with a block still open", [start, ...text(0), ...finished], /still open/],
    ["content before message_start", [...text(0)], /before message_start/],
    ["an event after message_stop", [start, ...text(0), stop(0), ...finished, ...text(1)], /after message_stop/],
  ])("rejects %s as a protocol error", async (_what, events, message) => {
    const err = await run(events).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "upstream_protocol_error" });
    expect((err as Error).message).toMatch(message);
  });

  it("a message_stop with no stop reason is a cut answer, not a finished one", async () => {
    const err = await run([start, ...text(0), stop(0), { type: "message_stop" }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "upstream_stream_truncated" });
  });

  it("a whole answer in order passes", async () => {
    const chunks = await run([start, ...text(0), stop(0), ...finished]);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("hi");
  });
});
