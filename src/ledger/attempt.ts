/** What the ledger records of each upstream call and of the served answer's checks; execution fills them in. */
import type { ErrorClass } from "../core/errors";
import type { TokenCounts } from "../pricing/cost";
import type { CheckVerdict } from "../quality/types";

/**
 * primary: the plan's first call; retry: the same model after a short Retry-After; fallback: the
 * next model after an error; escalation: the next step after a failed check; sample: an extra
 * answer for self-consistency; classifier: the LLM complexity rating; continuation: the next
 * candidate carrying on from an answer its upstream cut mid-stream.
 */
export type AttemptKind = "primary" | "retry" | "fallback" | "escalation" | "sample" | "classifier" | "continuation";

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
  /** Blocks of this call's answer left out of the client's (text beside a forced JSON tool); counted on the request row, not stored per attempt. */
  droppedBlocks?: number;
}

/** passed: the served answer passed its step's checks; failed: it did not (the last tier's answer, returned anyway); unchecked: no checks applied. */
export type Quality = "passed" | "failed" | "unchecked";
