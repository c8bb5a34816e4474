/**
 * D1 side of route tuning (issue 13): a classifier route's labelled rows (with their latest feedback and,
 * when the review table of issue 12 exists, the reviewer's label), the tuning runs (migration 0010), and
 * the figures of a proposal evaluated in shadow.
 */
import type { LedgerRow } from "../tuning/fit";
import type { RouteTuning } from "../tuning/run";

/** Rows a tuning run reads at most (newest kept): a bound on the Worker's memory and D1 read units. */
export const MAX_TUNE_ROWS = 50_000;

const ROWS_SQL = `SELECT r.id, r.ts, r.route, r.classifier_score, r.features, r.served_model, r.escalations, r.quality, r.explored,
  r.cost_usd, r.input_tokens, r.output_tokens,
  (SELECT f.success FROM feedback f WHERE f.request_id = r.id AND f.success IS NOT NULL ORDER BY f.ts DESC LIMIT 1) AS feedback_success
  __REVIEW_COLS__
FROM requests r __REVIEW_JOIN__
WHERE r.route = ?1 AND r.kind = 'chat' AND r.classifier = 'local' AND r.classifier_score IS NOT NULL AND r.ts >= ?2
ORDER BY r.ts DESC LIMIT ?3`;

interface ReviewTable {
  name: string;
  tierColumn: string | null;
}

const SAFE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The review label table (issue 12: request_id, route, labelled tier, good_enough, labeller, at), found by
 * its columns so its exact name does not matter; null when it does not exist (yet).
 */
export async function findReviewTable(db: D1Database): Promise<ReviewTable | null> {
  const { results } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%good_enough%' AND sql LIKE '%request_id%'").all<{ name: string }>();
  const name = results.find((r) => SAFE.test(r.name))?.name;
  if (!name) return null;
  const cols = (await db.prepare(`PRAGMA table_info(${name})`).all<{ name: string }>()).results.map((c) => c.name);
  const tierColumn = cols.find((c) => /tier/i.test(c) && SAFE.test(c)) ?? null;
  return { name, tierColumn };
}

export async function readTuneRows(db: D1Database, route: string, sinceMs = 0): Promise<LedgerRow[]> {
  const review = await findReviewTable(db);
  let cols = ", NULL AS review_good_enough, NULL AS review_tier", join = "";
  if (review) {
    // the latest label per request
    cols = `, v.good_enough AS review_good_enough, ${review.tierColumn ? `v.${review.tierColumn}` : "NULL"} AS review_tier`;
    join = `LEFT JOIN ${review.name} v ON v.rowid = (SELECT MAX(v2.rowid) FROM ${review.name} v2 WHERE v2.request_id = r.id)`;
  }
  const sql = ROWS_SQL.replace("__REVIEW_COLS__", cols).replace("__REVIEW_JOIN__", join);
  const { results } = await db.prepare(sql).bind(route, sinceMs, MAX_TUNE_ROWS).all<LedgerRow>();
  return results.reverse();
}

export type TuningStatus = "proposed" | "shadow" | "applied";

export async function saveTuning(db: D1Database, t: RouteTuning): Promise<void> {
  await db
    .prepare("INSERT INTO route_tunings (id, route, ts, target, labels, trustworthy, status, status_ts, result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'proposed', ?3, ?7)")
    .bind(t.id, t.route, Date.parse(t.date), t.target, t.labels, t.trustworthy ? 1 : 0, JSON.stringify(t))
    .run();
}

export interface StoredTuning {
  id: string;
  route: string;
  ts: number;
  status: TuningStatus;
  statusTs: number | null;
  tuning: RouteTuning;
}

interface TuningRow { id: string; route: string; ts: number; status: TuningStatus; status_ts: number | null; result: string }

const fromRow = (r: TuningRow): StoredTuning => ({ id: r.id, route: r.route, ts: r.ts, status: r.status, statusTs: r.status_ts, tuning: JSON.parse(r.result) as RouteTuning });

export async function readTuning(db: D1Database, id: string): Promise<StoredTuning | null> {
  const r = await db.prepare("SELECT id, route, ts, status, status_ts, result FROM route_tunings WHERE id = ?1").bind(id).first<TuningRow>();
  return r ? fromRow(r) : null;
}

export async function listTunings(db: D1Database, route: string, limit = 20): Promise<StoredTuning[]> {
  const { results } = await db.prepare("SELECT id, route, ts, status, status_ts, result FROM route_tunings WHERE route = ?1 ORDER BY ts DESC LIMIT ?2").bind(route, limit).all<TuningRow>();
  return results.map(fromRow);
}

export async function setTuningStatus(db: D1Database, id: string, status: TuningStatus, at: number): Promise<void> {
  await db.prepare("UPDATE route_tunings SET status = ?2, status_ts = ?3 WHERE id = ?1").bind(id, status, at).run();
}

/** Rows evaluated under a proposal in shadow: what was served, and the tier the proposal would have given. */
export interface ShadowRow {
  classifier_tier: number;
  proposal_tier: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  explored: number;
  escalations: number;
  served_model: string | null;
  quality: string | null;
}

export async function readShadowRows(db: D1Database, route: string, proposalId: string): Promise<ShadowRow[]> {
  const { results } = await db
    .prepare("SELECT classifier_tier, proposal_tier, cost_usd, input_tokens, output_tokens, explored, escalations, served_model, quality FROM requests WHERE route = ?1 AND proposal_id = ?2 ORDER BY ts DESC LIMIT ?3")
    .bind(route, proposalId, MAX_TUNE_ROWS)
    .all<ShadowRow>();
  return results;
}
