import type { GatewayError } from "../core/errors";
import type { ChatCompletion, FinishReason } from "../core/chat-response";
import type { Config } from "../config/schema";
import type { ChunkSource } from "../core/chunk-source";
import type { ModelHealth } from "../core/model-health";
import type { CallLimits } from "./call-limits";
import type { AttemptRecord, Quality } from "../ledger/attempt";

export interface ExecDeps {
  config: Config;
  /** Reads a provider-key Worker secret by name. */
  secret(name: string): string | undefined;
  /** The hosts the key in that secret may be sent to. */
  keyHosts(name: string): readonly string[];
  fetch: typeof fetch;
  now(): number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  health?: ModelHealth;
  /** Bounds the upstream work one client request may cause (config `limits`); absent: unbounded. */
  limits?: CallLimits;
}

export interface Served {
  model: string;
  provider: string;
  providerKind: string;
  /** The answer was made up by the gateway (the simulator adapter), not a model. */
  simulated: boolean;
  step: number;
}

/** Where a continuation took over a cut answer: its attempt, the characters of answer text before it, and the client's wait at the seam. */
export interface Seam {
  attempt: number;
  chars: number;
  gapMs: number;
}

export interface StreamEnd {
  /** recovered: finished, by continuations after the upstream failed mid-answer. */
  status: "ok" | "recovered" | "error" | "aborted";
  error?: GatewayError;
  finishReason: FinishReason | null;
  endedAt: number;
  seams?: Seam[];
  /** The attempts (seq) whose output the client's answer is made of, in order. */
  chain?: number[];
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
