/**
 * POST /v1/embeddings (OpenAI's shape; `client.embeddings.create`): routed like chat — `auto`,
 * `route:<name>`, a named model, rules and splits — over embedding models only, priced per input
 * token, one ledger row of kind `embedding`. Floats or, as the openai SDK asks by default, base64.
 * The same door as chat: the key's routes and models (403), its rate limits and budgets (429),
 * reserving the input's worst-case cost before the call and settling to the real cost after it.
 */
import type { Context } from "hono";
import { checkSelection } from "../access/policy";
import type { ChatRequest } from "../core/chat-request";
import { EmbeddingRequestSchema, embeddingInputs, embeddingText, vectorToBase64, type EmbeddingRequest } from "../core/embedding";
import { GatewayError, internalError } from "../core/errors";
import type { AppEnv } from "../env";
import { executeEmbedding } from "../execution/embed";
import type { AttemptRecord } from "../ledger/attempt";
import { buildLedgerEntry, requestCostUsd, type Ending, type RecordContext } from "../ledger/record";
import { planSelection } from "../routing/plan";
import { FEATURE_HEADER, requestMeta } from "../routing/request-meta";
import { selectRoute } from "../routing/select-route";
import { ledgerSink } from "../storage/ledger-queue";
import { answerHeaders } from "./answer-headers";
import { configUnavailable, loadConfig } from "./config-access";
import { errorResponse } from "./error-response";
import { admitOrRefuse, embeddingWorstCase, scopesFor, type Admission } from "./spend";
import { DEFAULT_MAX_BODY_BYTES, execDeps } from "./gateway-handler";
import { invalidBody } from "./openai-codec";
import { parseJsonBody, readBodyText } from "./read-body";
import { logEvent } from "../core/log";

/** What routing reads of an embeddings request: its text as one user message, its user and metadata. */
function routingView(req: EmbeddingRequest): ChatRequest {
  return { model: req.model, messages: [{ role: "user", content: embeddingText(req) }], ...(req.user ? { user: req.user } : {}), ...(req.metadata ? { metadata: req.metadata } : {}) } as ChatRequest;
}

export async function handleEmbeddings(c: Context<AppEnv>): Promise<Response> {
  const requestId = c.get("requestId");
  const receivedAt = c.get("receivedAt");
  const state = await loadConfig(c);
  const config = state.config;
  const feature = c.req.header(FEATURE_HEADER);
  const rec: RecordContext = {
    meta: { requestId, receivedAt, promptChars: 0, promptTokens: 0, ...(feature ? { feature } : {}) },
    requestedModel: null, stream: false, plan: null, config, configHash: state.hash, kind: "embedding",
  };
  const attempts: AttemptRecord[] = [];
  const sink = ledgerSink(c.env.LEDGER, c.env.LEDGER_QUEUE, c.env.LEDGER_RECORDING !== "off");
  // Registered before anything is awaited, as for chat: only what waitUntil holds is sure to run.
  let record!: (end: Ending) => void;
  let admission: Admission | null = null;
  let limitHeaders: Record<string, string> = {};
  const ending = new Promise<Ending>((resolve) => (record = resolve));
  c.executionCtx.waitUntil(ending.then(async (e) => (await sink.write(buildLedgerEntry(rec, attempts, e)), await admission?.settle(requestCostUsd(attempts)))));
  const fail = (err: GatewayError): Response => {
    record({ status: err.errorClass === "client_aborted" ? "aborted" : "error", httpStatus: err.status, error: err, finishReason: null, endedAt: Date.now(), ttfbAt: null, served: null });
    return errorResponse(err, { ...answerHeaders(rec.plan, attempts), ...limitHeaders });
  };
  try {
    const text = await readBodyText(c.req.raw, config?.defaults.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const parsed = EmbeddingRequestSchema.safeParse(parseJsonBody(text));
    if (!parsed.success) throw invalidBody(parsed.error);
    const request = parsed.data;
    rec.requestedModel = request.model;
    if (!config) throw configUnavailable(state);
    const headers = c.req.raw.headers;
    const client = c.get("client");
    const { keyId: _keyId, policy, ...identity } = client;
    const view = routingView(request);
    rec.meta = requestMeta(view, headers, identity, requestId, receivedAt);
    const selection = selectRoute(request.model, rec.meta, config, "embedding");
    checkSelection(selection.route?.name ?? null, request.model, policy);
    rec.plan = planSelection(view, selection, config);
    // Token-id inputs count as given; strings by the prompt estimate.
    const given = embeddingInputs(request);
    const idTokens = given.reduce((sum, i) => sum + (typeof i === "string" ? 0 : i.length), 0);
    const worst = embeddingWorstCase(rec.meta.promptTokens + idTokens, given.length, rec.plan, config);
    admission = await admitOrRefuse(c, scopesFor(client, config, rec.plan), requestId, worst, (h) => (limitHeaders = h));

    const out = await executeEmbedding(rec.plan, request, execDeps(c, config), attempts);
    if (out.kind === "error") return fail(out.error);
    const { result, served } = out;
    const endedAt = Date.now();
    record({ status: "ok", httpStatus: 200, finishReason: null, endedAt, ttfbAt: endedAt, served });
    const base64 = request.encoding_format === "base64";
    const tokens = result.promptTokens ?? 0;
    const body = {
      object: "list",
      data: result.vectors.map((v, index) => ({ object: "embedding", index, embedding: base64 ? vectorToBase64(v) : v })),
      model: served.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
    return c.json(body, 200, { ...answerHeaders(rec.plan, attempts, served, requestCostUsd(attempts)), ...limitHeaders });
  } catch (e) {
    if (!(e instanceof GatewayError)) logEvent("error", "embeddings_internal_error", { requestId, error: String(e) });
    return fail(e instanceof GatewayError ? e : internalError(e));
  }
}
