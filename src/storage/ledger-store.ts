/**
 * Writes ledger entries to D1: the request row and its attempts in one batch, idempotent on
 * ids (INSERT OR IGNORE), retried on failure. A write that still fails is logged whole, so no
 * record is silently lost.
 */
import type { LedgerEntry } from "../ledger/record";
import { logEvent } from "../core/log";

const REQUEST_COLUMNS = [
  "id", "ts", "route", "strategy", "reason", "feature", "key_name", "team", "user_tier", "requested_model", "served_model",
  "provider", "provider_kind", "simulated", "stream", "status", "http_status", "error_class", "error_message", "finish_reason",
  "input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens", "usage_estimated", "cost_usd", "baseline_model",
  "baseline_cost_usd", "latency_ms", "ttfb_ms", "attempts", "fallbacks", "escalations", "plan", "config_hash",
  "quality", "classifier", "classifier_tier", "classifier_score", "shadow_model", "shadow_cost_usd", "kind", "seams", "dropped_blocks",
  "cache_status", "cache_kind", "cache_source", "cache_saved_usd",
  "head_score", "features", "explored", "thresholds_source", "proposal_id", "proposal_tier",
] as const;

const ATTEMPT_COLUMNS = [
  "request_id", "seq", "kind", "step", "model", "provider", "ok", "http_status", "error_class", "error_message",
  "input_tokens", "output_tokens", "usage_estimated", "cost_usd", "latency_ms", "ttfb_ms", "checks",
] as const;

const insertSql = (table: string, cols: readonly string[]) =>
  `INSERT OR IGNORE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(", ")})`;
const INSERT_REQUEST = insertSql("requests", REQUEST_COLUMNS);
const INSERT_ATTEMPT = insertSql("attempts", ATTEMPT_COLUMNS);

type SqlValue = string | number | null;

function requestValues(e: LedgerEntry): SqlValue[] {
  const r = e.request;
  return [
    r.id, r.ts, r.route, r.strategy, r.reason, r.feature, r.keyName, r.team, r.userTier, r.requestedModel, r.servedModel,
    r.provider, r.providerKind, r.simulated ? 1 : 0, r.stream ? 1 : 0, r.status, r.httpStatus, r.errorClass, r.errorMessage,
    r.finishReason, r.tokens.input, r.tokens.output, r.tokens.cachedInput, r.tokens.reasoning, r.tokens.estimated ? 1 : 0,
    r.costUsd, r.baselineModel, r.baselineCostUsd, r.latencyMs, r.ttfbMs, r.attempts, r.fallbacks, r.escalations,
    r.plan ? JSON.stringify(r.plan) : null, r.configHash,
    r.quality, r.classifier, r.classifierTier, r.classifierScore, r.shadowModel, r.shadowCostUsd, r.kind,
    r.seams ? JSON.stringify(r.seams) : null, r.droppedBlocks,
    r.cacheStatus ?? null, r.cacheKind ?? null, r.cacheSource ?? null, r.cacheSavedUsd ?? null,
    // `?? null`: entries queued by a Worker from before these fields still write
    r.headScore ?? null, r.features ?? null, r.explored ? 1 : 0, r.thresholdsSource ?? null, r.proposalId ?? null, r.proposalTier ?? null,
  ];
}

function attemptValues(requestId: string, a: LedgerEntry["attempts"][number]): SqlValue[] {
  return [
    requestId, a.seq, a.kind, a.step, a.model, a.provider || null, a.ok ? 1 : 0, a.httpStatus, a.errorClass, a.errorMessage,
    a.tokens.input, a.tokens.output, a.tokens.estimated ? 1 : 0, a.costUsd, a.latencyMs, a.ttfbMs,
    a.checks ? JSON.stringify(a.checks) : null,
  ];
}

export interface WriteOptions {
  retries?: number;
  backoffMs?: number;
}

function statementsFor(db: D1Database, entry: LedgerEntry): D1PreparedStatement[] {
  return [
    db.prepare(INSERT_REQUEST).bind(...requestValues(entry)),
    ...entry.attempts.map((a) => db.prepare(INSERT_ATTEMPT).bind(...attemptValues(entry.request.id, a))),
  ];
}

/** Writes entries in ONE round trip (D1's cost is per batch, not per row). Throws when it fails. */
export async function writeLedgerBatch(db: D1Database, entries: LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.batch(entries.flatMap((e) => statementsFor(db, e)));
}

/** The whole entry in the Worker's logs, from which it can be replayed: the last resort, never silence. */
export function logUnwritten(entry: LedgerEntry, error: unknown): void {
  logEvent("error", "ledger_write_failed", { error: String(error), entry });
}

/** Writes one entry now, retried with backoff; logged whole if it still fails. */
export async function writeLedgerEntry(db: D1Database, entry: LedgerEntry, { retries = 3, backoffMs = 50 }: WriteOptions = {}): Promise<boolean> {
  let lastError: unknown;
  for (let i = 0; i <= retries; i++) {
    try {
      await writeLedgerBatch(db, [entry]);
      return true;
    } catch (err) {
      lastError = err;
      if (i < retries) await new Promise((r) => setTimeout(r, backoffMs * 2 ** i));
    }
  }
  logUnwritten(entry, lastError);
  return false;
}

export interface RequestRow {
  [column: string]: SqlValue;
}

export async function readLedgerEntry(db: D1Database, id: string): Promise<{ request: RequestRow; attempts: RequestRow[] } | null> {
  const request = await db.prepare("SELECT * FROM requests WHERE id = ?1").bind(id).first<RequestRow>();
  if (!request) return null;
  const { results } = await db.prepare("SELECT * FROM attempts WHERE request_id = ?1 ORDER BY seq").bind(id).all<RequestRow>();
  return { request, attempts: results };
}

export interface Feedback {
  requestId: string;
  ts: number;
  success: boolean | null;
  score: number | null;
  label: string | null;
  comment: string | null;
  /** The key name and team of the caller that posted it. */
  postedByKey?: string | null;
  postedByTeam?: string | null;
}

/** Who made a request (null: no row yet). */
export async function requestOwner(db: D1Database, id: string): Promise<{ keyName: string | null; team: string | null } | null> {
  const row = await db.prepare("SELECT key_name, team FROM requests WHERE id = ?1").bind(id).first<{ key_name: string | null; team: string | null }>();
  return row ? { keyName: row.key_name, team: row.team } : null;
}

export async function requestExists(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS x FROM requests WHERE id = ?1").bind(id).first()) !== null;
}

export async function writeFeedback(db: D1Database, f: Feedback): Promise<void> {
  await db
    .prepare("INSERT OR REPLACE INTO feedback (request_id, ts, success, score, label, comment, posted_by_key, posted_by_team) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
    .bind(f.requestId, f.ts, f.success === null ? null : f.success ? 1 : 0, f.score, f.label, f.comment, f.postedByKey ?? null, f.postedByTeam ?? null)
    .run();
}
