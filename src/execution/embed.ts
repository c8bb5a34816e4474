/**
 * An embeddings request through its plan: the steps' models and fallbacks in order on errors
 * (quality checks do not apply to vectors), a model retried once when it asks to be soon, each
 * call recorded as an attempt priced per input token, and reported to model health.
 */
import { embeddingText, type EmbeddingRequest, type EmbeddingResult } from "../core/embedding";
import { GatewayError, internalError } from "../core/errors";
import { estimateTokens } from "../core/tokens";
import { costUsd, ZERO_TOKENS } from "../pricing/cost";
import type { AttemptKind, AttemptRecord } from "../ledger/attempt";
import type { Plan } from "../routing/plan";
import { clientAbortedError } from "./attempt";
import { withDeadline } from "./deadline";
import { exhausted } from "./execute";
import { resolveTarget } from "./target";
import type { ExecDeps, Served } from "./types";
import { countsAgainstModel, HEAVY_PROMPT_CHARS } from "./health-signal";
import { logEvent } from "../core/log";

export type EmbedOutcome = { kind: "ok"; result: EmbeddingResult; served: Served } | { kind: "error"; error: GatewayError };

const HTTP_CLASSES = new Set(["upstream_4xx", "upstream_5xx", "rate_limited"]);

async function embedOnce(alias: string, request: EmbeddingRequest, deps: ExecDeps, record: AttemptRecord): Promise<{ result: EmbeddingResult; served: Served } | GatewayError> {
  try {
    const { target, adapter, timeoutMs } = resolveTarget(alias, deps.config, deps);
    record.provider = target.providerName;
    record.providerKind = adapter.kind;
    if (!adapter.embed) {
      return new GatewayError({ status: 400, type: "invalid_request_error", code: "embeddings_unsupported", message: `provider "${target.providerName}" (${adapter.kind}) has no embeddings API`, param: "model", errorClass: "bad_request", retryable: false });
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(clientAbortedError());
    if (deps.signal.aborted) return clientAbortedError();
    deps.signal.addEventListener("abort", onAbort, { once: true });
    const timeout = () => {
      const e = new GatewayError({ status: 504, type: "timeout_error", code: "upstream_timeout", message: `${alias} (${target.providerName}) gave no answer within ${timeoutMs} ms`, errorClass: "timeout", provider: target.providerName, retryable: true });
      controller.abort(e);
      return e;
    };
    try {
      const result = await withDeadline(adapter.embed(request, target, { signal: controller.signal, fetch: deps.fetch }), timeoutMs, timeout);
      const estimated = result.promptTokens === null;
      const input = result.promptTokens ?? estimateTokens(embeddingText(request));
      record.tokens = { ...ZERO_TOKENS, input, estimated };
      record.costUsd = costUsd(record.tokens, target.model.price);
      return { result: { ...result, promptTokens: input }, served: { model: alias, provider: target.providerName, providerKind: adapter.kind, simulated: adapter.simulated, step: record.step } };
    } finally {
      deps.signal.removeEventListener("abort", onAbort);
    }
  } catch (e) {
    if (!(e instanceof GatewayError)) logEvent("error", "embed_internal_error", { model: alias, error: String(e) });
    return e instanceof GatewayError ? e : internalError(e);
  }
}

export async function executeEmbedding(plan: Plan, request: EmbeddingRequest, deps: ExecDeps, attempts: AttemptRecord[]): Promise<EmbedOutcome> {
  const failures: GatewayError[] = [];
  const tried = new Set<string>();
  for (const [stepIndex, step] of plan.steps.entries()) {
    for (const alias of [step.model, ...step.fallbacks]) {
      if (tried.has(alias)) continue;
      tried.add(alias);
      let kind: AttemptKind = attempts.length === 0 ? "primary" : "fallback";
      for (let round = 0; round < 2; round++) {
        const startedAt = deps.now();
        const record: AttemptRecord = {
          seq: attempts.length, kind, step: stepIndex, model: alias, provider: "", providerKind: "", startedAt,
          latencyMs: 0, ttfbMs: null, httpStatus: null, ok: false, errorClass: null, errorMessage: null, tokens: ZERO_TOKENS, costUsd: 0, checks: null,
        };
        attempts.push(record);
        const out = await embedOnce(alias, request, deps, record);
        record.latencyMs = deps.now() - startedAt;
        if (!(out instanceof GatewayError)) {
          record.ok = true;
          record.httpStatus = 200;
          record.ttfbMs = record.latencyMs;
          deps.health?.report(alias, true);
          return { kind: "ok", ...out };
        }
        record.errorClass = out.errorClass;
        record.errorMessage = out.message;
        record.httpStatus = HTTP_CLASSES.has(out.errorClass) ? out.status : null;
        failures.push(out);
        if (!out.retryable) return { kind: "error", error: out };
        if (countsAgainstModel(out, () => JSON.stringify(request.input).length > HEAVY_PROMPT_CHARS)) deps.health?.report(alias, false);
        const wait = out.retryAfterMs;
        if (round === 0 && wait !== undefined && wait <= deps.config.defaults.maxRetryAfterMs) {
          await new Promise((r) => setTimeout(r, wait));
          kind = "retry";
          continue;
        }
        break;
      }
    }
  }
  return { kind: "error", error: exhausted(failures) };
}
