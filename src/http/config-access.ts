/** The HTTP layer's view of the config store: TTL from the environment, background work via waitUntil. */
import type { Context } from "hono";
import type { AppEnv } from "../env";
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
