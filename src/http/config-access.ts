/** The HTTP layer's view of the config store: TTL from the environment, background work via waitUntil. */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { GatewayError } from "../core/errors";
import { activeConfig, refresh, type ConfigState, type ConfigStoreOptions } from "../storage/config-store";

const DEFAULT_CONFIG_TTL_SECONDS = 10;

export function configStoreOptions(c: Context<AppEnv>): ConfigStoreOptions {
  const raw = Number(c.env.CONFIG_CACHE_TTL_SECONDS ?? DEFAULT_CONFIG_TTL_SECONDS);
  const ttlSeconds = Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_CONFIG_TTL_SECONDS;
  return { ttlMs: ttlSeconds * 1000, now: Date.now, waitUntil: (p) => c.executionCtx.waitUntil(p) };
}

export function loadConfig(c: Context<AppEnv>): Promise<ConfigState> {
  return activeConfig(c.env.CONFIG, configStoreOptions(c));
}

export function reloadConfig(c: Context<AppEnv>): Promise<ConfigState> {
  return refresh(c.env.CONFIG, configStoreOptions(c));
}

/** The error every endpoint that needs a config gives while there has never been a valid one. */
export function configUnavailable(state: ConfigState): GatewayError {
  return new GatewayError({
    status: 503, type: "config_error", code: "config_unavailable",
    message: `the gateway has no valid routing config (${state.problem?.message ?? "none loaded"}); see GET /admin/config/status`,
    errorClass: "config", retryable: true,
  });
}
