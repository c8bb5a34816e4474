/**
 * One plan step: walk its model and fallbacks on errors, retrying a model once when it asks to
 * be retried soon. Every attempt is appended to the shared list; successes and the failures that
 * say something about the model's health (execution/health-signal.ts) are reported to its breaker.
 */
import type { GatewayError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import type { PlanStep } from "../routing/plan";
import { clientAbortedError, runAttempt, type AttemptOutcome } from "./attempt";
import type { AttemptKind, AttemptRecord } from "../ledger/attempt";
import type { ExecDeps } from "./types";
import { countsAgainstModel, isHeavyRequest } from "./health-signal";

export type StepResult =
  | { kind: "ok"; outcome: Extract<AttemptOutcome, { ok: true }>; model: string }
  /** A failure the client must see as it is (e.g. a 400 from the upstream, or the client left). */
  | { kind: "fatal"; error: GatewayError }
  /** Every candidate failed with retryable errors. */
  | { kind: "exhausted" };

export interface StepRun {
  attempts: AttemptRecord[];
  failures: GatewayError[];
  /** Models already tried by earlier steps after errors (not tried again). */
  failedModels: Set<string>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

export interface StepOptions {
  stream: boolean;
  firstKind: AttemptKind;
  /** The kind of every later candidate too (a continuation is one whichever model takes it); default "fallback". */
  laterKind?: AttemptKind;
}

/** `request`: the same for every candidate, or made per candidate (a continuation's form depends on the provider). */
export async function runStep(step: PlanStep, stepIndex: number, request: ChatRequest | ((alias: string) => ChatRequest), deps: ExecDeps, run: StepRun, opts: StepOptions): Promise<StepResult> {
  const candidates = [step.model, ...step.fallbacks].filter((m, i, all) => all.indexOf(m) === i && !run.failedModels.has(m));
  let first = true;
  for (const alias of candidates) {
    let kind: AttemptKind = first ? opts.firstKind : (opts.laterKind ?? "fallback");
    const asked = typeof request === "function" ? request(alias) : request;
    first = false;
    for (let round = 0; round < 2; round++) {
      if (deps.signal.aborted) return { kind: "fatal", error: clientAbortedError() };
      const outcome = await runAttempt(alias, asked, deps, { seq: run.attempts.length, kind, step: stepIndex, stream: opts.stream });
      run.attempts.push(outcome.record);
      if (outcome.ok) {
        deps.health?.report(alias, true);
        return { kind: "ok", outcome, model: alias };
      }
      const err = outcome.error;
      run.failures.push(err);
      if (!err.retryable) return { kind: "fatal", error: err };
      // Only what says something about the model counts (a client's own heavy or invalid request does not).
      if (countsAgainstModel(err, () => isHeavyRequest(asked))) deps.health?.report(alias, false);
      const retryAfter = err.retryAfterMs;
      if (round === 0 && retryAfter !== undefined && retryAfter <= deps.config.defaults.maxRetryAfterMs) {
        await sleep(retryAfter, deps.signal);
        kind = "retry";
        continue;
      }
      break;
    }
    run.failedModels.add(alias);
  }
  return { kind: "exhausted" };
}
