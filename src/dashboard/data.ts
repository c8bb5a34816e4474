/**
 * What the dashboard shows, read the way GET /admin/stats reads it (same cells, same figures), so
 * every number on a page equals the API's for the same window. A table is columns and rows of
 * plain values: the page renders it, the CSV export writes it.
 */
import type { Context } from "hono";
import type { Config } from "../config/schema";
import { DAY_MS } from "../stats/cell";
import type { Figures } from "../stats/figures";
import { parseStatsQuery, type GroupDimension, type StatsQuery } from "../stats/query";
import { buildStatsReport, type StatsReport } from "../stats/report";
import { activeConfig } from "../storage/config-store";
import { readStatsCells } from "../storage/stats-read";
import type { DashboardEnv } from "./session";

export type Cell = string | number | null;
export interface Table {
  name: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Column index → link target per row (same length as rows), for names that open a page. */
  links?: Record<number, Array<string | null>>;
}

export const WINDOWS = { "1d": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS, "90d": 90 * DAY_MS } as const;
export type WindowName = keyof typeof WINDOWS;

export interface Filters {
  window: WindowName;
  team: string | null;
  group: string;
  from: number;
  to: number;
}

export function readFilters(c: Context<DashboardEnv>, defaultGroup = "route"): Filters {
  const w = c.req.query("window");
  const window: WindowName = w && w in WINDOWS ? (w as WindowName) : "7d";
  const toParam = Number(c.req.query("to"));
  const to = Number.isFinite(toParam) && toParam > 0 ? toParam : c.get("receivedAt");
  const team = c.req.query("team") || null;
  const group = c.req.query("group") || defaultGroup;
  return { window, team, group, from: to - WINDOWS[window], to };
}

/** The query string that reproduces these filters (what links and exports carry). */
export function filterQuery(f: Filters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ window: f.window, to: String(f.to), group: f.group, ...(f.team ? { team: f.team } : {}), ...extra });
  return p.toString();
}

export async function loadConfig(c: Context<DashboardEnv>): Promise<Config | null> {
  const state = await activeConfig(c.env.CONFIG, { ttlMs: 10_000, now: Date.now, waitUntil: (p) => c.executionCtx.waitUntil(p) });
  return state.config;
}

export async function statsFor(c: Context<DashboardEnv>, f: Filters, params: Record<string, string>, config: Config | null): Promise<StatsReport> {
  const all: Record<string, string> = { from: String(f.from), to: String(f.to), ...(f.team ? { team: f.team } : {}), ...params };
  const q: StatsQuery = parseStatsQuery((n) => all[n], f.to);
  const { cells } = await readStatsCells(c.env.LEDGER, q, q.filters, { useDays: q.interval !== "hour", rawOnly: false });
  return buildStatsReport(cells, q, (m) => (m !== null && config ? (config.models[m]?.tier ?? null) : null));
}

export const intervalFor = (f: Filters) => (f.window === "1d" ? "hour" : "day");

const keyText = (key: Partial<Record<GroupDimension, string | null>>, dims: string[]) => dims.map((d) => key[d as GroupDimension] ?? "(none)").join(" / ");

/** Every figure of item 1, one column each, in the order of src/stats/definitions.ts. */
export const METRIC_COLUMNS: Array<[string, (f: Figures) => Cell]> = [
  ["requests", (f) => f.requests], ["share", (f) => f.share],
  ["input tokens", (f) => f.tokens.input], ["output tokens", (f) => f.tokens.output],
  ["cost usd", (f) => f.costUsd], ["baseline usd", (f) => f.baselineCostUsd], ["savings usd", (f) => f.savingsUsd], ["savings %", (f) => f.savingsPct],
  ["tier 1 traffic", (f) => f.tiers["1"]?.trafficShare ?? 0], ["tier 2 traffic", (f) => f.tiers["2"]?.trafficShare ?? 0], ["tier 3 traffic", (f) => f.tiers["3"]?.trafficShare ?? 0],
  ["tier 1 cost share", (f) => f.tiers["1"]?.costShare ?? 0], ["tier 2 cost share", (f) => f.tiers["2"]?.costShare ?? 0], ["tier 3 cost share", (f) => f.tiers["3"]?.costShare ?? 0],
  ["check pass rate", (f) => f.quality.checkPassRate], ["escalation rate", (f) => f.quality.escalationRate], ["served failed", (f) => f.quality.servedFailed], ["served failed rate", (f) => f.quality.servedFailedRate],
  ["feedback", (f) => f.feedback.count], ["feedback success", (f) => f.feedback.successRate], ["mean score", (f) => f.feedback.meanScore],
  ["routing accuracy", (f) => f.routingAccuracy.rate],
  ["latency p50", (f) => f.latencyMs.p50], ["latency p95", (f) => f.latencyMs.p95], ["latency p99", (f) => f.latencyMs.p99],
  ["ttfb p50", (f) => f.ttfbMs.p50], ["ttfb p95", (f) => f.ttfbMs.p95], ["ttfb p99", (f) => f.ttfbMs.p99],
  ["fallback rate", (f) => f.fallbackRate], ["error rate", (f) => f.errorRate], ["partial-stream rate", (f) => f.partialStreamRate], ["recovered-stream rate", (f) => f.recoveredStreamRate], ["aborted rate", (f) => f.abortedRate],
  ["shadow actual usd", (f) => f.shadow?.actualCostUsd ?? null], ["shadow projected usd", (f) => f.shadow?.projectedCostUsd ?? null], ["shadow savings usd", (f) => f.shadow?.projectedSavingsUsd ?? null], ["shadow savings %", (f) => f.shadow?.projectedSavingsPct ?? null],
];

export function metricsTable(name: string, title: string, report: StatsReport, routeLinks: boolean): Table {
  const dims = report.group.length > 0 ? report.group : ["all"];
  const rows = report.groups.map((g) => [keyText(g.key, report.group.length ? report.group : []) || "all", ...METRIC_COLUMNS.map(([, get]) => get(g.figures))]);
  const table: Table = { name, title, columns: [dims.join(" / "), ...METRIC_COLUMNS.map(([n]) => n)], rows };
  if (routeLinks && report.group[0] === "route") table.links = { 0: report.groups.map((g) => (g.key.route ? `/dashboard/routes/${encodeURIComponent(g.key.route)}` : null)) };
  return table;
}

/** A small table of one dimension: requests, cost, savings, share of cost. */
export function costTable(name: string, title: string, report: StatsReport, limit = 10): Table {
  const total = report.total.costUsd;
  return {
    name, title,
    columns: [report.group.join(" / "), "requests", "cost usd", "baseline usd", "savings usd", "cost share"],
    rows: report.groups.slice(0, limit).map((g) => [keyText(g.key, report.group), g.figures.requests, g.figures.costUsd, g.figures.baselineCostUsd, g.figures.savingsUsd, total === 0 ? null : Math.round((g.figures.costUsd / total) * 1e6) / 1e6]),
  };
}

export interface ChartSpec {
  id: string;
  title: string;
  kind: "stacked" | "lines";
  unit: string;
  x: number[];
  series: Array<{ label: string; values: Array<number | null> }>;
}

/** One series per group over the report's periods (x in seconds, as uPlot wants). */
export function seriesChart(id: string, title: string, report: StatsReport, kind: ChartSpec["kind"], unit: string, value: (f: Figures) => number | null): ChartSpec {
  const starts = [...new Set(report.groups.flatMap((g) => (g.intervals ?? []).map((p) => p.start)))].sort();
  const series = report.groups.map((g) => {
    const by = new Map((g.intervals ?? []).map((p) => [p.start, value(p.figures)]));
    return { label: keyText(g.key, report.group) || "all", values: starts.map((s) => by.get(s) ?? (kind === "stacked" ? 0 : null)) };
  });
  return { id, title, kind, unit, x: starts.map((s) => Date.parse(s) / 1000), series };
}
