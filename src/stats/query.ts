/**
 * The parameters of GET /admin/stats, parsed and checked: from / to (ISO 8601 or ms since epoch,
 * `to` exclusive, default the last 30 days), group (up to two of GROUP_DIMENSIONS), interval
 * (hour | day, default none: one period for the whole window) and filters on route, team, feature
 * (comma-separated values); source (auto | raw).
 */
import { badRequest } from "../core/errors";
import { DAY_MS, HOUR_MS } from "./cell";

export const GROUP_DIMENSIONS = ["route", "model", "tier", "feature", "team", "key", "provider"] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];
export const FILTER_DIMENSIONS = ["route", "team", "feature"] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];
export type Interval = "hour" | "day";

/** Periods one answer may hold: 90 days by the day, or about 3 months by the hour. */
export const MAX_PERIODS = 2_500;
export const DEFAULT_WINDOW_MS = 30 * DAY_MS;

export interface StatsQuery {
  from: number;
  to: number;
  group: GroupDimension[];
  interval: Interval | null;
  filters: Partial<Record<FilterDimension, string[]>>;
  /** `auto`: rollups for closed periods, raw rows for the rest; `raw`: raw rows only. */
  source: "auto" | "raw";
}

function parseTime(value: string | undefined, param: string): number | null {
  if (value === undefined || value.trim() === "") return null;
  const v = value.trim();
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) throw badRequest(`${param} must be an ISO 8601 date (2026-04-01, 2026-04-01T12:00:00Z) or ms since epoch, got "${value}"`, param, "invalid_parameter");
  return ms;
}

const list = (v: string | undefined): string[] => (v ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");

export function intervalMs(interval: Interval): number {
  return interval === "hour" ? HOUR_MS : DAY_MS;
}

export function parseStatsQuery(param: (name: string) => string | undefined, now: number): StatsQuery {
  const to = parseTime(param("to"), "to") ?? now;
  const from = parseTime(param("from"), "from") ?? to - DEFAULT_WINDOW_MS;
  if (from >= to) throw badRequest(`from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`, "from", "invalid_parameter");

  const group = list(param("group"));
  for (const g of group) {
    if (!(GROUP_DIMENSIONS as readonly string[]).includes(g)) throw badRequest(`group: unknown dimension "${g}"; use one or two of ${GROUP_DIMENSIONS.join(", ")} (e.g. group=route,model)`, "group", "invalid_parameter");
  }
  if (group.length > 2) throw badRequest(`group: at most two levels (e.g. group=route,model), got ${group.length}`, "group", "invalid_parameter");
  if (group.length === 2 && group[0] === group[1]) throw badRequest(`group: "${group[0]}" twice`, "group", "invalid_parameter");

  const rawInterval = param("interval");
  let interval: Interval | null = null;
  if (rawInterval !== undefined && rawInterval !== "") {
    if (rawInterval !== "hour" && rawInterval !== "day") throw badRequest(`interval must be hour or day, got "${rawInterval}"`, "interval", "invalid_parameter");
    interval = rawInterval;
    const periods = Math.ceil((to - from) / intervalMs(interval));
    if (periods > MAX_PERIODS) throw badRequest(`interval=${interval} gives ${periods} periods over this window (at most ${MAX_PERIODS}); use interval=day or a shorter window`, "interval", "invalid_parameter");
  }

  const filters: StatsQuery["filters"] = {};
  for (const f of FILTER_DIMENSIONS) {
    const values = list(param(f));
    if (values.length > 0) filters[f] = values;
  }
  const source = param("source") ?? "auto";
  if (source !== "auto" && source !== "raw") throw badRequest(`source must be auto or raw, got "${source}"`, "source", "invalid_parameter");
  return { from, to, group: group as GroupDimension[], interval, filters, source };
}
