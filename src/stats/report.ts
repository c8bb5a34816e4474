/**
 * The answer of GET /admin/stats: cells folded into the requested groups (one or two levels) and
 * periods, each with every figure (./figures.ts), plus the total of the window.
 */
import { DAY_MS, HOUR_MS, type StatsCell } from "./cell";
import { STATS_DEFINITIONS_VERSION } from "./definitions";
import { computeFigures, type Figures, type TierOf } from "./figures";
import { HISTOGRAM_RELATIVE_ERROR } from "./histogram";
import { intervalMs, type GroupDimension, type StatsQuery } from "./query";

export interface PeriodFigures {
  start: string;
  end: string;
  figures: Figures;
}

export interface GroupReport {
  key: Partial<Record<GroupDimension, string | null>>;
  figures: Figures;
  intervals?: PeriodFigures[];
}

export interface StatsReport {
  object: "tiergate.stats";
  definitionsVersion: string;
  from: string;
  to: string;
  group: GroupDimension[];
  interval: StatsQuery["interval"];
  filters: StatsQuery["filters"];
  percentileRelativeError: number;
  total: Figures;
  groups: GroupReport[];
}

function groupValue(cell: StatsCell, dim: GroupDimension, tierOf: TierOf): string | null {
  if (dim === "tier") {
    const t = tierOf(cell.dims.model);
    return t === null ? "unknown" : String(t);
  }
  return cell.dims[dim];
}

/** The period a cell's hour falls in: the hour itself, or its UTC day. */
function periodStart(hour: number, q: StatsQuery): number {
  return q.interval === "day" ? Math.floor(hour / DAY_MS) * DAY_MS : Math.floor(hour / HOUR_MS) * HOUR_MS;
}

function byPeriod(cells: readonly StatsCell[], q: StatsQuery): Map<number, StatsCell[]> {
  const m = new Map<number, StatsCell[]>();
  for (const c of cells) {
    const p = periodStart(c.hour, q);
    const list = m.get(p);
    if (list) list.push(c);
    else m.set(p, [c]);
  }
  return m;
}

const requestsOf = (cells: readonly StatsCell[]) => cells.reduce((n, c) => n + c.sums.requests, 0);

export function buildStatsReport(cells: readonly StatsCell[], q: StatsQuery, tierOf: TierOf): StatsReport {
  const total = requestsOf(cells);
  const groups = new Map<string, { key: GroupReport["key"]; cells: StatsCell[] }>();
  for (const cell of cells) {
    const key: GroupReport["key"] = {};
    for (const d of q.group) key[d] = groupValue(cell, d, tierOf);
    const id = JSON.stringify(q.group.map((d) => key[d]));
    const g = groups.get(id);
    if (g) g.cells.push(cell);
    else groups.set(id, { key, cells: [cell] });
  }
  const periodTotals = q.interval ? new Map([...byPeriod(cells, q)].map(([p, cs]) => [p, requestsOf(cs)])) : null;
  const step = q.interval ? intervalMs(q.interval) : 0;

  const out: GroupReport[] = [...groups.values()].map(({ key, cells: gc }) => {
    const report: GroupReport = { key, figures: computeFigures(gc, total, tierOf) };
    if (q.interval && periodTotals) {
      report.intervals = [...byPeriod(gc, q)]
        .sort(([a], [b]) => a - b)
        .map(([p, pc]) => ({
          start: new Date(Math.max(p, q.from)).toISOString(),
          end: new Date(Math.min(p + step, q.to)).toISOString(),
          figures: computeFigures(pc, periodTotals.get(p) ?? 0, tierOf),
        }));
    }
    return report;
  });
  const keyText = (g: GroupReport) => JSON.stringify(q.group.map((d) => g.key[d]));
  out.sort((a, b) => b.figures.costUsd - a.figures.costUsd || b.figures.requests - a.figures.requests || (keyText(a) < keyText(b) ? -1 : 1));
  return {
    object: "tiergate.stats",
    definitionsVersion: STATS_DEFINITIONS_VERSION,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    group: q.group,
    interval: q.interval,
    filters: q.filters,
    percentileRelativeError: Math.round(HISTOGRAM_RELATIVE_ERROR * 1e4) / 1e4,
    total: computeFigures(cells, total, tierOf),
    groups: out,
  };
}
