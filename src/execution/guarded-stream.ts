/**
 * The early-error check for streams. Reads the upstream until the first chunk a client would
 * see as the answer starting (content, reasoning, a tool call or a finish): until then a failure
 * is still invisible to the client and the caller can fall back. After it, every read has an
 * idle deadline, and cancelling the returned stream cancels the upstream.
 */
import { GatewayError } from "../core/errors";
import { chunkHasContent, type ChatCompletionChunk } from "../core/chat-response";
import { withDeadline } from "./deadline";

export interface GuardOptions {
  /** Deadline for the first content chunk, counted from `startedAt`, then for each later gap. */
  timeoutMs: number;
  startedAt: number;
  now(): number;
  abort(reason: GatewayError): void;
  timeoutError(): GatewayError;
  emptyError(): GatewayError;
}

export interface GuardedStream {
  stream: ReadableStream<ChatCompletionChunk>;
  firstContentAt: number;
}

export async function guardStream(upstream: ReadableStream<ChatCompletionChunk>, opts: GuardOptions): Promise<GuardedStream> {
  const reader = upstream.getReader();
  const read = (ms: number) =>
    withDeadline(reader.read(), ms, () => {
      const err = opts.timeoutError();
      opts.abort(err);
      return err;
    });

  const buffered: ChatCompletionChunk[] = [];
  try {
    for (;;) {
      const remaining = Math.max(1, opts.startedAt + opts.timeoutMs - opts.now());
      const { done, value } = await read(remaining);
      if (done) throw opts.emptyError();
      buffered.push(value);
      if (chunkHasContent(value)) break;
    }
  } catch (err) {
    reader.cancel(err).catch(() => {});
    throw err;
  }

  const firstContentAt = opts.now();
  const stream = new ReadableStream<ChatCompletionChunk>({
    async pull(controller) {
      const next = buffered.shift();
      if (next !== undefined) return controller.enqueue(next);
      const { done, value } = await read(opts.timeoutMs);
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
    },
  });
  return { stream, firstContentAt };
}
