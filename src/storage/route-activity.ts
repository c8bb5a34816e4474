/** One route's recent requests and its check verdicts per check type, from raw ledger rows (within the retention). */
export interface RecentRequest {
  id: string;
  ts: number;
  status: string;
  served_model: string | null;
  feature: string | null;
  team: string | null;
  cost_usd: number;
  latency_ms: number;
  quality: string | null;
  escalations: number;
}

export async function recentRequests(db: D1Database, route: string, from: number, to: number, limit = 50): Promise<RecentRequest[]> {
  const { results } = await db
    .prepare("SELECT id, ts, status, served_model, feature, team, cost_usd, latency_ms, quality, escalations FROM requests WHERE route = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts DESC LIMIT ?4")
    .bind(route, from, to, limit)
    .all<RecentRequest>();
  return results;
}

export interface CheckVerdicts {
  type: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** Verdicts of every check run on the route's attempts (attempts.checks JSON), by check type. Uses requests_route_ts. */
export async function checkVerdicts(db: D1Database, route: string, from: number, to: number): Promise<CheckVerdicts[]> {
  const { results } = await db
    .prepare(`SELECT json_extract(j.value, '$.type') AS type,
        SUM(json_extract(j.value, '$.passed') = 1) AS passed, SUM(json_extract(j.value, '$.passed') = 0) AS failed,
        SUM(json_extract(j.value, '$.passed') IS NULL) AS skipped
      FROM requests r JOIN attempts a ON a.request_id = r.id, json_each(a.checks) j
      WHERE r.route = ?1 AND r.ts >= ?2 AND r.ts < ?3 AND a.checks IS NOT NULL GROUP BY type ORDER BY type`)
    .bind(route, from, to)
    .all<CheckVerdicts>();
  return results.map((r) => ({ type: String(r.type), passed: Number(r.passed ?? 0), failed: Number(r.failed ?? 0), skipped: Number(r.skipped ?? 0) }));
}
