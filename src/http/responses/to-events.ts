/**
 * Canonical chunks → the Responses API's stream, as the openai SDK (`responses.stream`, `stream:
 * true`) and the AI SDK's `openai()` provider read it: `response.created`, `response.in_progress`,
 * per output item `response.output_item.added` … `.done` (a message with `content_part.added`,
 * `output_text.delta`s, `output_text.done`, `content_part.done`; a function call with
 * `function_call_arguments.delta`s and `.done`), then `response.completed` (or `.incomplete`)
 * carrying the whole response with usage. A stream cut by an error ends with an `error` event
 * and no `response.completed`, so the client can tell it from a finished answer.
 */
import { GatewayError, internalError, toErrorBody } from "../../core/errors";
import type { ChatCompletionChunk, FinishReason, Usage } from "../../core/chat-response";
import { encodeEvent, type OutboundEvent } from "../../core/sse";
import type { ChunkSource } from "../../core/chunk-source";
import type { ResponsesRequest } from "./request-schema";
import { functionCallItem, hexId, messageItem, responseObject, statusOf, toResponsesUsage, type OutputItem } from "./to-response";

type Open =
  | { kind: "message"; id: string; index: number; text: string }
  | { kind: "call"; id: string; index: number; toolIndex: number; callId: string; name: string; args: string };

class ResponseEventWriter {
  readonly out: OutboundEvent[] = [];
  private seq = 0;
  private started = false;
  private readonly id = hexId("resp");
  private createdAt = Math.floor(Date.now() / 1000);
  private model = "";
  private open: Open | null = null;
  private readonly done: OutputItem[] = [];
  private usage: Usage | undefined;
  private finish: FinishReason | null = null;

  constructor(private readonly req: ResponsesRequest) {}

  private emit(type: string, fields: Record<string, unknown>): void {
    this.out.push({ event: type, data: { type, sequence_number: this.seq++, ...fields } });
  }

  private snapshot(fields: Record<string, unknown> = {}): Record<string, unknown> {
    return responseObject(this.id, this.createdAt, this.model, this.req, fields);
  }

  private start(c?: ChatCompletionChunk): void {
    if (this.started) return;
    this.started = true;
    if (c) {
      this.model = c.model;
      if (c.created) this.createdAt = c.created;
    }
    this.emit("response.created", { response: this.snapshot() });
    this.emit("response.in_progress", { response: this.snapshot() });
  }

  private itemStatus(): string {
    return statusOf(this.finish).status === "completed" ? "completed" : "incomplete";
  }

  private close(): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    if (o.kind === "message") {
      this.emit("response.output_text.done", { item_id: o.id, output_index: o.index, content_index: 0, text: o.text, logprobs: [] });
      this.emit("response.content_part.done", { item_id: o.id, output_index: o.index, content_index: 0, part: { type: "output_text", text: o.text, annotations: [] } });
      const item = messageItem(o.id, o.text, this.itemStatus());
      this.done.push(item);
      this.emit("response.output_item.done", { output_index: o.index, item });
    } else {
      this.emit("response.function_call_arguments.done", { item_id: o.id, output_index: o.index, name: o.name, arguments: o.args });
      const item = functionCallItem(o.id, { id: o.callId, function: { name: o.name, arguments: o.args } }, "completed");
      this.done.push(item);
      this.emit("response.output_item.done", { output_index: o.index, item });
    }
  }

  private text(delta: string): void {
    if (this.open?.kind !== "message") {
      this.close();
      const o: Open = { kind: "message", id: hexId("msg"), index: this.done.length, text: "" };
      this.open = o;
      this.emit("response.output_item.added", { output_index: o.index, item: { id: o.id, type: "message", status: "in_progress", role: "assistant", content: [] } });
      this.emit("response.content_part.added", { item_id: o.id, output_index: o.index, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
    }
    const o = this.open as Extract<Open, { kind: "message" }>;
    o.text += delta;
    this.emit("response.output_text.delta", { item_id: o.id, output_index: o.index, content_index: 0, delta, logprobs: [] });
  }

  private call(tc: NonNullable<ChatCompletionChunk["choices"][number]["delta"]["tool_calls"]>[number]): void {
    if (this.open?.kind !== "call" || this.open.toolIndex !== tc.index) {
      this.close();
      const o: Open = { kind: "call", id: hexId("fc"), index: this.done.length, toolIndex: tc.index, callId: tc.id ?? hexId("call"), name: tc.function?.name ?? "", args: "" };
      this.open = o;
      this.emit("response.output_item.added", { output_index: o.index, item: functionCallItem(o.id, { id: o.callId, function: { name: o.name, arguments: "" } }, "in_progress") });
    }
    const o = this.open as Extract<Open, { kind: "call" }>;
    const args = tc.function?.arguments;
    if (args) {
      o.args += args;
      this.emit("response.function_call_arguments.delta", { item_id: o.id, output_index: o.index, delta: args });
    }
  }

  chunk(c: ChatCompletionChunk): void {
    this.start(c);
    if (c.usage) this.usage = c.usage;
    const choice = c.choices.find((x) => x.index === 0);
    if (!choice) return;
    const d = choice.delta;
    for (const t of [d.content, d.refusal]) if (t) this.text(t);
    for (const tc of d.tool_calls ?? []) this.call(tc);
    if (choice.finish_reason) this.finish = choice.finish_reason;
  }

  end(): void {
    this.start();
    // An answer with no content at all still has its (empty) message, as non-stream answers do.
    if (this.done.length === 0 && !this.open) this.text("");
    this.close();
    const { status, incomplete_details } = statusOf(this.finish);
    const response = this.snapshot({ status, incomplete_details, output: this.done, usage: toResponsesUsage(this.usage) });
    this.emit(status === "completed" ? "response.completed" : "response.incomplete", { response });
  }

  error(err: GatewayError): void {
    const e = toErrorBody(err).error;
    this.emit("error", { code: e.code, message: e.message, param: e.param });
  }
}

/** The Responses-format SSE body, encoded in the same pull that reads the chunks. */
export function responsesSSE(source: ChunkSource, req: ResponsesRequest): ReadableStream<Uint8Array> {
  const writer = new ResponseEventWriter(req);
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
