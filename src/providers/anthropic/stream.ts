/**
 * Anthropic stream events → canonical chunks, one event at a time: `message_start` opens (a
 * duplicate is ignored), content blocks become content / reasoning / tool-call deltas,
 * `message_delta` carries the stop reason, `message_stop` the usage; `ping` is ignored and an
 * `error` event fails the attempt (or cuts the stream once the answer has begun).
 * With the forced JSON tool (structured output) the tool's input is the answer: text blocks
 * are held back until it is clear whether the model calls it — then they are dropped (and
 * reported through `notes`), as is any text after it; if it calls a client tool or none, they
 * are let through as they were.
 */
import type { z } from "zod";
import type { ChatCompletionChunk, ChunkDelta, FinishReason } from "../../core/chat-response";
import type { EventTranslator } from "../../core/sse";
import { eventJson, inStreamError, protocolError, readWire } from "../http-adapter";
import type { AnswerNotes, UpstreamTarget } from "../types";
import { anthropicStreamError } from "./errors";
import { JSON_TOOL_NAME } from "./json-output";
import { DEFAULT_REFUSAL, mapStopReason, mergeUsage, toUsage } from "./normalize";
import {
  ContentBlockDeltaEvent,
  ContentBlockStartEvent,
  ContentBlockStopEvent,
  ErrorEvent,
  MessageDeltaEvent,
  MessageStartEvent,
  type WireUsageT,
} from "./wire-schema";

type Block = { closed: boolean } & (
  | { kind: "text" | "thinking" | "json" | "ignored" }
  /** Text beside the forced JSON tool: held until the tool decides its fate, or dropped once the tool was called. */
  | { kind: "beside"; held: ChatCompletionChunk[]; sawText: boolean }
  | { kind: "tool"; toolIndex: number; sawArguments: boolean; initialInput: unknown }
);

/** The delta types each block kind can carry (others are a broken stream); ignored blocks accept anything. */
const DELTAS: Record<Exclude<Block["kind"], "ignored">, ReadonlySet<string>> = {
  text: new Set(["text_delta", "citations_delta"]),
  beside: new Set(["text_delta", "citations_delta"]),
  thinking: new Set(["thinking_delta", "signature_delta"]),
  json: new Set(["input_json_delta"]),
  tool: new Set(["input_json_delta"]),
};

// long-function: one closure holds the stream's state (blocks by index, usage, started/stopped) across
// events; its transform is a switch over the Messages API's event types, one case each.
export function anthropicStreamTransformer(target: UpstreamTarget, jsonTool: boolean, notes: AnswerNotes = {}): EventTranslator<ChatCompletionChunk> {
  const created = Math.floor(Date.now() / 1000);
  let id = "";
  let model = target.model.id;
  let started = false;
  let stopReason: string | null = null;
  let stopped = false;
  let usage: WireUsageT | undefined;
  let toolCount = 0;
  const blocks = new Map<number, Block>();
  /** The forced JSON tool was called: text beside it is not part of the answer. */
  let jsonCalled = false;

  const chunk = (delta: ChunkDelta, finish: FinishReason | null = null): ChatCompletionChunk => ({
    id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }],
  });

  const hold = (block: Extract<Block, { kind: "beside" }>, text: string) => {
    block.sawText = true;
    // After the JSON tool was called, nothing is kept to release; the block is counted when it settles.
    if (!jsonCalled) block.held.push(chunk({ content: text }));
  };
  /** Text blocks beside the JSON tool: let through (`release`) or dropped and counted; later ones are dropped as they come. */
  const settleBeside = (controller: TransformStreamDefaultController<ChatCompletionChunk>, release: boolean) => {
    for (const [index, block] of blocks) {
      if (block.kind !== "beside" || !block.sawText) continue;
      if (release) {
        for (const c of block.held) controller.enqueue(c);
        // Let through once, it is an ordinary text block from now on.
        blocks.set(index, { kind: "text", closed: block.closed });
      } else notes.onDroppedBlock?.();
      block.held = [];
      block.sawText = false;
    }
  };

  return {
    // long-function: the switch over event types named above.
    transform(event, controller) {
      const json = eventJson(event, target);
      const parse = <T>(schema: z.ZodType<T>): T => readWire(schema, json, target);
      const type = (json as { type?: unknown }).type ?? event.event;
      // A stream's events follow one order; an event that cannot follow the last is a broken stream, not part of an answer.
      if (stopped) throw protocolError(target, `${String(type)} after message_stop`);
      if (!started && type !== "message_start" && type !== "ping" && type !== "error") throw protocolError(target, `${String(type)} before message_start`);
      switch (type) {
        case "message_start": {
          if (started) return; // seen in the wild: a repeated message_start must not restart the answer
          started = true;
          const m = parse(MessageStartEvent).message;
          if (m.id) id = m.id;
          if (m.model) model = m.model;
          usage = mergeUsage(undefined, m.usage);
          return controller.enqueue(chunk({ role: "assistant", content: "" }));
        }
        case "content_block_start": {
          const { index, content_block: b } = parse(ContentBlockStartEvent);
          if (blocks.has(index)) throw protocolError(target, `content_block_start for block ${index}, which was already opened`);
          if (stopReason !== null) throw protocolError(target, "content_block_start after message_delta");
          if (b.type === "text" && jsonTool) {
            const block: Block = { kind: "beside", held: [], sawText: false, closed: false };
            blocks.set(index, block);
            if (b.text) hold(block, b.text);
          } else if (b.type === "text") {
            blocks.set(index, { kind: "text", closed: false });
            if (b.text) controller.enqueue(chunk({ content: b.text }));
          } else if (b.type === "thinking") {
            blocks.set(index, { kind: "thinking", closed: false });
            if (b.thinking) controller.enqueue(chunk({ reasoning_content: b.thinking }));
          } else if (b.type === "tool_use" && b.name) {
            if (jsonTool && b.name === JSON_TOOL_NAME) {
              blocks.set(index, { kind: "json", closed: false });
              jsonCalled = true;
              settleBeside(controller, false);
              return;
            }
            settleBeside(controller, !jsonCalled);
            const toolIndex = toolCount++;
            blocks.set(index, { kind: "tool", toolIndex, sawArguments: false, initialInput: b.input, closed: false });
            controller.enqueue(chunk({ tool_calls: [{ index: toolIndex, id: b.id ?? `toolu_${toolIndex}`, type: "function", function: { name: b.name, arguments: "" } }] }));
          } else {
            blocks.set(index, { kind: "ignored", closed: false });
          }
          return;
        }
        case "content_block_delta": {
          const { index, delta } = parse(ContentBlockDeltaEvent);
          const block = blocks.get(index);
          if (!block) throw protocolError(target, `content_block_delta for unopened block ${index}`);
          if (block.closed) throw protocolError(target, `content_block_delta for block ${index}, which was already stopped`);
          if (block.kind !== "ignored" && !DELTAS[block.kind].has(delta.type)) throw protocolError(target, `${delta.type} in a ${block.kind === "json" ? "tool_use" : block.kind} block`);
          if (delta.type === "text_delta" && delta.text && block.kind === "beside") hold(block, delta.text);
          else if (delta.type === "text_delta" && delta.text) controller.enqueue(chunk({ content: delta.text }));
          else if (delta.type === "thinking_delta" && delta.thinking) controller.enqueue(chunk({ reasoning_content: delta.thinking }));
          else if (delta.type === "input_json_delta" && delta.partial_json) {
            if (block.kind === "json") controller.enqueue(chunk({ content: delta.partial_json }));
            else if (block.kind === "tool") {
              block.sawArguments = true;
              controller.enqueue(chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: delta.partial_json } }] }));
            }
          }
          // signature_delta, citations_delta: nothing a chat-completions client reads.
          return;
        }
        case "content_block_stop": {
          const { index } = parse(ContentBlockStopEvent);
          const block = blocks.get(index);
          if (!block || block.closed) throw protocolError(target, `content_block_stop for block ${index}, which is not open`);
          block.closed = true;
          // A tool called with no arguments streams none; its arguments are still a JSON object.
          if (block?.kind === "tool" && !block.sawArguments) {
            const input = block.initialInput ?? {};
            controller.enqueue(chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: JSON.stringify(input) } }] }));
          }
          return;
        }
        case "message_delta": {
          const { delta, usage: u } = parse(MessageDeltaEvent);
          const open = [...blocks.entries()].find(([, b]) => !b.closed);
          if (open) throw protocolError(target, `message_delta while block ${open[0]} is still open`);
          usage = mergeUsage(usage, u);
          settleBeside(controller, !jsonCalled);
          if (delta.stop_reason) stopReason = delta.stop_reason;
          let finish = mapStopReason(delta.stop_reason);
          if (jsonTool && finish === "tool_calls" && toolCount === 0) finish = "stop";
          const out: ChunkDelta = {};
          if (delta.stop_reason === "refusal") out.refusal = delta.stop_details?.explanation ?? DEFAULT_REFUSAL;
          if (finish !== null || out.refusal !== undefined) controller.enqueue(chunk(out, finish));
          return;
        }
        case "message_stop":
          if (stopReason === null) throw inStreamError(target, "message_stop without a stop reason", { code: "upstream_stream_truncated" });
          stopped = true;
          if (usage) controller.enqueue({ ...chunk({}), choices: [], usage: toUsage(usage) });
          return;
        case "error":
          throw anthropicStreamError(target, parse(ErrorEvent).error);
        default:
          return; // ping, and event types newer than this adapter
      }
    },
    flush() {
      // Without message_stop the answer was cut short; a clean end would pass it off as complete.
      if (started && !stopped) throw inStreamError(target, "the stream ended before message_stop", { code: "upstream_stream_truncated" });
    },
  };
}
