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
import { DEFAULT_DRIFT_THRESHOLDS, DRIFT_WINDOW_MS, type DriftMetric, routeDrift } from "../stats/drift";
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
 * now) against the 7 before them; thresholds override DEFAULT_DRIFT_THRESHOLDS by name.
 */
export async function handleStatsDrift(c: Context<AppEnv>): Promise<Response> {
  const base = parseStatsQuery((name) => c.req.query(name), c.get("receivedAt"));
  const to = c.req.query("to") ? base.to : c.get("receivedAt");
  const thresholds = { ...DEFAULT_DRIFT_THRESHOLDS };
  for (const m of Object.keys(thresholds) as DriftMetric[]) {
    const v = c.req.query(m);
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw badRequest(`${m} must be a non-negative number, got "${v}"`, m, "invalid_parameter");
    thresholds[m] = n;
  }
  const { config } = await loadConfig(c);
  const tierOf: TierOf = (model) => (model !== null && config ? (config.models[model]?.tier ?? null) : null);
  const week = async (from: number, until: number) => {
    const q = { ...base, from, to: until, group: ["route" as const], interval: null };
    const { cells } = await readStatsCells(c.env.LEDGER, q, q.filters, { useDays: true, rawOnly: false });
    return new Map(buildStatsReport(cells, q, tierOf).groups.map((g) => [g.key.route ?? "-", g.figures]));
  };
  const [previous, current] = await Promise.all([week(to - 2 * DRIFT_WINDOW_MS, to - DRIFT_WINDOW_MS), week(to - DRIFT_WINDOW_MS, to)]);
  const routes = [...new Set([...previous.keys(), ...current.keys()])].sort();
  return c.json({
    definitionsVersion: STATS_DEFINITIONS_VERSION,
    to: new Date(to).toISOString(),
    thresholds,
    routes: routes.map((r) => routeDrift(r, previous.get(r), current.get(r), thresholds)),
  });
}
