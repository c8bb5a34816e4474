/**
 * Carries out a plan. Each step is a tier: its models are walked on errors (run-step.ts); when
 * the step has checks its answer is buffered and judged, and a failed check escalates to the
 * next step. The last step's answer is returned whatever its verdict, marked. A step whose
 * every model failed hands over to the next step as an error fallback. Nothing reaches the
 * client until an attempt has produced its first content.
 */
import { GatewayError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletion } from "../core/chat-response";
import type { Plan, PlanStep } from "../routing/plan";
import { allPassed } from "../quality/types";
import { checkStep } from "./check-step";
import { arraySource } from "../core/chunk-source";
import { completionChunks } from "./replay-stream";
import { runStep, type StepRun } from "./run-step";
import { accountStream } from "./stream-accounting";
import { billedPrice } from "../pricing/billed-price";
import type { BilledPrice } from "../pricing/cost";
import { stitchedStream, type ContinueResult } from "./stitched-stream";
import { continuationRequest } from "./continuation-request";
import { resolveTarget } from "./target";
import { clientAbortedError } from "./attempt";
import type { ContinuationMechanism } from "../providers/types";
import type { AttemptKind, AttemptRecord, Quality } from "../ledger/attempt";
import type { ExecDeps, Execution, Served } from "./types";
import { modelNamed } from "../config/lookup";

/** The request as a step sends it: logprob checks need logprobs, and checked steps are not streamed. */
function stepRequest(request: ChatRequest, step: PlanStep): ChatRequest {
  const needsLogprobs = step.checks.some((c) => c.type === "logprob") && request.logprobs !== true;
  return needsLogprobs ? { ...request, logprobs: true } : request;
}

/** Logprobs the gateway asked for on its own account are not the client's to see. */
function forClient(completion: ChatCompletion, request: ChatRequest): ChatCompletion {
  if (request.logprobs === true) return completion;
  return { ...completion, choices: completion.choices.map((c) => ({ ...c, logprobs: null })) };
}

export interface ExecOptions {
  /** A stream failing after content: `continue` with the next candidate (default), or end it with an error. */
  onStreamFailure?: "continue" | "error";
}

export async function executePlan(plan: Plan, request: ChatRequest, deps: ExecDeps, attempts: AttemptRecord[] = [], opts: ExecOptions = {}): Promise<Execution> {
  const run: StepRun = { attempts, failures: [], failedModels: new Set() };
  let escalations = 0;
  let checkFailed = false;
  let rejected: { completion: ChatCompletion; served: Served } | undefined;

  const serveCompletion = (completion: ChatCompletion, served: Served, quality: Quality): Execution => {
    const answer = forClient(completion, request);
    if (request.stream !== true) return { kind: "completion", completion: answer, served, attempts, quality, escalations };
    // The answer is already complete and costed: only how the client's stream ends is tracked.
    const { source, finished } = accountStream(arraySource(completionChunks(answer)), undefined, request, null, deps.now);
    return { kind: "stream", source, served, attempts, quality, escalations, finished };
  };

  for (const [index, step] of plan.steps.entries()) {
    const isLast = index === plan.steps.length - 1;
    const checked = step.checks.length > 0;
    const firstKind: AttemptKind = index === 0 ? "primary" : checkFailed ? "escalation" : "fallback";
    const asked = stepRequest(request, step);
    const result = await runStep(step, index, asked, deps, run, { stream: request.stream === true && !checked, firstKind });
    if (result.kind === "fatal") return { kind: "error", error: result.error, attempts };
    if (result.kind === "exhausted") continue;

    const { outcome, model } = result;
    const served: Served = { model, provider: outcome.record.provider, providerKind: outcome.record.providerKind, simulated: outcome.simulated, step: index };
    if (outcome.kind === "stream") {
      // The stream's own abort: the client cancelling the body stops a continuation being set up, too.
      const streamAbort = new AbortController();
      deps.signal.addEventListener("abort", () => streamAbort.abort(deps.signal.reason), { once: true });
      const continueWith = opts.onStreamFailure === "error" ? null : continuer(plan, index, model, request, { ...deps, signal: streamAbort.signal }, run);
      const first = { source: outcome.source, record: outcome.record, price: priceOf(deps, model, request) };
      const { source, finished } = stitchedStream(first, { request, now: deps.now, continueWith, onCancel: () => streamAbort.abort(clientAbortedError()) });
      return { kind: "stream", source, served, attempts, quality: "unchecked", escalations, finished };
    }
    if (!checked) return serveCompletion(outcome.completion, served, "unchecked");

    const verdicts = await checkStep(step.checks, { completion: outcome.completion, record: outcome.record, logprobs: outcome.logprobs, model }, asked, deps, attempts);
    if (allPassed(verdicts)) return serveCompletion(outcome.completion, served, "passed");
    if (isLast) return serveCompletion(outcome.completion, served, "failed");
    rejected = { completion: outcome.completion, served };
    escalations++;
    checkFailed = true;
  }
  // Later steps all failed with errors: an answer that failed its checks beats no answer.
  if (rejected) return serveCompletion(rejected.completion, rejected.served, "failed");
  return { kind: "error", error: exhausted(run.failures), attempts };
}

/** The model's price as this request pays it (service tier, audio output, web search: pricing/billed-price.ts). */
const priceOf = (deps: ExecDeps, model: string, request: ChatRequest): BilledPrice => {
  const m = modelNamed(deps.config, model);
  return m ? billedPrice(request, m) : { input: 0, output: 0 };
};

/**
 * Asks the next candidates — the rest of the serving step's models, then the later steps' — to
 * continue a cut answer, each in its provider's form; the first whose stream produces content takes over.
 */
function continuer(plan: Plan, stepIndex: number, servedModel: string, request: ChatRequest, deps: ExecDeps, run: StepRun) {
  let failing = servedModel;
  const form = (alias: string): ContinuationMechanism => {
    try {
      const { adapter, target } = resolveTarget(alias, deps.config, deps);
      return adapter.continuation(target);
    } catch {
      return "instruction"; // the attempt itself will fail and say why
    }
  };
  return async (partial: string): Promise<ContinueResult> => {
    deps.health?.report(failing, false);
    run.failedModels.add(failing);
    let lastError: GatewayError | undefined;
    for (let s = stepIndex; s < plan.steps.length; s++) {
      const step = plan.steps[s] as PlanStep;
      const result = await runStep(step, s, (alias) => continuationRequest(request, partial, form(alias)), deps, run, { stream: true, firstKind: "continuation", laterKind: "continuation" });
      if (result.kind === "ok" && result.outcome.kind === "stream") {
        failing = result.model;
        return { kind: "ok", leg: { source: result.outcome.source, record: result.outcome.record, price: priceOf(deps, result.model, request) } };
      }
      if (result.kind === "fatal") {
        if (result.error.errorClass === "client_aborted") return { kind: "aborted" };
        lastError = result.error;
      }
    }
    const error = lastError ?? run.failures.at(-1);
    return error ? { kind: "none", error } : { kind: "none" };
  };
}

/** The one error a client sees when every target failed. */
export function exhausted(failures: GatewayError[]): GatewayError {
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
