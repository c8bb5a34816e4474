import type { ModelHealthObject } from "./storage/model-health-object";
import type { SpendObject } from "./storage/spend-object";
import { isProviderKeySecret, keyHostsFor, parseKeyHosts } from "./config/provider-keys";
import type { Client } from "./access/policy";

/**
 * Bindings come from `wrangler types` (worker-configuration.d.ts). Secrets and vars are declared
 * here: the admin token, and provider keys whose names the config chooses (`keySecret`).
 */
export interface Secrets {
  /** Bearer token for /admin/*; admin endpoints are disabled while it is unset. */
  ADMIN_TOKEN?: string;
  /** Read-only sign-in to /dashboard (no write endpoint accepts it). */
  DASHBOARD_TOKEN?: string;
  /** Seconds a config read from KV is reused by an isolate (default 10). */
  CONFIG_CACHE_TTL_SECONDS?: string;
  /** JSON: provider-key secret name → hosts its key may be sent to (config/provider-keys.ts). */
  PROVIDER_KEY_HOSTS?: string | Record<string, string[]>;
  /** Seconds an isolate reuses a gateway key lookup (default 10): bounds how late a revocation is seen. */
  KEY_CACHE_TTL_SECONDS?: string;
  /** Where budget alerts are POSTed (JSON), through the alert queue; unset: alerts are only recorded. */
  BUDGET_ALERT_WEBHOOK_URL?: string;
  /** HMAC secret that signs client tokens (POST /admin/tokens); unset: tokens are disabled. */
  TOKEN_SIGNING_SECRET?: string;
  /** Where drift flags are POSTed (JSON), once per flag through the drift queue; unset: flags are only recorded and shown. */
  DRIFT_WEBHOOK_URL?: string;
  /** Days raw ledger rows are kept before the cron deletes them (default 30; rollups are kept). */
  LEDGER_RETENTION_DAYS?: string;
  /**
   * "off" drops every ledger entry (nothing recorded, no stats): only for measuring what recording
   * costs (`npm run bench:scale`). Unset — the default, and the only setting for production — records.
   */
  LEDGER_RECORDING?: string;
}

/** Optional bindings: without HEALTH there is no shared breaker; without LEDGER_QUEUE ledger entries are written directly. */
export type Bindings = Omit<Env, "HEALTH" | "LEDGER_QUEUE" | "SPEND" | "ALERT_QUEUE" | "DRIFT_QUEUE" | "RESPONSE_CACHE"> & Secrets & {
  HEALTH?: DurableObjectNamespace<ModelHealthObject>;
  LEDGER_QUEUE?: Queue;
  /** Without it there are no rate limits, concurrency limits or budgets. */
  SPEND?: DurableObjectNamespace<SpendObject>;
  ALERT_QUEUE?: Queue;
  /** Drift flags on their way to DRIFT_WEBHOOK_URL (src/storage/drift-flags.ts). */
  DRIFT_QUEUE?: Queue;
  /** The response cache's entries (storage/response-cache.ts); without it routes' `cache` is ignored. */
  RESPONSE_CACHE?: KVNamespace;
};

export type AppEnv = { Bindings: Bindings; Variables: { requestId: string; receivedAt: number; client: Client } };

/** A provider key by the secret name the config gives; only string secrets named like provider keys count. */
export function readSecret(env: Bindings, name: string): string | undefined {
  if (!isProviderKeySecret(name) || !Object.hasOwn(env, name)) return undefined;
  const value: unknown = (env as unknown as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

let hostsRaw: unknown;
let hostsParsed = parseKeyHosts(undefined);

/** The hosts the key in secret `name` may be sent to (PROVIDER_KEY_HOSTS, else the official defaults). */
export function readKeyHosts(env: Bindings, name: string): readonly string[] {
  const raw = env.PROVIDER_KEY_HOSTS;
  if (raw !== hostsRaw) {
    hostsRaw = raw;
    hostsParsed = parseKeyHosts(raw);
  }
  return keyHostsFor(name, hostsParsed);
}
