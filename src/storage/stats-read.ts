/**
 * The cells of a stats window from wherever they are cheapest (src/stats/sources.ts): daily and
 * hourly rollups for closed periods, raw rows for the open tail and unaligned bounds — or raw rows
 * only (`source: "raw"`, what the benchmark compares against).
 */
import type { StatsCell } from "../stats/cell";
import type { FilterDimension } from "../stats/query";
import { planSources, type SourcePlan, type TimeRange } from "../stats/sources";
import { readRawCells } from "./stats-cells";
import { readRollupCells, readWatermarks } from "./stats-rollups";

export interface CellsRead {
  cells: StatsCell[];
  plan: SourcePlan;
}

export async function readStatsCells(db: D1Database, window: TimeRange, filters: Partial<Record<FilterDimension, string[]>>, opts: { useDays: boolean; rawOnly: boolean }): Promise<CellsRead> {
  const plan: SourcePlan = opts.rawOnly ? { day: [], hour: [], raw: [window] } : planSources(window, await readWatermarks(db), opts.useDays);
  const parts = await Promise.all([
    readRollupCells(db, "day", plan.day, filters),
    readRollupCells(db, "hour", plan.hour, filters),
    ...plan.raw.map((r) => readRawCells(db, { ...r, filters })),
  ]);
  return { cells: parts.flat(), plan };
}
