/**
 * The exact cache's key: what in a request can change the answer, the route, the config version
 * and the caller's scope, hashed. `user`, `metadata`, `store` and the streaming fields are left
 * out (they do not change the answer); everything else the client sent — messages, tools,
 * response format, sampling parameters, fields passed through to upstreams — is in it.
 */
import type { ChatRequest } from "../core/chat-request";
import { sha256Hex } from "../core/hash";
import type { CacheSpec } from "../config/schema";

/** Fields that never change the answer. */
const IGNORED = new Set(["user", "metadata", "store", "stream", "stream_options"]);

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are one request. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The request as the cache compares it. */
export function normalisedRequest(request: ChatRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request)) if (!IGNORED.has(k) && v !== null && v !== undefined) out[k] = v;
  return out;
}

export interface CallerScope {
  keyName?: string;
  team?: string;
}

/**
 * Whose answers a request may read: its team's (`team:<name>`), or its key's alone (`key:<name>`,
 * also for a key without a team). null: an anonymous caller, never cached.
 */
export function cacheScope(spec: CacheSpec, caller: CallerScope): string | null {
  if (spec.scope === "team" && caller.team) return `team:${caller.team}`;
  if (caller.keyName) return `key:${caller.keyName}`;
  return null;
}

/** Why a request is not cached, or null when it may be. */
export function uncacheableReason(spec: CacheSpec, request: ChatRequest): string | null {
  // Unset temperature is the provider's default, above 0 everywhere the gateway sends to.
  const temperature = request.temperature ?? 1;
  if (temperature > 0 && !spec.temperatureAbove0) return "temperature above 0";
  return null;
}

export async function exactCacheKey(request: ChatRequest, route: string, configVersion: string, scope: string): Promise<string> {
  const hash = await sha256Hex(canonicalJson({ v: 1, route, config: configVersion, scope, request: normalisedRequest(request) }));
  return `exact:${hash}`;
}
