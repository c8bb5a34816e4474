/**
 * GET /admin/stats — every per-route figure (src/stats/definitions.ts) for a window, grouped by up
 * to two dimensions and split by hour or day; GET /admin/stats/definitions — what each figure means.
 * Tiers come from the current config's model `tier`; without a valid config every tier is `unknown`
 * (the stats still answer).
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { STATS_DEFINITIONS, STATS_DEFINITIONS_VERSION } from "../stats/definitions";
import type { TierOf } from "../stats/figures";
import { HISTOGRAM_RELATIVE_ERROR } from "../stats/histogram";
import { parseStatsQuery } from "../stats/query";
import { buildStatsReport } from "../stats/report";
import { readRawCells } from "../storage/stats-cells";
import { loadConfig } from "./config-access";

export async function handleStats(c: Context<AppEnv>): Promise<Response> {
  const q = parseStatsQuery((name) => c.req.query(name), c.get("receivedAt"));
  const [{ config }, cells] = await Promise.all([loadConfig(c), readRawCells(c.env.LEDGER, q)]);
  const tierOf: TierOf = (model) => (model !== null && config ? (config.models[model]?.tier ?? null) : null);
  return c.json(buildStatsReport(cells, q, tierOf));
}

export function handleStatsDefinitions(c: Context<AppEnv>): Response {
  return c.json({ version: STATS_DEFINITIONS_VERSION, percentileRelativeError: HISTOGRAM_RELATIVE_ERROR, definitions: STATS_DEFINITIONS });
}
