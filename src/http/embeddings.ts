/**
 * POST /v1/embeddings (OpenAI's shape; `client.embeddings.create`): routed like chat — `auto`,
 * `route:<name>`, a named model, rules and splits — over embedding models only, priced per input
 * token, one ledger row of kind `embedding`. Floats or, as the openai SDK asks by default, base64.
 */
import type { Context } from "hono";
import type { ChatRequest } from "../core/chat-request";
import { EmbeddingRequestSchema, embeddingText, vectorToBase64, type EmbeddingRequest } from "../core/embedding";
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
  const sink = ledgerSink(c.env.LEDGER, c.env.LEDGER_QUEUE);
  // Registered before anything is awaited, as for chat: only what waitUntil holds is sure to run.
  let record!: (end: Ending) => void;
  const ending = new Promise<Ending>((resolve) => (record = resolve));
  c.executionCtx.waitUntil(ending.then((e) => sink.write(buildLedgerEntry(rec, attempts, e))));
  const fail = (err: GatewayError): Response => {
    record({ status: err.errorClass === "client_aborted" ? "aborted" : "error", httpStatus: err.status, error: err, finishReason: null, endedAt: Date.now(), ttfbAt: null, served: null });
    return errorResponse(err, answerHeaders(rec.plan, attempts));
  };
  try {
    const text = await readBodyText(c.req.raw, config?.defaults.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const parsed = EmbeddingRequestSchema.safeParse(parseJsonBody(text));
    if (!parsed.success) throw invalidBody(parsed.error);
    const request = parsed.data;
    rec.requestedModel = request.model;
    if (!config) throw configUnavailable(state);
    const headers = c.req.raw.headers;
    const { keyId: _keyId, ...identity } = c.get("client");
    const view = routingView(request);
    rec.meta = requestMeta(view, headers, identity, requestId, receivedAt);
    rec.plan = planSelection(view, selectRoute(request.model, rec.meta, config, "embedding"), config);

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
    return c.json(body, 200, answerHeaders(rec.plan, attempts, served, requestCostUsd(attempts)));
  } catch (e) {
    if (!(e instanceof GatewayError)) logEvent("error", "embeddings_internal_error", { requestId, error: String(e) });
    return fail(e instanceof GatewayError ? e : internalError(e));
  }
}
