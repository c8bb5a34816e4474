/**
 * POST /admin/explain: the plan a request would get, with why each route did or did not match,
 * computed by the same code as real requests and without calling any upstream. The body is
 * either a chat request (headers taken from this request) or
 * `{"body": <chat request>, "headers": {...}, "signals": {...}}` to set client headers and
 * signals (e.g. an LLM classifier verdict) explicitly.
 */
import type { Context } from "hono";
import { badRequest } from "../core/errors";
import type { AppEnv } from "../env";
import { gatherSignals } from "../execution/signals";
import { explainSelection } from "../routing/plan";
import { selectRoute } from "../routing/select-route";
import { requestMeta } from "../routing/request-meta";
import type { Signals } from "../routing/signals";
import { clientCredential, identifyClient } from "./client-identity";
import { keyCacheTtlMs } from "./client-auth";
import { lookupKey } from "../storage/gateway-keys";
import { configUnavailable, loadConfig } from "./config-access";
import { DEFAULT_MAX_BODY_BYTES, execDeps } from "./gateway-handler";
import { openAICodec } from "./openai-codec";
import { parseJsonBody, readBodyText } from "./read-body";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export async function handleExplain(c: Context<AppEnv>): Promise<Response> {
  const state = await loadConfig(c);
  const { config, hash } = state;
  if (!config) throw configUnavailable(state);
  const doc = parseJsonBody(await readBodyText(c.req.raw, config.defaults.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));
  const wrapped = isObject(doc) && isObject(doc.body);
  const body = wrapped ? doc.body : doc;
  const headers = new Headers();
  if (wrapped && doc.headers !== undefined) {
    if (!isObject(doc.headers)) throw badRequest("headers must be an object of header names to values", "headers");
    for (const [k, v] of Object.entries(doc.headers)) headers.set(k, String(v));
  } else {
    for (const [k, v] of c.req.raw.headers) if (k.startsWith("x-tiergate-")) headers.set(k, v);
  }
  const request = openAICodec.parse(body);
  // The admin asks "what would this caller get": identify the key when the request names one.
  const credential = clientCredential(headers);
  const { keyId: _keyId, ...identity } = credential
    ? await identifyClient(credential, config, { lookup: (sha) => lookupKey(c.env.CONFIG, sha, { ttlMs: keyCacheTtlMs(c), now: Date.now }), now: Date.now })
    : {};
  const meta = requestMeta(request, headers, identity, c.get("requestId"), c.get("receivedAt"));
  const selection = selectRoute(request.model, meta, config);
  const signals: Signals = wrapped && isObject(doc.signals) ? (doc.signals as Signals) : await gatherSignals(request, selection.route, execDeps(c, config), [], "explain");
  // Exploration buckets by request id: this explain request's own unless the signals name one.
  signals.exploreKey ??= c.get("requestId");
  const { plan, trace } = explainSelection(request, selection, config, signals);
  return c.json({
    plan,
    trace,
    request: { feature: meta.feature ?? null, userTier: meta.userTier ?? null, team: meta.team ?? null, key: meta.keyName ?? null, promptChars: meta.promptChars, promptTokens: meta.promptTokens, hasTools: meta.hasTools, hasResponseFormat: meta.hasResponseFormat },
    signals,
    configHash: hash,
  });
}
