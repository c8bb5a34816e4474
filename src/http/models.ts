/**
 * GET /v1/models: configured aliases, "auto" and one "route:<name>" per route, in OpenAI's list
 * shape; each model says what it can do (e.g. `logprobs: false` for Anthropic models).
 * GET /v1/models/{id}: one of them (`client.models.retrieve`); ids may contain '/' and ':'.
 * Both show only what the caller's key or token may use (routes it may take, aliases it may name).
 */
import type { Context } from "hono";
import { GatewayError } from "../core/errors";
import type { Config } from "../config/schema";
import type { AppEnv } from "../env";
import { mayList, type AccessPolicy } from "../access/policy";
import { modelCapabilities } from "../providers/registry";
import { AUTO_MODEL, ROUTE_PREFIX } from "../routing/names";
import { configUnavailable, loadConfig } from "./config-access";
import { providerNamed } from "../config/lookup";

export type ModelObject = Record<string, unknown> & { id: string; object: "model"; created: number; owned_by: string };

/** Every id the config offers, or (with a policy) only those the caller may use. */
export function modelObjects(config: Config, policy?: AccessPolicy): ModelObject[] {
  const data: ModelObject[] = [];
  const may = (id: string, kind: "auto" | "route" | "model") => policy === undefined || mayList(id, policy, kind);
  if (may(AUTO_MODEL, "auto")) data.push({ id: AUTO_MODEL, object: "model", created: 0, owned_by: "tiergate", description: "let the routes decide" });
  for (const r of config.routes) if (may(r.name, "route")) data.push({ id: ROUTE_PREFIX + r.name, object: "model", created: 0, owned_by: "tiergate", description: r.description ?? `route ${r.name}` });
  for (const [alias, m] of Object.entries(config.models)) {
    if (!may(alias, "model")) continue;
    const provider = providerNamed(config, m.provider);
    const capabilities = provider ? { ...m.capabilities, ...modelCapabilities(m, provider) } : (m.capabilities ?? {});
    data.push({ id: alias, object: "model", created: 0, owned_by: m.provider, upstream_id: m.id, kind: m.kind ?? "chat", ...(m.dimensions !== undefined ? { dimensions: m.dimensions } : {}), tier: m.tier ?? null, price_per_million: m.price, capabilities });
  }
  return data;
}

export async function handleModels(c: Context<AppEnv>): Promise<Response> {
  const { config } = await loadConfig(c);
  return c.json({ object: "list", data: config ? modelObjects(config, c.get("client").policy) : [] });
}

export async function handleModel(c: Context<AppEnv>): Promise<Response> {
  const state = await loadConfig(c);
  if (!state.config) throw configUnavailable(state);
  // The route pattern takes the rest of the path: SDKs send `openai/gpt-4o` as-is or as `openai%2Fgpt-4o`.
  const raw = c.req.path.slice("/v1/models/".length);
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    id = raw;
  }
  const model = modelObjects(state.config, c.get("client").policy).find((m) => m.id === id);
  if (!model) {
    throw new GatewayError({
      status: 404, type: "invalid_request_error", code: "model_not_found",
      message: `The model '${id}' does not exist; GET /v1/models lists the models of this gateway`, param: "model", errorClass: "not_found", retryable: false,
    });
  }
  return c.json(model);
}
