/** Which route decides: `route:<name>` by name, else the first route whose match accepts the request. */
import { GatewayError } from "../core/errors";
import { routeKind, type Config, type Route } from "../config/schema";
import { matchesRoute } from "./match";
import { AUTO_MODEL, ROUTE_PREFIX } from "./names";
import type { RequestMeta } from "./request-meta";
import { hasModel, modelNamed } from "../config/lookup";

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

export type RequestKind = "chat" | "embedding";

/**
 * `kind`: chat requests only take routes (and models) of chat models, embedding requests
 * (`/v1/embeddings`) only those of embedding models.
 */
export function selectRoute(requested: string, meta: RequestMeta, config: Config, kind: RequestKind = "chat"): RouteSelection {
  if (requested.startsWith(ROUTE_PREFIX)) {
    const name = requested.slice(ROUTE_PREFIX.length);
    const route = config.routes.find((r) => r.name === name);
    if (!route) throw modelNotFound(requested, config, `no route named "${name}"`);
    if (routeKind(route, config) !== kind) throw wrongKind(`route "${name}" sends to ${routeKind(route, config)} models`, kind);
    return { route, reason: `requested ${requested}`, trace: [{ route: name, matched: true, reason: `requested ${requested}` }] };
  }
  const trace: RouteTrace[] = [];
  for (const route of config.routes) {
    if (routeKind(route, config) !== kind) {
      trace.push({ route: route.name, matched: false, reason: `serves ${routeKind(route, config)} requests, not ${kind}` });
      continue;
    }
    const verdict = matchesRoute(route, requested, meta);
    trace.push({ route: route.name, matched: verdict.matched, reason: verdict.reason });
    if (verdict.matched) return { route, reason: verdict.reason, trace };
  }
  if (requested !== AUTO_MODEL && hasModel(config, requested)) {
    const modelKind = modelNamed(config, requested)?.kind ?? "chat";
    if (modelKind !== kind) throw wrongKind(`"${requested}" is ${modelKind === "embedding" ? "an embedding" : "a chat"} model`, kind);
    return { route: null, reason: `model "${requested}" requested by name`, trace };
  }
  if (requested === AUTO_MODEL) {
    throw new GatewayError({
      status: 400, type: "invalid_request_error", code: "no_route_matched",
      message: kind === "embedding"
        ? "no route to an embedding model matches this request; name an embedding model as `model`, or add a route whose model is one"
        : "no route matches this request; add a route with an empty `match` as the default", param: "model", errorClass: "config", retryable: false,
    });
  }
  throw modelNotFound(requested, config, `model "${requested}" is not configured`);
}

function wrongKind(detail: string, kind: RequestKind): GatewayError {
  const where = kind === "embedding" ? "POST /v1/embeddings takes embedding models (`kind: \"embedding\"`)" : "chat endpoints take chat models; embedding models answer on POST /v1/embeddings";
  return new GatewayError({ status: 400, type: "invalid_request_error", code: "model_kind_mismatch", message: `${detail}: ${where}`, param: "model", errorClass: "bad_request", retryable: false });
}

function modelNotFound(requested: string, config: Config, detail: string): GatewayError {
  const names = [AUTO_MODEL, ...Object.keys(config.models), ...config.routes.map((r) => ROUTE_PREFIX + r.name)];
  return new GatewayError({
    status: 404, type: "not_found_error", code: "model_not_found", message: `${detail}; use one of: ${names.join(", ")}`,
    param: "model", errorClass: "not_found", retryable: false,
  });
}
