/**
 * GET /admin/stats — every per-route figure (src/stats/definitions.ts) for a window, grouped by up
 * to two dimensions and split by hour or day; GET /admin/stats/definitions — what each figure means.
 * Closed periods are read from the rollups, the rest from raw rows (`sources` in the answer says
 * which ranges came from where). Tiers come from the current config's model `tier`; without a valid config every tier is `unknown`
 * (the stats still answer).
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { badRequest } from "../core/errors";
import { STATS_DEFINITIONS, STATS_DEFINITIONS_VERSION } from "../stats/definitions";
import { DEFAULT_DRIFT_THRESHOLDS, type DriftMetric, driftThresholdsFor } from "../stats/drift";
import { readRouteDrift } from "../storage/drift-read";
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

/**
 * GET /admin/stats/drift?to=…&<metric>=<threshold> — per route, the last 7 days before `to` (default
 * now) against the 7 before them; thresholds: the defaults, the config's `drift`, the route's
 * `drift`, then any given here by name. `thresholds` in the answer are the defaults with the
 * config's and the query's (per route: `thresholds` on each route).
 */
export async function handleStatsDrift(c: Context<AppEnv>): Promise<Response> {
  const base = parseStatsQuery((name) => c.req.query(name), c.get("receivedAt"));
  const to = c.req.query("to") ? base.to : c.get("receivedAt");
  const overrides: Partial<Record<DriftMetric, number>> = {};
  for (const m of Object.keys(DEFAULT_DRIFT_THRESHOLDS) as DriftMetric[]) {
    const v = c.req.query(m);
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw badRequest(`${m} must be a non-negative number, got "${v}"`, m, "invalid_parameter");
    overrides[m] = n;
  }
  const { config } = await loadConfig(c);
  const routes = await readRouteDrift(c.env.LEDGER, config, to, { filters: base.filters, overrides });
  return c.json({
    definitionsVersion: STATS_DEFINITIONS_VERSION,
    to: new Date(to).toISOString(),
    thresholds: { ...DEFAULT_DRIFT_THRESHOLDS, ...(config?.drift ?? {}), ...overrides },
    routes: routes.map((r) => ({ ...r, thresholds: { ...driftThresholdsFor(config, r.route), ...overrides } })),
  });
}
