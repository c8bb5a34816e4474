/**
 * Traffic statistics from the ledger, summed in D1: answered requests of a period grouped by
 * feature, prompt-length bucket, answering model and the two budget verdicts (see
 * src/simulate/traffic-mix.ts for what they mean), plus the other requests counted by status.
 * Uses the `requests_ts` index; the groups are few (features × buckets × models × 4).
 */
import type { TrafficGroupRow } from "../ledger/traffic-group";

export interface TrafficQuery {
  /** ms since epoch, inclusive. */
  from: number;
  /** ms since epoch, exclusive. */
  to: number;
  /** Upper bounds (exclusive) of the prompt-length buckets, in input tokens: bucket i is below bounds[i]. */
  bucketBounds: readonly number[];
}

interface RawGroup {
  feature: string | null;
  bucket: number;
  served_model: string | null;
  clean: number;
  rated_tier1: number;
  requests: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
}

export async function readTrafficGroups(db: D1Database, q: TrafficQuery): Promise<{ groups: TrafficGroupRow[]; excluded: Record<string, number> }> {
  const bounds = q.bucketBounds;
  const bucketSql = bounds.length === 0 ? "0" : `CASE ${bounds.map((_, i) => `WHEN input_tokens < ?${i + 3} THEN ${i}`).join(" ")} ELSE ${bounds.length} END`;
  const groupsSql = `
    SELECT feature, ${bucketSql} AS bucket, served_model,
      CASE WHEN escalations = 0 AND (quality IS NULL OR quality <> 'failed')
            AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.request_id = requests.id AND f.success = 0) THEN 1 ELSE 0 END AS clean,
      CASE WHEN classifier_tier = 1 THEN 1 ELSE 0 END AS rated_tier1,
      COUNT(*) AS requests, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, SUM(cost_usd) AS cost_usd
    FROM requests
    WHERE ts >= ?1 AND ts < ?2 AND status = 'ok'
    GROUP BY feature, bucket, served_model, clean, rated_tier1`;
  const statusSql = "SELECT status, COUNT(*) AS n FROM requests WHERE ts >= ?1 AND ts < ?2 AND status <> 'ok' GROUP BY status";
  const [groups, statuses] = await db.batch<RawGroup | { status: string; n: number }>([
    db.prepare(groupsSql).bind(q.from, q.to, ...bounds),
    db.prepare(statusSql).bind(q.from, q.to),
  ]);
  const excluded: Record<string, number> = {};
  for (const s of (statuses?.results ?? []) as Array<{ status: string; n: number }>) excluded[s.status] = s.n;
  return {
    groups: ((groups?.results ?? []) as RawGroup[]).map((g) => ({
      feature: g.feature,
      bucket: g.bucket,
      servedModel: g.served_model,
      clean: g.clean === 1,
      ratedTier1: g.rated_tier1 === 1,
      requests: g.requests,
      inputTokens: g.input_tokens ?? 0,
      outputTokens: g.output_tokens ?? 0,
      costUsd: g.cost_usd ?? 0,
    })),
    excluded,
  };
}
