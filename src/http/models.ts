/**
 * GET /v1/models: configured aliases, "auto" and one "route:<name>" per route, in OpenAI's list
 * shape; each model says what it can do (e.g. `logprobs: false` for Anthropic models).
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { modelCapabilities } from "../providers/registry";
import { AUTO_MODEL, ROUTE_PREFIX } from "../routing/names";
import { loadConfig } from "./config-access";

export async function handleModels(c: Context<AppEnv>): Promise<Response> {
  const { config } = await loadConfig(c);
  const data: Array<Record<string, unknown>> = [];
  if (config) {
    data.push({ id: AUTO_MODEL, object: "model", created: 0, owned_by: "tiergate", description: "let the routes decide" });
    for (const r of config.routes) data.push({ id: ROUTE_PREFIX + r.name, object: "model", created: 0, owned_by: "tiergate", description: r.description ?? `route ${r.name}` });
    for (const [alias, m] of Object.entries(config.models)) {
      const provider = config.providers[m.provider];
      const capabilities = provider ? { ...m.capabilities, ...modelCapabilities(m, provider) } : (m.capabilities ?? {});
      data.push({ id: alias, object: "model", created: 0, owned_by: m.provider, upstream_id: m.id, tier: m.tier ?? null, price_per_million: m.price, capabilities });
    }
  }
  return c.json({ object: "list", data });
}
