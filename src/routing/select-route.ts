/** Which route decides: `route:<name>` by name, else the first route whose match accepts the request. */
import { GatewayError } from "../core/errors";
import type { Config, Route } from "../config/schema";
import { matchesRoute } from "./match";
import { AUTO_MODEL, ROUTE_PREFIX } from "./names";
import type { RequestMeta } from "./request-meta";

export interface RouteTrace {
  route: string;
  matched: boolean;
  reason: string;
}

export interface RouteSelection {
  /** null: no route applies and the client named a configured model (served directly). */
  route: Route | null;
  reason: string;
  trace: RouteTrace[];
}

export function selectRoute(requested: string, meta: RequestMeta, config: Config): RouteSelection {
  if (requested.startsWith(ROUTE_PREFIX)) {
    const name = requested.slice(ROUTE_PREFIX.length);
    const route = config.routes.find((r) => r.name === name);
    if (!route) throw modelNotFound(requested, config, `no route named "${name}"`);
    return { route, reason: `requested ${requested}`, trace: [{ route: name, matched: true, reason: `requested ${requested}` }] };
  }
  const trace: RouteTrace[] = [];
  for (const route of config.routes) {
    const verdict = matchesRoute(route, requested, meta);
    trace.push({ route: route.name, matched: verdict.matched, reason: verdict.reason });
    if (verdict.matched) return { route, reason: verdict.reason, trace };
  }
  if (requested !== AUTO_MODEL && requested in config.models) return { route: null, reason: `model "${requested}" requested by name`, trace };
  if (requested === AUTO_MODEL) {
    throw new GatewayError({
      status: 400, type: "invalid_request_error", code: "no_route_matched",
      message: "no route matches this request; add a route with an empty `match` as the default", param: "model", errorClass: "config", retryable: false,
    });
  }
  throw modelNotFound(requested, config, `model "${requested}" is not configured`);
}

function modelNotFound(requested: string, config: Config, detail: string): GatewayError {
  const names = [AUTO_MODEL, ...Object.keys(config.models), ...config.routes.map((r) => ROUTE_PREFIX + r.name)];
  return new GatewayError({
    status: 404, type: "not_found_error", code: "model_not_found", message: `${detail}; use one of: ${names.join(", ")}`,
    param: "model", errorClass: "not_found", retryable: false,
  });
}
