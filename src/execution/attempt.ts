/** One upstream call: resolve the target, enforce the deadline, classify the failure, record it. */
import { GatewayError, internalError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletion, ChatCompletionChunk } from "../core/chat-response";
import { costUsd, ZERO_TOKENS, type BilledPrice } from "../pricing/cost";
import { billedPrice } from "../pricing/billed-price";
import { protocolError } from "../providers/http-adapter";
import { modelCapabilities } from "../providers/registry";
import { withDeadline } from "./deadline";
import type { ChunkSource } from "../core/chunk-source";
import { guardStream } from "./guarded-stream";
import { resolveTarget } from "./target";
import type { AttemptKind, AttemptRecord } from "../ledger/attempt";
import type { ExecDeps } from "./types";
import { completionOutputChars, countsFor, estimatedCounts } from "./usage";
import type { Price } from "../config/schema";
import { logEvent } from "../core/log";

export type AttemptOutcome =
  | { ok: true; kind: "completion"; completion: ChatCompletion; record: AttemptRecord; logprobs: boolean; simulated: boolean }
  | { ok: true; kind: "stream"; source: ChunkSource; record: AttemptRecord; logprobs: boolean; simulated: boolean }
  | { ok: false; error: GatewayError; record: AttemptRecord };

export interface AttemptInfo {
  seq: number;
  kind: AttemptKind;
  step: number;
  stream: boolean;
  /** Overrides the model's timeout (the LLM classifier has its own). */
  timeoutMs?: number;
}

export function clientAbortedError(): GatewayError {
  return new GatewayError({ status: 499, type: "api_error", code: "client_aborted", message: "the client closed the connection", errorClass: "client_aborted", retryable: false });
}

/**
 * The client left while this call was in flight: the upstream has the prompt and may bill it.
 * Nothing reported usage, so the record carries an estimate (marked as one).
 */
function costAbandoned(record: AttemptRecord, request: ChatRequest, price: BilledPrice): void {
  record.tokens = estimatedCounts(request, 0);
  record.costUsd = costUsd(record.tokens, price);
}

/** A block of this call's answer left out of the client's (text beside a forced JSON tool). */
function countDropped(record: AttemptRecord): void {
  record.droppedBlocks = (record.droppedBlocks ?? 0) + 1;
}

/** Upstream statuses worth recording as such; others (timeouts, refused connections) had no response. */
const HTTP_CLASSES = new Set(["upstream_4xx", "upstream_5xx", "rate_limited"]);

export async function runAttempt(alias: string, request: ChatRequest, deps: ExecDeps, info: AttemptInfo): Promise<AttemptOutcome> {
  const startedAt = deps.now();
  const record: AttemptRecord = {
    seq: info.seq, kind: info.kind, step: info.step, model: alias, provider: "", providerKind: "", startedAt,
    latencyMs: 0, ttfbMs: null, httpStatus: null, ok: false, errorClass: null, errorMessage: null, tokens: ZERO_TOKENS, costUsd: 0, checks: null,
  };
  /** Known once the target resolves; an abort is costed at it. */
  let price: BilledPrice | undefined;
  const fail = (e: unknown): AttemptOutcome => {
    const error = e instanceof GatewayError ? e : internalError(e);
    if (!(e instanceof GatewayError)) logEvent("error", "attempt_internal_error", { model: alias, error: String(e) });
    record.latencyMs = deps.now() - startedAt;
    record.errorClass = error.errorClass;
    record.errorMessage = error.message;
    record.httpStatus = HTTP_CLASSES.has(error.errorClass) ? error.status : null;
    if (error.errorClass === "client_aborted" && record.provider !== "" && price) costAbandoned(record, request, price);
    return { ok: false, error, record };
  };

  // Every upstream call of a request passes here: cascades, fallbacks and samples cannot multiply it past the config's limits.
  const overLimit = deps.limits?.take(request);
  if (overLimit) return fail(overLimit);
  let resolved;
  try {
    resolved = resolveTarget(alias, deps.config, deps);
  } catch (e) {
    return fail(e);
  }
  const { target, adapter } = resolved;
  price = billedPrice(request, target.model);
  const timeoutMs = info.timeoutMs ?? resolved.timeoutMs;
  const logprobs = modelCapabilities(target.model, target.provider).logprobs;
  const controller = new AbortController();
  const abort = (reason: GatewayError) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  if (deps.signal.aborted) return fail(clientAbortedError());
  record.provider = target.providerName;
  record.providerKind = adapter.kind;
  deps.signal.addEventListener("abort", () => abort(clientAbortedError()), { once: true });
  const timeoutError = () =>
    new GatewayError({
      status: 504, type: "timeout_error", code: "upstream_timeout", message: `${alias} (${target.providerName}) gave no answer within ${timeoutMs} ms`,
      errorClass: "timeout", provider: target.providerName, retryable: true,
    });
  const expire = () => {
    const e = timeoutError();
    abort(e);
    return e;
  };

  try {
    const result = await withDeadline(adapter.call(request, target, { stream: info.stream, signal: controller.signal, fetch: deps.fetch, onDroppedBlock: () => countDropped(record) }), timeoutMs, expire);
    if (!info.stream) {
      if (result.kind !== "completion") throw protocolError(target, "expected a completion, got a stream");
      record.ok = true;
      record.httpStatus = 200;
      record.latencyMs = deps.now() - startedAt;
      record.ttfbMs = record.latencyMs;
      record.tokens = countsFor(request, result.completion.usage, completionOutputChars(result.completion));
      record.costUsd = costUsd(record.tokens, price);
      return { ok: true, kind: "completion", completion: result.completion, record, logprobs, simulated: adapter.simulated };
    }
    if (result.kind !== "stream") throw protocolError(target, "expected a stream, got a completion");
    const guarded = await guardStream(result.chunks, {
      timeoutMs, startedAt, now: deps.now, abort,
      timeoutError,
      emptyError: () => protocolError(target, "the stream ended before any content"),
      classify: (err) => result.classifyError?.(err) ?? (err instanceof GatewayError ? err : protocolError(target, String(err))),
    });
    record.ok = true;
    record.httpStatus = 200;
    record.ttfbMs = guarded.firstContentAt - startedAt;
    return { ok: true, kind: "stream", source: guarded.source, record, logprobs, simulated: adapter.simulated };
  } catch (e) {
    // An abort surfaces as whatever the runtime throws; the reason we gave is the truth.
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    return fail(reason instanceof GatewayError ? reason : e);
  }
}
