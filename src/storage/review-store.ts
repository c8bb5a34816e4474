/**
 * The review sample and its labels in D1 (migrations/0011_review_sample.sql): samples written when a
 * sampled request ends, the queue the review page lists, labels (one per request, a new one
 * replaces the old) and the cron's delete of expired samples. Labels have no text and are kept.
 */
import type { ReviewSample } from "../ledger/review-sample";

export interface ReviewLabel {
  requestId: string;
  route: string;
  tier: 1 | 2 | 3;
  goodEnough: boolean;
  labeller: string;
  at: number;
}

export interface ReviewItem {
  request_id: string;
  ts: number;
  route: string;
  classifier_tier: number | null;
  served_model: string | null;
  prompt: string | null;
  answer: string | null;
  truncated: number;
  expires_at: number;
  label_tier: number | null;
  label_good_enough: number | null;
  labeller: string | null;
  labelled_at: number | null;
}

export async function writeReviewSample(db: D1Database, s: ReviewSample): Promise<void> {
  await db
    .prepare(`INSERT OR REPLACE INTO review_samples (request_id, ts, route, classifier_tier, served_model, prompt, answer, truncated, expires_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`)
    .bind(s.requestId, s.ts, s.route, s.classifierTier, s.servedModel, s.prompt, s.answer, s.truncated ? 1 : 0, s.expiresAt)
    .run();
}

/** Samples newest first (unlabelled only unless `all`), with their label if any. */
export async function listReviewQueue(db: D1Database, opts: { route?: string; all?: boolean; limit?: number } = {}): Promise<ReviewItem[]> {
  const where = ["1 = 1"];
  const binds: Array<string | number> = [];
  if (opts.route) {
    binds.push(opts.route);
    where.push(`s.route = ?${binds.length}`);
  }
  if (!opts.all) where.push("l.request_id IS NULL");
  binds.push(Math.min(Math.max(opts.limit ?? 50, 1), 500));
  const { results } = await db
    .prepare(`SELECT s.*, l.tier AS label_tier, l.good_enough AS label_good_enough, l.labeller AS labeller, l.at AS labelled_at
      FROM review_samples s LEFT JOIN review_labels l ON l.request_id = s.request_id
      WHERE ${where.join(" AND ")} ORDER BY s.ts DESC LIMIT ?${binds.length}`)
    .bind(...binds)
    .all<ReviewItem>();
  return results;
}

export async function readReviewSample(db: D1Database, requestId: string): Promise<{ request_id: string; route: string } | null> {
  return db.prepare("SELECT request_id, route FROM review_samples WHERE request_id = ?1").bind(requestId).first<{ request_id: string; route: string }>();
}

export async function writeReviewLabel(db: D1Database, l: ReviewLabel): Promise<void> {
  await db
    .prepare("INSERT OR REPLACE INTO review_labels (request_id, route, tier, good_enough, labeller, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
    .bind(l.requestId, l.route, l.tier, l.goodEnough ? 1 : 0, l.labeller, l.at)
    .run();
}

/** Deletes samples whose retention ended (their labels stay). Returns how many. */
export async function deleteExpiredSamples(db: D1Database, now: number): Promise<number> {
  const r = await db.prepare("DELETE FROM review_samples WHERE expires_at <= ?1").bind(now).run();
  return r.meta.changes ?? 0;
}

/** Labels a sampled request (its route from the sample); null when no sample has that id. */
export async function labelSample(db: D1Database, requestId: string, input: { tier: 1 | 2 | 3; goodEnough: boolean }, labeller: string, at: number): Promise<ReviewLabel | null> {
  const sample = await readReviewSample(db, requestId);
  if (!sample) return null;
  const label: ReviewLabel = { requestId, route: sample.route, tier: input.tier, goodEnough: input.goodEnough, labeller, at };
  await writeReviewLabel(db, label);
  return label;
}
