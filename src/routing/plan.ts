/**
 * The routing decision: a pure function of (request, metadata, config) returning a Plan.
 * No I/O. The plan is what `/admin/explain` shows, what execution carries out and what the
 * ledger records.
 */
import { GatewayError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import { routeSteps, type Config, type Route } from "../config/schema";
import { matchesRoute } from "./match";
import type { RequestMeta } from "./request-meta";
import { AUTO_MODEL, DIRECT_ROUTE, ROUTE_PREFIX } from "./names";

export interface PlanStep {
  model: string;
  fallbacks: string[];
}

export interface Plan {
  /** The route that decided, or "direct" when the client named a model and no route remaps it. */
  route: string;
  strategy: "rules" | "direct";
  reason: string;
  requestedModel: string;
  steps: PlanStep[];
}

export function planRequest(request: Pick<ChatRequest, "model">, meta: RequestMeta, config: Config): Plan {
  const requested = request.model;

  if (requested.startsWith(ROUTE_PREFIX)) {
    const name = requested.slice(ROUTE_PREFIX.length);
    const route = config.routes.find((r) => r.name === name);
    if (!route) throw modelNotFound(requested, config, `no route named "${name}"`);
    return fromRoute(route, requested, `requested ${requested}`);
  }

  for (const route of config.routes) {
    const verdict = matchesRoute(route, requested, meta);
    if (verdict.matched) return fromRoute(route, requested, verdict.reason);
  }

  if (requested !== AUTO_MODEL && requested in config.models) {
    return {
      route: DIRECT_ROUTE,
      strategy: "direct",
      reason: `model "${requested}" requested by name`,
      requestedModel: requested,
      steps: [{ model: requested, fallbacks: config.models[requested]?.fallbacks ?? [] }],
    };
  }
  if (requested === AUTO_MODEL) {
    throw new GatewayError({
      status: 400,
      type: "invalid_request_error",
      code: "no_route_matched",
      message: "no route matches this request; add a route with an empty `match` as the default",
      param: "model",
      errorClass: "config",
      retryable: false,
    });
  }
  throw modelNotFound(requested, config, `model "${requested}" is not configured`);
}

function fromRoute(route: Route, requested: string, reason: string): Plan {
  return {
    route: route.name,
    strategy: "rules",
    reason,
    requestedModel: requested,
    steps: routeSteps(route).map((s) => ({ model: s.model, fallbacks: [...s.fallbacks] })),
  };
}

function modelNotFound(requested: string, config: Config, detail: string): GatewayError {
  const names = [AUTO_MODEL, ...Object.keys(config.models), ...config.routes.map((r) => ROUTE_PREFIX + r.name)];
  return new GatewayError({
    status: 404,
    type: "not_found_error",
    code: "model_not_found",
    message: `${detail}; use one of: ${names.join(", ")}`,
    param: "model",
    errorClass: "not_found",
    retryable: false,
  });
}
