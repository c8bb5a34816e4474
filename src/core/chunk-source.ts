/**
 * What the client-facing stream reads from: a pull source of canonical chunks. A plain
 * interface rather than another ReadableStream, so the early-error guard, the idle deadline and
 * the accounting add no stream stage (and no promise hops) of their own per chunk.
 */
import type { ChatCompletionChunk } from "./chat-response";

export interface ChunkSource {
  /** Rejects with a GatewayError when the upstream fails or goes idle too long. */
  read(): Promise<ReadableStreamReadResult<ChatCompletionChunk>>;
  cancel(reason?: unknown): Promise<void>;
}

export function arraySource(chunks: ChatCompletionChunk[]): ChunkSource {
  let i = 0;
  return {
    read: () => {
      const value = chunks[i++];
      return Promise.resolve(value === undefined ? { done: true, value: undefined } : { done: false, value });
    },
    cancel: () => Promise.resolve(),
  };
}
