/**
 * The door of every /v1/* endpoint, in order:
 * 1. CORS preflight: answered only for an origin some key (or the config's `access.origins`) lists;
 * 2. a request with a body must say `content-type: application/json` (no preflight-free form posts);
 * 3. authentication (client-identity.ts); `client` is set for the handlers;
 * 4. a browser request (Origin header) must come from an origin its key lists; the answer then
 *    carries that origin and exposes the gateway's headers (Retry-After, x-ratelimit-*, x-tiergate-*).
 * Refusals use the endpoint format's error shape; refused chat requests get a small ledger row.
 */
import type { Context, MiddlewareHandler } from "hono";
import { originAllowed } from "../access/policy";
import { GatewayError, type ErrorType } from "../core/errors";
import type { AppEnv } from "../env";
import { buildLedgerEntry } from "../ledger/record";
import { FEATURE_HEADER } from "../routing/request-meta";
import { lookupKey, originKnown } from "../storage/gateway-keys";
import { ledgerSink } from "../storage/ledger-queue";
import { anthropicCodec } from "./anthropic/codec";
import { EXPOSED_HEADERS } from "./answer-headers";
import { clientCredential, identifyClient } from "./client-identity";
import { loadConfig } from "./config-access";
import { errorResponse } from "./error-response";

const DEFAULT_KEY_CACHE_TTL_SECONDS = 10;
/** Headers a browser may read from an answer. */
export const CORS_EXPOSED = ["retry-after", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", ...EXPOSED_HEADERS].join(", ");
const CHAT_PATHS = new Set(["/v1/chat/completions", "/v1/messages"]);
/** Refused-before-auth ledger rows keep client-given strings to this many characters. */
const PRE_AUTH_FIELD_CHARS = 64;

export function keyCacheTtlMs(c: Context<AppEnv>): number {
  const raw = Number(c.env.KEY_CACHE_TTL_SECONDS ?? DEFAULT_KEY_CACHE_TTL_SECONDS);
  return (Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_KEY_CACHE_TTL_SECONDS) * 1000;
}

const refusal = (status: number, type: ErrorType, code: string, message: string) => new GatewayError({ status, type, code, message, errorClass: status === 401 || status === 403 ? "unauthorized" : "bad_request", retryable: false });

function hasBody(req: Request): boolean {
  if (!["POST", "PUT", "PATCH"].includes(req.method)) return false;
  const length = req.headers.get("content-length");
  return length === null ? req.body !== null : length !== "0";
}

function isJson(contentType: string | null): boolean {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

async function preflight(c: Context<AppEnv>): Promise<Response> {
  const origin = c.req.header("origin");
  const { config } = await loadConfig(c);
  const known = origin !== undefined && ((config?.access.origins.includes(origin) ?? false) || (await originKnown(c.env.CONFIG, origin, { ttlMs: keyCacheTtlMs(c), now: Date.now })));
  if (!known) return new Response(null, { status: 403, headers: { vary: "Origin" } });
  const requested = c.req.header("access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": requested ?? "authorization, content-type, x-api-key, anthropic-version, x-tiergate-feature",
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Headers",
    },
  });
}

function refuse(c: Context<AppEnv>, err: GatewayError): Response {
  const path = new URL(c.req.url).pathname;
  if (CHAT_PATHS.has(path) && c.req.method === "POST") recordRefusal(c, err);
  return path.startsWith("/v1/messages") ? anthropicCodec.errorResponse(err, {}) : errorResponse(err);
}

/** A small ledger row for a chat request refused at the door: no body read, client strings capped. */
function recordRefusal(c: Context<AppEnv>, err: GatewayError): void {
  const feature = c.req.header(FEATURE_HEADER)?.slice(0, PRE_AUTH_FIELD_CHARS);
  const now = Date.now();
  const entry = buildLedgerEntry(
    { meta: { requestId: c.get("requestId"), receivedAt: c.get("receivedAt"), promptChars: 0, promptTokens: 0, ...(feature ? { feature } : {}) }, requestedModel: null, stream: false, plan: null, config: null, configHash: null },
    [],
    { status: "error", httpStatus: err.status, error: err, finishReason: null, endedAt: now, ttfbAt: null, served: null },
  );
  c.executionCtx.waitUntil(ledgerSink(c.env.LEDGER, c.env.LEDGER_QUEUE, c.env.LEDGER_RECORDING !== "off").write(entry));
}

export function requireClient(): MiddlewareHandler<AppEnv> {
  return async function clientAuth(c, next) {
    if (c.req.method === "OPTIONS") return preflight(c);
    const origin = c.req.header("origin");
    try {
      if (hasBody(c.req.raw) && !isJson(c.req.header("content-type") ?? null)) {
        throw refusal(415, "invalid_request_error", "unsupported_media_type", `a request body must be sent as content-type: application/json (got ${JSON.stringify((c.req.header("content-type") ?? "none").slice(0, PRE_AUTH_FIELD_CHARS))})`);
      }
      const { config } = await loadConfig(c);
      const ttlMs = keyCacheTtlMs(c);
      const client = await identifyClient(clientCredential(c.req.raw.headers), config, {
        lookup: (sha) => lookupKey(c.env.CONFIG, sha, { ttlMs, now: Date.now }),
        now: Date.now,
        tokenSecret: c.env.TOKEN_SIGNING_SECRET,
      });
      if (origin !== undefined && !originAllowed(origin, client.policy, config)) {
        throw refusal(403, "permission_error", "origin_not_allowed", `this key may not be used from origin ${JSON.stringify(origin.slice(0, PRE_AUTH_FIELD_CHARS))}; list it in the key's origins`);
      }
      c.set("client", client);
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      return refuse(c, e);
    }
    await next();
    if (origin !== undefined) {
      c.res.headers.set("access-control-allow-origin", origin);
      c.res.headers.set("access-control-expose-headers", CORS_EXPOSED);
      c.res.headers.append("vary", "Origin");
    }
  };
}
