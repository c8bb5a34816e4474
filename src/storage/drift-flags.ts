/**
 * Drift flags in D1 (drift_flags, migration 0011): a (route, metric) flag is open from the run that
 * first saw it past its threshold until a run sees it back under; opening is one INSERT, so a flag
 * is opened — and posted — once however many runs see it.
 */
import type { RouteDrift } from "../stats/drift";

export interface OpenedFlag {
  route: string;
  metric: string;
  openedAt: number;
  previous: number | null;
  current: number | null;
  change: number | null;
  threshold: number;
}

export const DRIFT_QUEUE_NAME = "tiergate-drift";

/** Opens flags newly past their threshold and clears those back under; returns the opened ones. */
export async function syncDriftFlags(db: D1Database, drift: Array<RouteDrift & { thresholds: Record<string, number> }>, now: number): Promise<OpenedFlag[]> {
  const { results } = await db.prepare("SELECT route, metric FROM drift_flags WHERE cleared_at IS NULL").all<{ route: string; metric: string }>();
  const open = new Set(results.map((r) => `${r.route}\u0000${r.metric}`));
  const flagged = new Set<string>();
  const opened: OpenedFlag[] = [];
  const statements: D1PreparedStatement[] = [];
  for (const d of drift) {
    for (const metric of d.flagged) {
      const key = `${d.route}\u0000${metric}`;
      flagged.add(key);
      if (open.has(key)) continue;
      const m = d.metrics[metric];
      opened.push({ route: d.route, metric, openedAt: now, previous: m.previous, current: m.current, change: m.change, threshold: d.thresholds[metric] ?? 0 });
      statements.push(db.prepare("INSERT OR IGNORE INTO drift_flags (route, metric, opened_at, previous, current) VALUES (?1, ?2, ?3, ?4, ?5)").bind(d.route, metric, now, m.previous, m.current));
    }
  }
  for (const key of open) {
    if (flagged.has(key)) continue;
    const [route, metric] = key.split("\u0000") as [string, string];
    statements.push(db.prepare("UPDATE drift_flags SET cleared_at = ?3 WHERE route = ?1 AND metric = ?2 AND cleared_at IS NULL").bind(route, metric, now));
  }
  if (statements.length > 0) await db.batch(statements);
  return opened;
}

/** The drift queue's consumer: one POST per opened flag to the webhook; a failure is retried by the queue. */
export async function deliverDriftFlags(batch: MessageBatch<unknown>, webhook: string | undefined, fetcher: typeof fetch): Promise<void> {
  for (const msg of batch.messages) {
    if (!webhook) {
      msg.ack();
      continue;
    }
    const flag = msg.body as OpenedFlag;
    const id = `drift:${flag.route}:${flag.metric}:${flag.openedAt}`;
    try {
      const res = await fetcher(webhook, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": id },
        body: JSON.stringify({ type: "route_drift", id, scope: `drift:${flag.route}:${flag.metric}`, ...flag, openedAt: new Date(flag.openedAt).toISOString() }),
      });
      if (res.ok) msg.ack();
      else msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    } catch {
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }
}
