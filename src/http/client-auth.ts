/**
 * Authentication for every /v1/* endpoint (preflights are answered by CORS before this runs).
 * Sets `client` for the handlers; refusals use the error shape of the endpoint's format.
 */
import type { Context, MiddlewareHandler } from "hono";
import { GatewayError } from "../core/errors";
import type { AppEnv } from "../env";
import { lookupKey } from "../storage/gateway-keys";
import { anthropicCodec } from "./anthropic/codec";
import { clientCredential, identifyClient } from "./client-identity";
import { loadConfig } from "./config-access";
import { errorResponse } from "./error-response";

const DEFAULT_KEY_CACHE_TTL_SECONDS = 10;

export function keyCacheTtlMs(c: Context<AppEnv>): number {
  const raw = Number(c.env.KEY_CACHE_TTL_SECONDS ?? DEFAULT_KEY_CACHE_TTL_SECONDS);
  return (Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_KEY_CACHE_TTL_SECONDS) * 1000;
}

export function requireClient(): MiddlewareHandler<AppEnv> {
  return async function clientAuth(c, next) {
    if (c.req.method === "OPTIONS") return next();
    try {
      const { config } = await loadConfig(c);
      const ttlMs = keyCacheTtlMs(c);
      const client = await identifyClient(clientCredential(c.req.raw.headers), config, {
        lookup: (sha) => lookupKey(c.env.CONFIG, sha, { ttlMs, now: Date.now }),
        now: Date.now,
      });
      c.set("client", client);
    } catch (e) {
      if (!(e instanceof GatewayError)) throw e;
      const path = new URL(c.req.url).pathname;
      return path.startsWith("/v1/messages") ? anthropicCodec.errorResponse(e, {}) : errorResponse(e);
    }
    await next();
  };
}
