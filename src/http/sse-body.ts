/**
 * Canonical chunks → the events a client receives. Usage-only chunks are dropped unless the
 * client asked for `stream_options.include_usage`; a stream that ends normally ends with
 * `[DONE]`; one cut by an error ends with an OpenAI-style error event and no `[DONE]`, so a
 * client can tell a cut-off answer from a finished one.
 */
import { GatewayError, internalError, toErrorBody } from "../core/errors";
import type { ChatCompletionChunk } from "../core/chat-response";
import type { OutboundEvent } from "../core/sse";

function forClient(chunk: ChatCompletionChunk, includeUsage: boolean): ChatCompletionChunk | null {
  if (includeUsage) return chunk;
  if (chunk.choices.length === 0) return null;
  if (chunk.usage === undefined) return chunk;
  const { usage: _usage, ...rest } = chunk;
  return rest as ChatCompletionChunk;
}

export function clientEvents(chunks: ReadableStream<ChatCompletionChunk>, includeUsage: boolean): ReadableStream<OutboundEvent> {
  const reader = chunks.getReader();
  return new ReadableStream<OutboundEvent>({
    async pull(controller) {
      for (;;) {
        let result: ReadableStreamReadResult<ChatCompletionChunk>;
        try {
          result = await reader.read();
        } catch (e) {
          const err = e instanceof GatewayError ? e : internalError(e);
          controller.enqueue({ data: toErrorBody(err) });
          controller.close();
          return;
        }
        if (result.done) {
          controller.enqueue({ data: "[DONE]" });
          controller.close();
          return;
        }
        const out = forClient(result.value, includeUsage);
        if (out) {
          controller.enqueue({ data: out });
          return;
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
