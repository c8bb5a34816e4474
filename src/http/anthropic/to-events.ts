/**
 * Canonical chunks → the Anthropic stream events a Claude client reads: `message_start`, one
 * content block per run of text, thinking or tool call (`content_block_start/delta/stop`),
 * `message_delta` with the stop reason and usage, `message_stop`. A stream cut by an error ends
 * with an `error` event and no `message_stop`, so the client can tell it from a finished answer.
 */
import { GatewayError, internalError } from "../../core/errors";
import type { ChatCompletionChunk, FinishReason, Usage } from "../../core/chat-response";
import { encodeEvent, type OutboundEvent } from "../../core/sse";
import { anthropicErrorBody } from "./error-body";
import { messageId, messageUsage, stopReason } from "./normalize";
import type { ChunkSource } from "../../core/chunk-source";

type Open = { kind: "text" | "thinking" } | { kind: "tool"; toolIndex: number };

class EventWriter {
  readonly out: OutboundEvent[] = [];
  private started = false;
  private index = -1;
  private open: Open | null = null;
  private usage: Usage | null = null;
  private finish: FinishReason | null = null;

  private emit(data: { type: string; [k: string]: unknown }): void {
    this.out.push({ event: data.type, data });
  }

  start(id: string, model: string): void {
    if (this.started) return;
    this.started = true;
    this.emit({
      type: "message_start",
      message: { id: messageId(id), type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: messageUsage(null) },
    });
  }

  private close(): void {
    if (this.open) this.emit({ type: "content_block_stop", index: this.index });
    this.open = null;
  }

  private block(kind: "text" | "thinking"): void {
    if (this.open?.kind === kind) return;
    this.close();
    this.index++;
    this.open = { kind };
    this.emit({ type: "content_block_start", index: this.index, content_block: kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" } });
  }

  chunk(c: ChatCompletionChunk): void {
    this.start(c.id, c.model);
    if (c.usage) this.usage = c.usage;
    const choice = c.choices.find((x) => x.index === 0);
    if (!choice) return;
    const d = choice.delta;
    if (d.reasoning_content) {
      this.block("thinking");
      this.emit({ type: "content_block_delta", index: this.index, delta: { type: "thinking_delta", thinking: d.reasoning_content } });
    }
    for (const text of [d.content, d.refusal]) {
      if (!text) continue;
      this.block("text");
      this.emit({ type: "content_block_delta", index: this.index, delta: { type: "text_delta", text } });
    }
    for (const tc of d.tool_calls ?? []) {
      const continues = this.open?.kind === "tool" && this.open.toolIndex === tc.index;
      if (!continues) {
        // OpenAI streams one call after another; a new index opens the next tool_use block.
        this.close();
        this.index++;
        this.open = { kind: "tool", toolIndex: tc.index };
        this.emit({ type: "content_block_start", index: this.index, content_block: { type: "tool_use", id: tc.id ?? `toolu_${tc.index}`, name: tc.function?.name ?? "", input: {} } });
      }
      const args = tc.function?.arguments;
      if (args) this.emit({ type: "content_block_delta", index: this.index, delta: { type: "input_json_delta", partial_json: args } });
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
  }

  end(): void {
    this.start("", "");
    this.close();
    this.emit({ type: "message_delta", delta: { stop_reason: stopReason(this.finish), stop_sequence: null }, usage: messageUsage(this.usage) });
    this.emit({ type: "message_stop" });
  }

  error(err: GatewayError): void {
    this.out.push({ event: "error", data: anthropicErrorBody(err) });
  }
}

/** The Anthropic-format SSE body, encoded in the same pull that reads the chunks (no separate encoder stage). */
export function anthropicSSE(source: ChunkSource): ReadableStream<Uint8Array> {
  const writer = new EventWriter();
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (writer.out.length === 0 && !done) {
        try {
          const result = await source.read();
          if (result.done) {
            writer.end();
            done = true;
          } else writer.chunk(result.value);
        } catch (e) {
          writer.error(e instanceof GatewayError ? e : internalError(e));
          done = true;
        }
      }
      for (const ev of writer.out.splice(0)) controller.enqueue(encodeEvent(ev));
      if (done) controller.close();
    },
    cancel(reason) {
      return source.cancel(reason);
    },
  });
}
