/**
 * "Nothing lost in the ledger": after a run, every request the gateway received has exactly one
 * `requests` row, and as many `attempts` rows as that row (and the x-tiergate-attempts header)
 * says. Rows are written after the response (waitUntil), so the check first waits for the
 * ledger to drain and reports how long that took.
 */
import type { D1Like } from "./gateway-miniflare";
import type { Sample } from "./http-load";

/**
 * Runs a read-only ledger query through Miniflare's binding proxy, again after a pause when
 * the proxy's connection dropped ("fetch failed"): reads are idempotent, and a busy runtime
 * sometimes closes that socket.
 */
export async function read<T>(q: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await q();
    } catch (e) {
      if (i >= tries || !/fetch failed|other side closed|ECONNRESET|socket/i.test(String(e) + String((e as { cause?: unknown }).cause ?? ""))) throw e;
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}

export interface LedgerMark {
  rowid: number;
}

/** Where the ledger stands before a run: rows after this rowid belong to it. */
export async function ledgerMark(db: D1Like): Promise<LedgerMark> {
  const r = await read(() => db.prepare("SELECT coalesce(max(rowid), 0) AS m FROM requests").first<{ m: number }>());
  return { rowid: r?.m ?? 0 };
}

export async function rowsSince(db: D1Like, mark: LedgerMark): Promise<number> {
  const r = await read(() => db.prepare("SELECT count(*) AS n FROM requests WHERE rowid > ?1").bind(mark.rowid).first<{ n: number }>());
  return r?.n ?? 0;
}

export interface DrainResult {
  /** Rows already written when the load stopped. */
  rowsAtEnd: number;
  rowsAfterDrain: number;
  /** From the end of the load until the last expected row was there (or the wait gave up). */
  drainMs: number;
  drained: boolean;
}

/** Waits until `expected` rows exist since the mark, or nothing new arrived for `quietMs`. */
export async function waitForDrain(db: D1Like, mark: LedgerMark, expected: number, { quietMs = 15_000, maxMs = 180_000 } = {}): Promise<DrainResult> {
  const start = performance.now();
  const rowsAtEnd = await rowsSince(db, mark);
  let rows = rowsAtEnd;
  let lastProgress = performance.now();
  while (rows < expected && performance.now() - lastProgress < quietMs && performance.now() - start < maxMs) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await rowsSince(db, mark);
    if (now > rows) lastProgress = performance.now();
    rows = now;
  }
  return { rowsAtEnd, rowsAfterDrain: rows, drainMs: rows >= expected ? performance.now() - start : lastProgress - start, drained: rows >= expected };
}

export interface LedgerAudit extends DrainResult {
  requestsSent: number;
  /** Requests that got no answer at all (reset connection, client timeout): they may never have reached the Worker. */
  unanswered: number;
  /** Responses whose request id has no row. */
  missing: number;
  /** Rows whose attempt rows disagree with their `attempts` column or the response header. */
  attemptMismatches: number;
  /** Rows for requests sent during the run beyond those counted (should be 0). */
  unexpected: number;
  attemptRows: number;
  statuses: Record<string, number>;
  ok: boolean;
}

interface Row {
  id: string;
  attempts: number;
  n: number;
  status: string;
}

/**
 * `sent` counts every request started; samples carry what came back. Every answered request must
 * have its row; a request that got no answer may have no row (it may never have reached the
 * Worker), so then rows may be fewer than requests sent, never fewer than requests answered.
 */
export async function auditLedger(db: D1Like, mark: LedgerMark, sent: number, samples: readonly Sample[], drainOpts?: { quietMs?: number; maxMs?: number }): Promise<LedgerAudit> {
  const unanswered = samples.filter((s) => s.status === 0).length;
  const drain = await waitForDrain(db, mark, sent, drainOpts);
  const { results } = await read(() =>
    db
      .prepare("SELECT r.id AS id, r.attempts AS attempts, r.status AS status, (SELECT count(*) FROM attempts a WHERE a.request_id = r.id) AS n FROM requests r WHERE r.rowid > ?1")
      .bind(mark.rowid)
      .all<Row>(),
  );
  const byId = new Map(results.map((r) => [r.id, r]));
  let missing = 0;
  let attemptMismatches = 0;
  for (const s of samples) {
    if (!s.requestId) continue;
    const row = byId.get(s.requestId);
    if (!row) missing++;
    // A stream's headers go out before any continuation: a recovered row has more attempts than its header said.
    else if (s.attempts !== null && s.attempts !== row.attempts && !(row.status === "recovered" && row.attempts > s.attempts)) attemptMismatches++;
  }
  for (const r of results) if (r.n !== r.attempts) attemptMismatches++;
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const unexpected = Math.max(0, results.length - sent);
  const answered = sent - unanswered;
  return {
    ...drain,
    drained: drain.drained || (unanswered > 0 && drain.rowsAfterDrain >= answered),
    requestsSent: sent,
    unanswered,
    missing,
    attemptMismatches,
    unexpected,
    attemptRows: results.reduce((s, r) => s + r.n, 0),
    statuses,
    ok: results.length >= answered && results.length <= sent && missing === 0 && attemptMismatches === 0,
  };
}
