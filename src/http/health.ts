/** GET /healthz: liveness plus the config's state; 503 only when there is no valid config at all. */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { loadConfig } from "./config-access";

export async function handleHealth(c: Context<AppEnv>): Promise<Response> {
  const state = await loadConfig(c);
  const status = state.config === null ? "no_config" : state.problem ? "degraded" : "ok";
  return c.json({ status, config: { source: state.source, hash: state.hash, problem: state.problem?.code ?? null } }, state.config ? 200 : 503);
}
