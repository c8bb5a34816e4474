/**
 * GET /admin/stats/traffic?from=…&to=…&budget=… — the traffic-mix report over a period of the ledger:
 * share of answered requests by feature and by prompt length, and how much of it a budget model
 * took or could take (definition in src/simulate/traffic-mix.ts, repeated in the answer).
 * `from` / `to`: ISO 8601 dates or ms since epoch; `to` is exclusive; default the last 30 days.
 */
import type { Context } from "hono";
import { badRequest } from "../core/errors";
import type { AppEnv } from "../env";
import { parseTimeBound, PROMPT_LENGTH_BOUNDS, trafficMixReport } from "../simulate/traffic-mix";
import { readTrafficGroups } from "../storage/stats-store";
import { configUnavailable, loadConfig } from "./config-access";
import { hasModel } from "../config/lookup";

const DAY_MS = 24 * 60 * 60 * 1000;

function parseTime(value: string | undefined, param: string): number | undefined {
  const ms = parseTimeBound(value);
  if (ms === null) return undefined;
  if (!Number.isFinite(ms)) throw badRequest(`${param} must be an ISO 8601 date (2026-04-01, 2026-04-01T12:00:00Z) or ms since epoch, got "${value}"`, param, "invalid_parameter");
  return ms;
}

export async function handleTrafficStats(c: Context<AppEnv>): Promise<Response> {
  const state = await loadConfig(c);
  const { config } = state;
  if (!config) throw configUnavailable(state);
  const to = parseTime(c.req.query("to"), "to") ?? c.get("receivedAt");
  const from = parseTime(c.req.query("from"), "from") ?? to - 30 * DAY_MS;
  if (from >= to) throw badRequest(`from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`, "from", "invalid_parameter");
  const budget = c.req.query("budget");
  if (budget !== undefined && !hasModel(config, budget)) {
    throw badRequest(`budget: unknown model "${budget}"; models are: ${Object.keys(config.models).join(", ")}`, "budget", "invalid_parameter");
  }
  const { groups, excluded } = await readTrafficGroups(c.env.LEDGER, { from, to, bucketBounds: PROMPT_LENGTH_BOUNDS });
  return c.json(trafficMixReport(groups, excluded, config, { from, to, ...(budget ? { budgetModel: budget } : {}) }));
}
