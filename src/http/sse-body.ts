/**
 * Canonical chunks → the events a client receives. Usage-only chunks are dropped unless the
 * client asked for `stream_options.include_usage`; a stream that ends normally ends with
 * `[DONE]`; one cut by an error ends with an OpenAI-style error event and no `[DONE]`, so a
 * client can tell a cut-off answer from a finished one.
 */
import { GatewayError, internalError, toErrorBody } from "../core/errors";
import type { ChatCompletionChunk } from "../core/chat-response";
import { encodeEvent } from "../core/sse";
import type { ChunkSource } from "../core/chunk-source";

function forClient(chunk: ChatCompletionChunk, includeUsage: boolean): ChatCompletionChunk | null {
  if (includeUsage) return chunk;
  if (chunk.choices.length === 0) return null;
  if (chunk.usage === undefined) return chunk;
  const { usage: _usage, ...rest } = chunk;
  return rest as ChatCompletionChunk;
}

/** The client's SSE body, encoded in the same pull that reads the chunk (no separate encoder stage). */
export function clientSSE(source: ChunkSource, includeUsage: boolean): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let result: ReadableStreamReadResult<ChatCompletionChunk>;
        try {
          result = await source.read();
        } catch (e) {
          const err = e instanceof GatewayError ? e : internalError(e);
          controller.enqueue(encodeEvent({ data: toErrorBody(err) }));
          controller.close();
          return;
        }
        if (result.done) {
          controller.enqueue(encodeEvent({ data: "[DONE]" }));
          controller.close();
          return;
        }
        const out = forClient(result.value, includeUsage);
        if (out) {
          controller.enqueue(encodeEvent({ data: out }));
          return;
        }
      }
    },
    cancel(reason) {
      return source.cancel(reason);
    },
  });
}
