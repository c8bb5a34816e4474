import type { ErrorClass, GatewayError } from "../core/errors";
import type { ChatCompletion, ChatCompletionChunk, FinishReason } from "../core/chat-response";
import type { Config } from "../config/schema";
import type { TokenCounts } from "../pricing/cost";
import type { CheckVerdict } from "../quality/types";
import type { ChunkSource } from "../core/chunk-source";

/**
 * primary: the plan's first call; retry: the same model after a short Retry-After; fallback: the
 * next model after an error; escalation: the next step after a failed check; sample: an extra
 * answer for self-consistency; classifier: the LLM complexity rating.
 */
export type AttemptKind = "primary" | "retry" | "fallback" | "escalation" | "sample" | "classifier";

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
  /** Verdicts of the step's checks on this attempt's answer; null when it was not checked. */
  checks: CheckVerdict[] | null;
}

/** Circuit-breaker state, as execution sees it: read synchronously, reported to off the path. */
export interface ModelHealth {
  cooldowns(): Readonly<Record<string, number>>;
  report(model: string, ok: boolean): void;
}

export interface ExecDeps {
  config: Config;
  /** Reads a Worker secret by name. */
  secret(name: string): string | undefined;
  fetch: typeof fetch;
  now(): number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  health?: ModelHealth;
}

export interface Served {
  model: string;
  provider: string;
  providerKind: string;
  step: number;
}

/** passed: the served answer passed its step's checks; failed: it did not (the last tier's answer, returned anyway); unchecked: no checks applied. */
export type Quality = "passed" | "failed" | "unchecked";

export interface StreamEnd {
  status: "ok" | "error" | "aborted";
  error?: GatewayError;
  finishReason: FinishReason | null;
  endedAt: number;
}

export type Execution =
  | { kind: "completion"; completion: ChatCompletion; served: Served; attempts: AttemptRecord[]; quality: Quality; escalations: number }
  | {
      kind: "stream";
      /** The answer's chunks, read by the client's body stream; the only reader. */
      source: ChunkSource;
      served: Served;
      attempts: AttemptRecord[];
      quality: Quality;
      escalations: number;
      /** Settles when the stream ends, is cut or is cancelled; the served attempt's record is complete by then. */
      finished: Promise<StreamEnd>;
    }
  | { kind: "error"; error: GatewayError; attempts: AttemptRecord[] };
