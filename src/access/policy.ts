/**
 * What a caller may do: routes and models it may reach, ceilings on `max_tokens` and `n`, browser
 * origins. KV gateway keys carry their own; config keys and anonymous callers get the open policy
 * (as before keys had settings), bounded like every request by the config's `limits`.
 */
import { GatewayError } from "../core/errors";
import { requestedMaxTokens, type ChatRequest } from "../core/chat-request";
import type { Config } from "../config/schema";
import type { BudgetRuleSchema } from "../config/schema";
import type { z } from "zod";

export type BudgetConfig = z.infer<typeof BudgetRuleSchema>;
import type { ClientIdentity } from "../routing/request-meta";
import type { GatewayKeyRecord } from "./gateway-key";

export interface AccessPolicy {
  /** null: every route. */
  routes: string[] | null;
  /** Aliases that may be requested by name; "*" in the list: all. */
  models: string[];
  maxTokens: number | null;
  maxN: number | null;
  /** null: the config's `access.origins`. */
  origins: string[] | null;
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
  budget: BudgetConfig | null;
}

/** The caller, as the handlers see it. */
export interface Client extends ClientIdentity {
  /** Gateway key id (KV keys); absent for config keys and anonymous callers. */
  keyId?: string;
  policy: AccessPolicy;
  /** Set when the caller holds a client token minted for that key. */
  token?: { jti: string; capUsd: number; exp: number };
}

export const OPEN_POLICY: AccessPolicy = { routes: null, models: ["*"], maxTokens: null, maxN: null, origins: null, rpm: null, tpm: null, concurrency: null, budget: null };

export function keyPolicy(r: GatewayKeyRecord): AccessPolicy {
  return {
    routes: r.routes ?? null, models: r.models ?? [], maxTokens: r.maxTokens ?? null, maxN: r.maxN ?? null, origins: r.origins ?? [],
    rpm: r.rpm ?? null, tpm: r.tpm ?? null, concurrency: r.concurrency ?? null, budget: r.budget ?? null,
  };
}

function tooLarge(param: "n" | "max_tokens", message: string): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", code: `${param}_above_limit`, message, param, errorClass: "bad_request", retryable: false });
}

/**
 * Refuses `n` / `max_tokens` above the key's ceiling or the config's; a request without
 * `max_tokens` gets the key's ceiling (so its worst case is known). Returns the request to send.
 */
export function applyCeilings(request: ChatRequest, policy: AccessPolicy, config: Config): ChatRequest {
  const n = request.n ?? 1;
  if (policy.maxN !== null && n > policy.maxN) throw tooLarge("n", `n = ${n} is above this key's limit maxN = ${policy.maxN}`);
  if (n > config.limits.maxN) throw tooLarge("n", `n = ${n} is above the gateway's limit limits.maxN = ${config.limits.maxN}`);
  const asked = requestedMaxTokens(request);
  if (policy.maxTokens !== null) {
    if (asked !== undefined && asked > policy.maxTokens) throw tooLarge("max_tokens", `max_tokens = ${asked} is above this key's limit maxTokens = ${policy.maxTokens}`);
    if (asked === undefined) return { ...request, max_tokens: policy.maxTokens };
  }
  return request;
}

function forbidden(code: string, message: string): GatewayError {
  return new GatewayError({ status: 403, type: "permission_error", code, message, param: "model", errorClass: "unauthorized", retryable: false });
}

/** 403 unless the key may use the selected route, or (no route) request this model by name. */
export function checkSelection(routeName: string | null, requested: string, policy: AccessPolicy): void {
  if (routeName !== null) {
    if (policy.routes !== null && !policy.routes.includes(routeName)) {
      throw forbidden("route_not_allowed", `this key may not use route "${routeName}"; its routes: ${policy.routes.join(", ") || "(none)"}`);
    }
    return;
  }
  if (!policy.models.includes("*") && !policy.models.includes(requested)) {
    throw forbidden("model_not_allowed", `this key may not request model "${requested}" by name; use "auto" or a route, or ask for it to be added to the key's models (${policy.models.join(", ") || "none"})`);
  }
}

/**
 * Whether GET /v1/models shows this id to the caller: "auto" while some route is allowed,
 * `route:<name>` for the routes it may use, aliases it may request by name.
 */
export function mayList(id: string, policy: AccessPolicy, kind: "auto" | "route" | "model"): boolean {
  if (kind === "auto") return policy.routes === null || policy.routes.length > 0;
  if (kind === "route") return policy.routes === null || policy.routes.includes(id);
  return policy.models.includes("*") || policy.models.includes(id);
}

/** Browser use: the Origin must be listed (the key's, else the config's `access.origins`). */
export function originAllowed(origin: string, policy: AccessPolicy, config: Config | null): boolean {
  const list = policy.origins ?? config?.access.origins ?? [];
  return list.includes(origin);
}
