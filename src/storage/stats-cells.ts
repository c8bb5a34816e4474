/**
 * Stats cells from raw ledger rows (src/stats/cell.ts): the requests of a time range summed per
 * hour and per combination of the dimensions, with their feedback, in D1; latency and time to
 * first byte counted per distinct value (ms) and put into the stats histograms here, so raw rows
 * and rollups share one bucketing. Uses the requests_ts index (and route/team/feature + ts ones
 * when filtered); feedback is read through its primary key (request_id, ts).
 */
import { type CellDimension, type CellSum, cellKey, HOUR_MS, type StatsCell, zeroSums } from "../stats/cell";
import { addValue } from "../stats/histogram";
import { routingKey } from "../stats/routing-accuracy";
import type { FilterDimension } from "../stats/query";

export interface CellRange {
  /** ms since epoch, inclusive. */
  from: number;
  /** ms since epoch, exclusive. */
  to: number;
  filters: Partial<Record<FilterDimension, string[]>>;
}

const DIM_COLUMNS: Record<CellDimension, string> = {
  route: "r.route", model: "r.served_model", feature: "r.feature", team: "r.team", key: "r.key_name", provider: "r.provider",
};

const FILTER_COLUMNS: Record<FilterDimension, string> = { route: "r.route", team: "r.team", feature: "r.feature" };

const TIER1_JUDGED = "r.classifier_tier = 1 AND (r.quality IN ('passed', 'failed') OR r.escalations > 0 OR COALESCE(fb.rated, 0) > 0)";

/** How the chosen tier's answer did (src/stats/routing-accuracy.ts): bad, good or unknown (NULL). */
const OUTCOME_SQL = `CASE WHEN r.escalations > 0 OR r.quality = 'failed' OR COALESCE(fb.negative, 0) > 0 THEN 'bad'
  WHEN r.quality = 'passed' OR COALESCE(fb.succeeded, 0) > 0 THEN 'good' END`;

/** How each cell counter is summed from a request row `r` and its feedback `fb` (definitions in src/stats/definitions.ts). */
export const SUM_SQL: Record<CellSum, string> = {
  requests: "COUNT(*)",
  inputTokens: "SUM(r.input_tokens)",
  outputTokens: "SUM(r.output_tokens)",
  costUsd: "SUM(r.cost_usd)",
  baselineCostUsd: "SUM(r.baseline_cost_usd)",
  checkPassed: "SUM(r.quality = 'passed')",
  checkFailed: "SUM(r.quality = 'failed')",
  escalated: "SUM(r.escalations > 0)",
  withFallback: "SUM(r.fallbacks > 0)",
  errors: "SUM(r.status = 'error')",
  aborted: "SUM(r.status = 'aborted')",
  streams: "SUM(r.stream = 1)",
  partialStreams: "SUM(r.stream = 1 AND r.status = 'partial')",
  recoveredStreams: "SUM(r.stream = 1 AND r.status = 'recovered')",
  feedbackCount: "SUM(COALESCE(fb.n, 0))",
  feedbackRated: "SUM(COALESCE(fb.rated, 0))",
  feedbackSuccess: "SUM(COALESCE(fb.succeeded, 0))",
  feedbackScored: "SUM(COALESCE(fb.scored, 0))",
  feedbackScoreSum: "SUM(COALESCE(fb.score_sum, 0))",
  classified: "SUM(r.classifier_tier IS NOT NULL)",
  tier1Judged: `SUM(${TIER1_JUDGED})`,
  tier1Agreed: `SUM(${TIER1_JUDGED} AND r.escalations = 0 AND COALESCE(r.quality, '') <> 'failed' AND COALESCE(fb.negative, 0) = 0)`,
  shadowRequests: "SUM(r.shadow_model IS NOT NULL)",
  shadowActualCostUsd: "SUM(CASE WHEN r.shadow_model IS NOT NULL THEN r.cost_usd ELSE 0 END)",
  shadowCostUsd: "SUM(CASE WHEN r.shadow_model IS NOT NULL THEN COALESCE(r.shadow_cost_usd, 0) ELSE 0 END)",
};

const SUM_NAMES = Object.keys(SUM_SQL) as CellSum[];
const DIMS = Object.keys(DIM_COLUMNS) as CellDimension[];
const HOUR_SQL = `(r.ts / ${HOUR_MS}) * ${HOUR_MS}`;
const GROUP_BY = `GROUP BY hour, ${DIMS.map((d) => `d_${d}`).join(", ")}`;
const DIM_SELECT = `${HOUR_SQL} AS hour, ${DIMS.map((d) => `${DIM_COLUMNS[d]} AS d_${d}`).join(", ")}`;

/** WHERE over `r` with ?1 = from, ?2 = to and the filters' values from ?3 on. */
function whereSql(range: CellRange): { sql: string; binds: Array<string | number> } {
  const binds: Array<string | number> = [range.from, range.to];
  const parts = ["r.ts >= ?1", "r.ts < ?2"];
  for (const [dim, values] of Object.entries(range.filters) as Array<[FilterDimension, string[]]>) {
    const slots = values.map((v) => {
      binds.push(v);
      return `?${binds.length}`;
    });
    parts.push(`${FILTER_COLUMNS[dim]} IN (${slots.join(", ")})`);
  }
  return { sql: parts.join(" AND "), binds };
}

type Row = Record<string, string | number | null>;

function dimsOf(row: Row): Record<CellDimension, string | null> {
  return Object.fromEntries(DIMS.map((d) => [d, (row[`d_${d}`] as string | null) ?? null])) as Record<CellDimension, string | null>;
}

export async function readRawCells(db: D1Database, range: CellRange): Promise<StatsCell[]> {
  const where = whereSql(range);
  const feedbackCte = `WITH fb AS (
    SELECT f.request_id AS id, COUNT(*) AS n, COUNT(f.success) AS rated, SUM(f.success = 1) AS succeeded,
      SUM(f.success = 0) AS negative, COUNT(f.score) AS scored, SUM(f.score) AS score_sum
    FROM feedback f JOIN requests r ON r.id = f.request_id WHERE ${where.sql} GROUP BY f.request_id)`;
  const sumsSql = `${feedbackCte}
    SELECT ${DIM_SELECT}, ${SUM_NAMES.map((k) => `${SUM_SQL[k]} AS s_${k}`).join(", ")}
    FROM requests r LEFT JOIN fb ON fb.id = r.id WHERE ${where.sql} ${GROUP_BY}`;
  const histSql = (col: string) => `SELECT ${DIM_SELECT}, r.${col} AS v, COUNT(*) AS n FROM requests r
    WHERE ${where.sql} AND r.${col} IS NOT NULL ${GROUP_BY}, v`;
  // The routing confusion counts (src/stats/routing-accuracy.ts): classified requests by chosen tier, outcome and label.
  const routingSql = `${feedbackCte}
    SELECT ${DIM_SELECT}, r.classifier_tier AS ct, ${OUTCOME_SQL} AS oc, l.tier AS lt, l.good_enough AS ge, COUNT(*) AS n
    FROM requests r LEFT JOIN fb ON fb.id = r.id LEFT JOIN review_labels l ON l.request_id = r.id
    WHERE ${where.sql} AND r.classifier_tier IN (1, 2, 3) ${GROUP_BY}, ct, oc, lt, ge`;
  const [sums, latency, ttfb, routing] = await db.batch<Row>([
    db.prepare(sumsSql).bind(...where.binds),
    db.prepare(histSql("latency_ms")).bind(...where.binds),
    db.prepare(histSql("ttfb_ms")).bind(...where.binds),
    db.prepare(routingSql).bind(...where.binds),
  ]);
  const cells = new Map<string, StatsCell>();
  for (const row of sums?.results ?? []) {
    const hour = Number(row.hour);
    const dims = dimsOf(row);
    const s = zeroSums();
    for (const k of SUM_NAMES) s[k] = Number(row[`s_${k}`] ?? 0);
    cells.set(cellKey(hour, dims), { hour, dims, sums: s, latency: {}, ttfb: {}, routing: {} });
  }
  const fill = (rows: Row[] | undefined, which: "latency" | "ttfb") => {
    for (const row of rows ?? []) {
      const cell = cells.get(cellKey(Number(row.hour), dimsOf(row)));
      if (cell) addValue(cell[which], Number(row.v), Number(row.n));
    }
  };
  fill(latency?.results, "latency");
  fill(ttfb?.results, "ttfb");
  for (const row of routing?.results ?? []) {
    const cell = cells.get(cellKey(Number(row.hour), dimsOf(row)));
    if (!cell) continue;
    const key = routingKey(Number(row.ct), (row.oc as "good" | "bad" | null) ?? null, row.lt === null ? null : Number(row.lt), row.ge === null ? null : (Number(row.ge) as 0 | 1));
    cell.routing[key] = (cell.routing[key] ?? 0) + Number(row.n);
  }
  return [...cells.values()];
}
