/**
 * Watches the chunks that reach the client: finalises the served attempt's record (usage or an
 * estimate, cost, latency) and reports how the stream ended — finished, cut by an upstream
 * error, or cancelled by the client.
 */
import { GatewayError, internalError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletionChunk, FinishReason, Usage } from "../core/chat-response";
import type { BilledPrice as Price } from "../pricing/cost";
import { costUsd } from "../pricing/cost";
import type { ChunkSource } from "../core/chunk-source";
import type { AttemptRecord } from "../ledger/attempt";
import type { StreamEnd } from "./types";
import { chunkOutputChars, countsFor } from "./usage";
import { streamCut } from "./stitched-stream";

export interface Accounted {
  source: ChunkSource;
  finished: Promise<StreamEnd>;
}

/**
 * `price` null: the record is already final (a buffered answer replayed), only the ending is tracked.
 * Returns a pull source, not another stream stage: the codec's body stream is the only one reading it.
 */
export function accountStream(
  upstream: ChunkSource,
  record: AttemptRecord | undefined,
  request: ChatRequest,
  price: Price | null,
  now: () => number,
): Accounted {
  let usage: Usage | undefined;
  let outputChars = 0;
  let finishReason: FinishReason | null = null;
  let settle!: (end: StreamEnd) => void;
  let settled = false;
  const finished = new Promise<StreamEnd>((resolve) => (settle = resolve));

  const end = (status: StreamEnd["status"], error?: GatewayError) => {
    if (settled) return;
    settled = true;
    const endedAt = now();
    if (record && price) {
      record.latencyMs = endedAt - record.startedAt;
      record.tokens = countsFor(request, usage, outputChars);
      record.costUsd = costUsd(record.tokens, price);
    }
    if (record && status !== "ok") {
      record.ok = false;
      record.errorClass = error?.errorClass ?? "client_aborted";
      record.errorMessage = error?.message ?? "the client closed the connection";
    }
    settle({ status, finishReason, endedAt, ...(error ? { error } : {}) });
  };

  const source: ChunkSource = {
    async read() {
      let result: ReadableStreamReadResult<ChatCompletionChunk>;
      try {
        result = await upstream.read();
      } catch (e) {
        const err = e instanceof GatewayError ? e : internalError(e);
        // The client leaving aborts the upstream call too; whichever the runtime reports first, it is an abort.
        if (err.errorClass === "client_aborted") end("aborted");
        else end("error", streamCut(err));
        throw err;
      }
      if (result.done) {
        end("ok");
        return result;
      }
      const chunk = result.value;
      if (chunk.usage) usage = chunk.usage;
      outputChars += chunkOutputChars(chunk);
      for (const c of chunk.choices) if (c.finish_reason) finishReason = c.finish_reason;
      return result;
    },
    async cancel(reason) {
      end("aborted");
      await upstream.cancel(reason).catch(() => {});
    },
  };
  return { source, finished };
}

