/**
 * GET /admin/stats — every per-route figure (src/stats/definitions.ts) for a window, grouped by up
 * to two dimensions and split by hour or day; GET /admin/stats/definitions — what each figure means.
 * Closed periods are read from the rollups, the rest from raw rows (`sources` in the answer says
 * which ranges came from where). Tiers come from the current config's model `tier`; without a valid config every tier is `unknown`
 * (the stats still answer).
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { STATS_DEFINITIONS, STATS_DEFINITIONS_VERSION } from "../stats/definitions";
import type { TierOf } from "../stats/figures";
import { HISTOGRAM_RELATIVE_ERROR } from "../stats/histogram";
import { parseStatsQuery } from "../stats/query";
import { buildStatsReport } from "../stats/report";
import { readStatsCells } from "../storage/stats-read";
import { loadConfig } from "./config-access";
import { modelNamed } from "../config/lookup";

export async function handleStats(c: Context<AppEnv>): Promise<Response> {
  const q = parseStatsQuery((name) => c.req.query(name), c.get("receivedAt"));
  const [{ config }, { cells, plan }] = await Promise.all([
    loadConfig(c),
    readStatsCells(c.env.LEDGER, q, q.filters, { useDays: q.interval !== "hour", rawOnly: q.source === "raw" }),
  ]);
  const tierOf: TierOf = (model) => (model !== null && config ? (modelNamed(config, model)?.tier ?? null) : null);
  const iso = (ranges: Array<{ from: number; to: number }>) => ranges.map((r) => [new Date(r.from).toISOString(), new Date(r.to).toISOString()]);
  return c.json({ ...buildStatsReport(cells, q, tierOf), sources: { day: iso(plan.day), hour: iso(plan.hour), raw: iso(plan.raw) } });
}

export function handleStatsDefinitions(c: Context<AppEnv>): Response {
  return c.json({ version: STATS_DEFINITIONS_VERSION, percentileRelativeError: HISTOGRAM_RELATIVE_ERROR, definitions: STATS_DEFINITIONS });
}
