/**
 * Drift per route over the stats cells: the 7 days before `to` against the 7 before them
 * (src/stats/drift.ts), each route with its thresholds (defaults ← config `drift` ← route `drift`,
 * then `overrides`). Read the way GET /admin/stats reads (rollups for closed periods).
 */
import type { Config } from "../config/schema";
import { DRIFT_WINDOW_MS, type DriftThresholds, driftThresholdsFor, type RouteDrift, routeDrift } from "../stats/drift";
import type { FilterDimension } from "../stats/query";
import { buildStatsReport } from "../stats/report";
import { readStatsCells } from "./stats-read";

export async function readRouteDrift(db: D1Database, config: Config | null, to: number, opts: { filters?: Partial<Record<FilterDimension, string[]>>; overrides?: Partial<DriftThresholds> } = {}): Promise<RouteDrift[]> {
  const filters = opts.filters ?? {};
  const week = async (from: number, until: number) => {
    const q = { from, to: until, group: ["route" as const], interval: null, filters, source: "auto" as const };
    const { cells } = await readStatsCells(db, q, filters, { useDays: true, rawOnly: false });
    return new Map(buildStatsReport(cells, q, () => null).groups.map((g) => [g.key.route ?? "-", g.figures]));
  };
  const [previous, current] = await Promise.all([week(to - 2 * DRIFT_WINDOW_MS, to - DRIFT_WINDOW_MS), week(to - DRIFT_WINDOW_MS, to)]);
  const routes = [...new Set([...previous.keys(), ...current.keys()])].sort();
  return routes.map((r) => routeDrift(r, previous.get(r), current.get(r), { ...driftThresholdsFor(config, r), ...(opts.overrides ?? {}) }));
}
