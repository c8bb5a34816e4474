/**
 * The request pipeline shared by every inbound format: read the body (size-limited), translate
 * it (codec), identify the client, plan, execute, answer in the client's format, and write one
 * ledger entry whatever happened — rejected bodies and failed upstreams included.
 */
import type { Context } from "hono";
import { checkBillable } from "../access/billable";
import { applyCeilings, checkSelection } from "../access/policy";
import { GatewayError, internalError } from "../core/errors";
import { readKeyHosts, readSecret, type AppEnv } from "../env";
import { CallLimits } from "../execution/call-limits";
import { executePlan } from "../execution/execute";
import { gatherSignals } from "../execution/signals";
import type { ExecDeps } from "../execution/types";
import type { AttemptRecord } from "../ledger/attempt";
import { buildLedgerEntry, requestCostUsd, type Ending, type RecordContext } from "../ledger/record";
import { planSelection, type Plan } from "../routing/plan";
import type { ChatRequest } from "../core/chat-request";
import { admit, rateHeaders, scopesFor, worstCase, type Admission } from "./spend";
import { selectRoute } from "../routing/select-route";
import { FEATURE_HEADER, requestMeta } from "../routing/request-meta";
import { ledgerSink } from "../storage/ledger-queue";
import type { Config } from "../config/schema";
import { modelHealth } from "../storage/model-health";
import { answerHeaders } from "./answer-headers";
import { configUnavailable, loadConfig } from "./config-access";
import type { InboundCodec } from "./inbound-codec";
/** Whatever the upstream's quirks, every client format reads one well-formed chunk sequence. */
import { normalisedStream } from "./client-stream";
import { parseJsonBody, readBodyText } from "./read-body";
import { logEvent } from "../core/log";
import { reviewCapture } from "./review-capture";
import type { StreamEnd } from "../execution/types";
import type { Quality } from "../ledger/attempt";
import type { RouteSelection } from "../routing/select-route";
import { hitSource, openCache, type CacheSession } from "./response-cache";

/** Used only while no valid config exists (the config's `defaults.maxBodyBytes` applies otherwise). */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** What execution needs from this request's environment. */
export function execDeps(c: Context<AppEnv>, config: Config): ExecDeps {
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  const deps: ExecDeps = {
    config,
    secret: (name) => readSecret(c.env, name),
    keyHosts: (name) => readKeyHosts(c.env, name),
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    signal: c.req.raw.signal,
  };
  deps.limits = new CallLimits(config.limits);
  if (c.env.HEALTH) deps.health = modelHealth(c.env.HEALTH, config.defaults.breaker, waitUntil);
  return deps;
}

/**
 * Admits the planned request in its scopes (spend.ts), once its billable fields are allowed. A budget that says `downgradeTo` sends an
 * exhausted request to that model instead (the plan's reason says so) and only counts it there.
 */
async function admitRequest(c: Context<AppEnv>, request: ChatRequest, rec: RecordContext, config: Config, setHeaders: (h: Record<string, string>) => void): Promise<Admission> {
  const client = c.get("client");
  let plan = rec.plan as Plan;
  // service_tier, web search, audio output: only to models whose entry allows them (400 naming the field).
  checkBillable(request, plan, config);
  let outcome = await admit(c, scopesFor(client, config, plan), rec.meta.requestId, worstCase(request, rec.meta.promptTokens, plan, config));
  if (!outcome.ok && outcome.error.code === "budget_exceeded" && outcome.scope.downgradeTo) {
    const to = outcome.scope.downgradeTo;
    const direct = planSelection({ ...request, model: to }, { route: null, reason: `model "${to}"`, trace: [] }, config);
    plan = { ...direct, route: plan.route, reason: `downgraded to ${to}: ${outcome.error.message}` };
    checkBillable(request, plan, config);
    rec.plan = plan;
    outcome = await admit(c, scopesFor(client, config, plan, new Set([outcome.scope.name])), rec.meta.requestId, worstCase(request, rec.meta.promptTokens, plan, config));
  }
  setHeaders(rateHeaders(outcome.ok ? outcome.admission.rate : outcome.rate));
  if (!outcome.ok) throw outcome.error;
  return outcome.admission;
}

/** How a stream's ending is recorded: a cut one is partial, the rest as execution says. */
function streamEnding(end: StreamEnd, ttfbAt: number | null, served: Ending["served"], verdict: { quality: Quality; escalations: number }): Ending {
  return {
    status: end.status === "error" ? "partial" : end.status,
    ...(end.seams && end.seams.length > 0 ? { seams: end.seams } : {}),
    ...(end.chain ? { chain: end.chain } : {}),
    httpStatus: 200,
    ...(end.error ? { error: end.error } : {}),
    finishReason: end.finishReason,
    endedAt: end.endedAt,
    ttfbAt,
    served,
    ...verdict,
  };
}

/** A cache hit, answered without an upstream call (and without counting against rate limits or budgets: it costs nothing). */
function serveHit(codec: InboundCodec, cache: CacheSession, request: ChatRequest, rec: RecordContext, selection: RouteSelection, config: Config, record: (e: Ending) => void): Response {
  const entry = cache.entry as NonNullable<CacheSession["entry"]>;
  const plan = planSelection(request, selection, config);
  rec.plan = { ...plan, reason: `cache hit (exact, request ${entry.sourceRequestId}); ${plan.reason}` };
  const now = Date.now();
  record({ status: "ok", httpStatus: 200, finishReason: entry.completion.choices[0]?.finish_reason ?? null, endedAt: now, ttfbAt: now, served: entry.served, quality: "unchecked", escalations: 0 });
  const served = { ...entry.served, step: 0 };
  const headers = { ...answerHeaders(rec.plan, [], served, 0), ...cache.headers() };
  return request.stream === true ? codec.streamResponse(hitSource(entry), request, headers) : codec.completionResponse(entry.completion, request, headers);
}

export function gatewayHandler(codec: InboundCodec) {
  return async function handleGatewayRequest(c: Context<AppEnv>): Promise<Response> {
    const requestId = c.get("requestId");
    const receivedAt = c.get("receivedAt");
    const state = await loadConfig(c);
    const config = state.config;
    const feature = c.req.header(FEATURE_HEADER);
    const rec: RecordContext = {
      meta: { requestId, receivedAt, promptChars: 0, promptTokens: 0, ...(feature ? { feature } : {}) },
      requestedModel: null, stream: false, plan: null, config, configHash: state.hash,
    };
    const attempts: AttemptRecord[] = [];
    const sink = ledgerSink(c.env.LEDGER, c.env.LEDGER_QUEUE, c.env.LEDGER_RECORDING !== "off");
    // Registered before anything is awaited: a client that leaves early cancels the request's
    // own work, and only what waitUntil holds is sure to run — the ledger write must be in it.
    // Set once the request is admitted (rate limits, budgets): it settles to its real cost when it ends.
    let admission: Admission | null = null;
    let limitHeaders: Record<string, string> = {};
    let settle!: (end: Ending | Promise<Ending>) => void;
    const ending = new Promise<Ending>((resolve) => (settle = resolve));
    const close = async (e: Ending) => (await sink.write(buildLedgerEntry(rec, attempts, e)), await admission?.settle(requestCostUsd(attempts)));
    c.executionCtx.waitUntil(ending.then(close));
    const record = (end: Ending | Promise<Ending>) => settle(end);
    const fail = (err: GatewayError): Response => {
      const status = err.errorClass === "client_aborted" ? "aborted" : "error";
      record({ status, httpStatus: err.status, error: err, finishReason: null, endedAt: Date.now(), ttfbAt: null, served: null });
      return codec.errorResponse(err, { ...answerHeaders(rec.plan, attempts), ...limitHeaders });
    };

    try {
      const text = await readBodyText(c.req.raw, config?.defaults.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      const parsed = codec.parse(parseJsonBody(text));
      rec.requestedModel = parsed.model;
      rec.stream = parsed.stream === true;
      if (!config) throw configUnavailable(state);
      const { keyId: _keyId, policy, ...identity } = c.get("client");
      rec.meta = requestMeta(parsed, c.req.raw.headers, identity, requestId, receivedAt);
      // Ceilings on n and max_tokens (400 naming the limit); a key's max_tokens fills in an absent one.
      const request = applyCeilings(parsed, policy, config);
      const deps = execDeps(c, config);
      const selection = selectRoute(request.model, rec.meta, config);
      checkSelection(selection.route?.name ?? null, request.model, policy);
      const cache = await openCache(c, request, selection.route, rec);
      if (cache?.entry) return serveHit(codec, cache, request, rec, selection, config, record);
      const signals = await gatherSignals(request, selection.route, deps, attempts, "run");
      rec.plan = planSelection(request, selection, config, { ...signals, exploreKey: requestId });
      admission = await admitRequest(c, request, rec, config, (headers) => (limitHeaders = headers));

      const review = reviewCapture(c, selection.route, rec, request, ending), exec = await executePlan(rec.plan, request, deps, attempts, { onStreamFailure: selection.route?.onStreamFailure ?? "continue" });
      if (exec.kind === "error") return fail(exec.error);
      const verdict = { quality: exec.quality, escalations: exec.escalations };

      const served = exec.served;
      const servedAttempt = attempts[attempts.length - 1];
      const ttfbAt = servedAttempt && servedAttempt.ttfbMs !== null ? servedAttempt.startedAt + servedAttempt.ttfbMs : null;
      if (exec.kind === "completion") {
        const endedAt = Date.now();
        record({ status: "ok", httpStatus: 200, finishReason: exec.completion.choices[0]?.finish_reason ?? null, endedAt, ttfbAt: endedAt, served, ...verdict }), review?.completion(exec.completion);
        cache?.storeCompletion(exec.completion, served, attempts, exec.quality);
        return codec.completionResponse(exec.completion, request, { ...answerHeaders(rec.plan, attempts, served, requestCostUsd(attempts), verdict), ...limitHeaders, ...cache?.headers() });
      }

      record(exec.finished.then((end) => streamEnding(end, ttfbAt, served, verdict)));
      // The cache keeps the upstream's chunks (all of them are read before `finished` settles); the client reads them normalised.
      const normalised = normalisedStream(cache ? cache.watchStream(exec.source, exec.finished, served, attempts, exec.quality) : exec.source);
      const source = review ? review.stream(normalised) : normalised;
      return codec.streamResponse(source, request, { ...answerHeaders(rec.plan, attempts, served, undefined, verdict), ...limitHeaders, ...cache?.headers() });
    } catch (e) {
      if (!(e instanceof GatewayError)) logEvent("error", "gateway_internal_error", { requestId, error: String(e), stack: e instanceof Error ? e.stack : undefined });
      return fail(e instanceof GatewayError ? e : internalError(e));
    }
  };
}
