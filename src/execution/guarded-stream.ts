/**
 * The early-error check for streams. Reads the upstream until the first chunk a client would
 * see as the answer starting (content, reasoning, a tool call or a finish): until then a failure
 * is still invisible to the client and the caller can fall back. After it, the upstream must keep
 * producing: one watchdog timer (re-armed only when it fires, not per chunk) aborts the call once
 * nothing has arrived for `timeoutMs`.
 */
import type { GatewayError } from "../core/errors";
import { chunkHasContent, type ChatCompletionChunk } from "../core/chat-response";
import type { ChunkSource } from "../core/chunk-source";

export interface GuardOptions {
  /** Deadline for the first content chunk, counted from `startedAt`, then for each later gap. */
  timeoutMs: number;
  startedAt: number;
  now(): number;
  abort(reason: GatewayError): void;
  timeoutError(): GatewayError;
  emptyError(): GatewayError;
  /** What a read failure means (a dropped connection, our own abort). */
  classify(err: unknown): GatewayError;
}

export interface GuardedStream {
  source: ChunkSource;
  firstContentAt: number;
}

export async function guardStream(upstream: ReadableStream<ChatCompletionChunk>, opts: GuardOptions): Promise<GuardedStream> {
  const reader = upstream.getReader();
  let lastProgress = opts.startedAt;
  let expired: GatewayError | undefined;
  let rejectWatch!: (e: GatewayError) => void;
  const watch = new Promise<never>((_, reject) => (rejectWatch = reject));
  watch.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const idle = opts.now() - lastProgress;
    if (idle < opts.timeoutMs) {
      timer = setTimeout(check, opts.timeoutMs - idle);
      return;
    }
    expired = opts.timeoutError();
    opts.abort(expired);
    rejectWatch(expired);
  };
  timer = setTimeout(check, Math.max(1, opts.startedAt + opts.timeoutMs - opts.now()));
  const stop = () => clearTimeout(timer);

  const read = async (): Promise<ReadableStreamReadResult<ChatCompletionChunk>> => {
    try {
      const result = await Promise.race([reader.read(), watch]);
      lastProgress = opts.now();
      if (result.done) stop();
      return result;
    } catch (err) {
      stop();
      throw expired ?? opts.classify(err);
    }
  };

  const buffered: ChatCompletionChunk[] = [];
  try {
    for (;;) {
      const { done, value } = await read();
      if (done) throw opts.emptyError();
      buffered.push(value);
      if (chunkHasContent(value)) break;
    }
  } catch (err) {
    stop();
    reader.cancel(err).catch(() => {});
    throw err;
  }

  return {
    firstContentAt: opts.now(),
    source: {
      read: () => {
        const next = buffered.shift();
        return next !== undefined ? Promise.resolve({ done: false, value: next }) : read();
      },
      cancel: async (reason) => {
        stop();
        await reader.cancel(reason).catch(() => {});
      },
    },
  };
}
