import type { ErrorClass, GatewayError } from "../core/errors";
import type { ChatCompletion, ChatCompletionChunk, FinishReason } from "../core/chat-response";
import type { Config } from "../config/schema";
import type { TokenCounts } from "../pricing/cost";

export type AttemptKind = "primary" | "retry" | "fallback";

/** One upstream call, as the ledger's `attempts` table records it. */
export interface AttemptRecord {
  seq: number;
  kind: AttemptKind;
  /** Plan step (tier) index this attempt served. */
  step: number;
  model: string;
  provider: string;
  providerKind: string;
  startedAt: number;
  latencyMs: number;
  ttfbMs: number | null;
  /** Upstream HTTP status (200 on success); null when no response came (timeout, connection). */
  httpStatus: number | null;
  ok: boolean;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  tokens: TokenCounts;
  costUsd: number;
}

export interface ExecDeps {
  config: Config;
  /** Reads a Worker secret by name. */
  secret(name: string): string | undefined;
  fetch: typeof fetch;
  now(): number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface Served {
  model: string;
  provider: string;
  providerKind: string;
  step: number;
}

export interface StreamEnd {
  status: "ok" | "error" | "aborted";
  error?: GatewayError;
  finishReason: FinishReason | null;
  endedAt: number;
}

export type Execution =
  | { kind: "completion"; completion: ChatCompletion; served: Served; attempts: AttemptRecord[] }
  | {
      kind: "stream";
      chunks: ReadableStream<ChatCompletionChunk>;
      served: Served;
      attempts: AttemptRecord[];
      /** Settles when the stream ends, is cut or is cancelled; the served attempt's record is complete by then. */
      finished: Promise<StreamEnd>;
    }
  | { kind: "error"; error: GatewayError; attempts: AttemptRecord[] };
