/**
 * Carries out a plan: walks each step's model and fallbacks on errors (retrying a model once
 * when it asks to be retried soon), and moves to the next step only when a whole step failed.
 * Quality escalation between steps belongs to the cascade (routing engine); error fallback
 * is this walk. Nothing reaches the client until an attempt has produced its first content.
 */
import { GatewayError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import type { Plan } from "../routing/plan";
import { clientAbortedError, runAttempt } from "./attempt";
import { accountStream } from "./stream-accounting";
import type { AttemptKind, AttemptRecord, ExecDeps, Execution } from "./types";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

export async function executePlan(plan: Plan, request: ChatRequest, deps: ExecDeps): Promise<Execution> {
  const stream = request.stream === true;
  const attempts: AttemptRecord[] = [];
  const failures: GatewayError[] = [];
  const tried = new Set<string>();

  for (const [stepIndex, step] of plan.steps.entries()) {
    const candidates = [step.model, ...step.fallbacks].filter((m) => !tried.has(m));
    for (const alias of candidates) {
      tried.add(alias);
      let kind: AttemptKind = attempts.length === 0 ? "primary" : "fallback";
      for (let round = 0; round < 2; round++) {
        if (deps.signal.aborted) return { kind: "error", error: clientAbortedError(), attempts };
        const outcome = await runAttempt(alias, request, deps, { seq: attempts.length, kind, step: stepIndex, stream });
        attempts.push(outcome.record);
        if (outcome.ok) {
          const served = { model: alias, provider: outcome.record.provider, providerKind: outcome.record.providerKind, step: stepIndex };
          if (outcome.kind === "completion") return { kind: "completion", completion: outcome.completion, served, attempts };
          const price = deps.config.models[alias]?.price ?? { input: 0, output: 0 };
          const { stream: chunks, finished } = accountStream(outcome.stream, outcome.record, request, price, deps.now);
          return { kind: "stream", chunks, served, attempts, finished };
        }
        const err = outcome.error;
        failures.push(err);
        if (!err.retryable) return { kind: "error", error: err, attempts };
        const retryAfter = err.retryAfterMs;
        if (round === 0 && retryAfter !== undefined && retryAfter <= deps.config.defaults.maxRetryAfterMs) {
          await sleep(retryAfter, deps.signal);
          kind = "retry";
          continue;
        }
        break;
      }
    }
  }
  return { kind: "error", error: exhausted(failures), attempts };
}

/** The one error a client sees when every target failed. */
function exhausted(failures: GatewayError[]): GatewayError {
  const summary = failures.map((f) => f.message).join("; ");
  const count = failures.length;
  if (count > 0 && failures.every((f) => f.status === 429)) {
    const waits = failures.map((f) => f.retryAfterMs).filter((v): v is number => v !== undefined);
    return new GatewayError({
      status: 429, type: "rate_limit_error", code: "all_upstreams_rate_limited", message: `every model for this request is rate limited: ${summary}`,
      errorClass: "rate_limited", retryable: true, ...(waits.length > 0 ? { retryAfterMs: Math.min(...waits) } : {}),
    });
  }
  if (count > 0 && failures.every((f) => f.errorClass === "timeout")) {
    return new GatewayError({ status: 504, type: "timeout_error", code: "all_upstreams_timed_out", message: `every model for this request timed out: ${summary}`, errorClass: "timeout", retryable: true });
  }
  return new GatewayError({
    status: 502, type: "upstream_error", code: "all_upstreams_failed",
    message: count === 0 ? "the plan has no model to try" : `all ${count} attempts failed: ${summary}`,
    errorClass: failures.at(-1)?.errorClass ?? "upstream_5xx", retryable: true,
  });
}
