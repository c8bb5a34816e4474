/**
 * A stats cell: the ledger summed over one hour and one combination of every dimension the API can
 * group by. Raw rows and (later) rollups are both read as cells, and every figure is computed from
 * cells, so an answer over raw rows, over rollups, or across the boundary is computed one way.
 */
import { type Histogram, mergeInto } from "./histogram";
import { mergeCounts, type RoutingCounts } from "./routing-accuracy";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The dimensions of a cell, named as the API names them (`model` is the served model, `key` the key name). */
export const CELL_DIMENSIONS = ["route", "model", "feature", "team", "key", "provider"] as const;
export type CellDimension = (typeof CELL_DIMENSIONS)[number];

/** Additive counters of a cell; storage maps each to SQL (see src/storage/stats-cells.ts). */
export const CELL_SUMS = [
  "requests", "inputTokens", "outputTokens", "costUsd", "baselineCostUsd",
  "checkPassed", "checkFailed", "escalated", "withFallback", "errors", "aborted", "streams", "partialStreams", "recoveredStreams",
  "feedbackCount", "feedbackRated", "feedbackSuccess", "feedbackScored", "feedbackScoreSum",
  "classified", "tier1Judged", "tier1Agreed",
  "shadowRequests", "shadowActualCostUsd", "shadowCostUsd",
] as const;
export type CellSum = (typeof CELL_SUMS)[number];

export type CellSums = Record<CellSum, number>;

export interface StatsCell {
  /** Start of the cell's hour, ms since epoch (UTC). */
  hour: number;
  dims: Record<CellDimension, string | null>;
  sums: CellSums;
  latency: Histogram;
  ttfb: Histogram;
  /** Joint counts of classified requests (chosen tier, outcome, label): ./routing-accuracy.ts. */
  routing: RoutingCounts;
}

export function zeroSums(): CellSums {
  return Object.fromEntries(CELL_SUMS.map((k) => [k, 0])) as CellSums;
}

export function addSums(into: CellSums, from: CellSums): CellSums {
  for (const k of CELL_SUMS) into[k] += from[k];
  return into;
}

/** Sums and merged histograms of many cells. */
export interface Totals {
  sums: CellSums;
  latency: Histogram;
  ttfb: Histogram;
  routing: RoutingCounts;
}

export function emptyTotals(): Totals {
  return { sums: zeroSums(), latency: {}, ttfb: {}, routing: {} };
}

export function addCell(into: Totals, cell: Pick<StatsCell, "sums" | "latency" | "ttfb" | "routing">): Totals {
  addSums(into.sums, cell.sums);
  mergeInto(into.latency, cell.latency);
  mergeInto(into.ttfb, cell.ttfb);
  mergeCounts(into.routing, cell.routing);
  return into;
}

/** One key for a cell's hour and dimensions, to join the sums with their histograms. */
export function cellKey(hour: number, dims: Record<CellDimension, string | null>): string {
  return JSON.stringify([hour, ...CELL_DIMENSIONS.map((d) => dims[d])]);
}

/** Cells merged per (period, dimensions), the period given by `periodOf(cell.hour)`: how hourly cells become daily ones. */
export function regroupCells(cells: readonly StatsCell[], periodOf: (hour: number) => number): StatsCell[] {
  const out = new Map<string, StatsCell>();
  for (const c of cells) {
    const period = periodOf(c.hour);
    const key = cellKey(period, c.dims);
    const into = out.get(key) ?? { hour: period, dims: { ...c.dims }, sums: zeroSums(), latency: {}, ttfb: {}, routing: {} };
    addCell(into, c);
    out.set(key, into);
  }
  return [...out.values()];
}
