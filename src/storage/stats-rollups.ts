/**
 * The rollup tables (migrations/0004_stats_rollups.sql): stats cells per hour or per UTC day, their
 * watermarks, and the retention delete of raw rows. A fold replaces every rollup row of its periods
 * and moves its watermark in one D1 batch (a transaction), so running it twice gives the same rows.
 * All cells of a fold are written by ONE statement (INSERT … SELECT FROM json_each(?)): D1 counts
 * queries per invocation, and an hour may hold hundreds of cells.
 */
import { CELL_DIMENSIONS, CELL_SUMS, type CellDimension, cellKey, type StatsCell, zeroSums } from "../stats/cell";
import type { Histogram } from "../stats/histogram";
import type { RoutingCounts } from "../stats/routing-accuracy";
import type { FilterDimension } from "../stats/query";
import type { TimeRange } from "../stats/sources";

export type Grain = "hour" | "day";
export type WatermarkName = "hour" | "day" | "feedback";

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const DIM_COLUMNS: Record<CellDimension, string> = { route: "route", model: "model", feature: "feature", team: "team", key: "key_name", provider: "provider" };
const SUM_COLUMNS = CELL_SUMS.map(snake);
const ROW_COLUMNS = ["period", "cell", ...CELL_DIMENSIONS.map((d) => DIM_COLUMNS[d]), ...SUM_COLUMNS, "latency_hist", "ttfb_hist", "routing_hist"];
const INSERT_SQL = `INSERT INTO stats_rollups (grain, ${ROW_COLUMNS.join(", ")})
  SELECT ?1, ${ROW_COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?2)`;
const FILTER_COLUMNS: Record<FilterDimension, string> = { route: "route", team: "team", feature: "feature" };

export async function readWatermarks(db: D1Database): Promise<Record<WatermarkName, number | null>> {
  const { results } = await db.prepare("SELECT name, value FROM stats_watermarks").all<{ name: WatermarkName; value: number }>();
  const out: Record<WatermarkName, number | null> = { hour: null, day: null, feedback: null };
  for (const r of results) out[r.name] = r.value;
  return out;
}

function rowOf(cell: StatsCell): unknown[] {
  return [cell.hour, cellKey(0, cell.dims), ...CELL_DIMENSIONS.map((d) => cell.dims[d]), ...CELL_SUMS.map((k) => cell.sums[k]), JSON.stringify(cell.latency), JSON.stringify(cell.ttfb), JSON.stringify(cell.routing)];
}

/**
 * Replaces the rollups of `grain` in each range with `cells` (whose `hour` is their period start)
 * and sets the given watermarks, in one transaction.
 */
export async function replaceRollups(db: D1Database, grain: Grain, ranges: TimeRange[], cells: StatsCell[], marks: Partial<Record<WatermarkName, number>>): Promise<void> {
  const statements = [
    ...ranges.map((r) => db.prepare("DELETE FROM stats_rollups WHERE grain = ?1 AND period >= ?2 AND period < ?3").bind(grain, r.from, r.to)),
    ...(cells.length > 0 ? [db.prepare(INSERT_SQL).bind(grain, JSON.stringify(cells.map(rowOf)))] : []),
    ...Object.entries(marks).map(([name, value]) =>
      db.prepare("INSERT INTO stats_watermarks (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value").bind(name, value),
    ),
  ];
  await db.batch(statements);
}

type Row = Record<string, string | number | null>;

function cellOf(row: Row): StatsCell {
  const dims = Object.fromEntries(CELL_DIMENSIONS.map((d) => [d, (row[DIM_COLUMNS[d]] as string | null) ?? null])) as StatsCell["dims"];
  const sums = zeroSums();
  CELL_SUMS.forEach((k, i) => (sums[k] = Number(row[SUM_COLUMNS[i]!] ?? 0)));
  return { hour: Number(row.period), dims, sums, latency: JSON.parse(String(row.latency_hist)) as Histogram, ttfb: JSON.parse(String(row.ttfb_hist)) as Histogram, routing: JSON.parse(String(row.routing_hist ?? "{}")) as RoutingCounts };
}

/** The rollup cells of `grain` whose period starts in any of the ranges, filtered. One batch. */
export async function readRollupCells(db: D1Database, grain: Grain, ranges: TimeRange[], filters: Partial<Record<FilterDimension, string[]>> = {}): Promise<StatsCell[]> {
  if (ranges.length === 0) return [];
  const statements = ranges.map((r) => {
    const binds: Array<string | number> = [grain, r.from, r.to];
    const parts = ["grain = ?1", "period >= ?2", "period < ?3"];
    for (const [dim, values] of Object.entries(filters) as Array<[FilterDimension, string[]]>) {
      const slots = values.map((v) => (binds.push(v), `?${binds.length}`));
      parts.push(`${FILTER_COLUMNS[dim]} IN (${slots.join(", ")})`);
    }
    return db.prepare(`SELECT * FROM stats_rollups WHERE ${parts.join(" AND ")}`).bind(...binds);
  });
  const results = await db.batch<Row>(statements);
  return results.flatMap((r) => (r.results ?? []).map(cellOf));
}

/** The first request at or after `from` (ms), to skip empty hours; null when there is none. */
export async function nextRequestTs(db: D1Database, from: number): Promise<number | null> {
  const row = await db.prepare("SELECT MIN(ts) AS ts FROM requests WHERE ts >= ?1").bind(from).first<{ ts: number | null }>();
  return row?.ts ?? null;
}

/** Start hours (ms) of folded requests that got feedback or a review label received in [from, to). */
export async function hoursWithFeedback(db: D1Database, from: number, to: number, before: number, hourMs: number): Promise<number[]> {
  const { results } = await db
    .prepare(`SELECT DISTINCT (r.ts / ${hourMs}) * ${hourMs} AS hour FROM feedback f JOIN requests r ON r.id = f.request_id
      WHERE f.ts >= ?1 AND f.ts < ?2 AND r.ts < ?3
      UNION SELECT DISTINCT (r.ts / ${hourMs}) * ${hourMs} AS hour FROM review_labels l JOIN requests r ON r.id = l.request_id
      WHERE l.at >= ?1 AND l.at < ?2 AND r.ts < ?3 ORDER BY hour`)
    .bind(from, to, before)
    .all<{ hour: number }>();
  return results.map((r) => r.hour);
}

/**
 * Deletes raw requests older than `before` with their attempts and feedback, `chunk` requests per
 * transaction, at most `maxChunks` transactions. Returns how many requests were deleted.
 */
export async function deleteRawBefore(db: D1Database, before: number, { chunk = 5_000, maxChunks = 20 } = {}): Promise<number> {
  const ids = "SELECT id FROM requests WHERE ts < ?1 ORDER BY ts, id LIMIT ?2";
  let deleted = 0;
  for (let i = 0; i < maxChunks; i++) {
    const [, , requests] = await db.batch([
      db.prepare(`DELETE FROM attempts WHERE request_id IN (${ids})`).bind(before, chunk),
      db.prepare(`DELETE FROM feedback WHERE request_id IN (${ids})`).bind(before, chunk),
      db.prepare(`DELETE FROM requests WHERE id IN (${ids})`).bind(before, chunk),
    ]);
    const n = requests?.meta.changes ?? 0;
    deleted += n;
    if (n < chunk) break;
  }
  return deleted;
}

/** The first rollup period of `grain` at or after `from`; null when there is none. */
export async function nextRollupPeriod(db: D1Database, grain: Grain, from: number): Promise<number | null> {
  const row = await db.prepare("SELECT MIN(period) AS p FROM stats_rollups WHERE grain = ?1 AND period >= ?2").bind(grain, from).first<{ p: number | null }>();
  return row?.p ?? null;
}
