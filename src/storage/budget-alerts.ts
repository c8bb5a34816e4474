/**
 * Budget alerts: recorded in D1 (one row per scope, period and threshold: INSERT OR IGNORE, so a
 * threshold is recorded once however often it is reported) and sent through the alert queue to
 * the webhook; a failed POST is retried by the queue (max_retries in wrangler.toml).
 */
export const ALERT_QUEUE_NAME = "tiergate-alerts";

export interface BudgetAlert {
  scope: string;
  periodStart: number;
  period: string;
  threshold: number;
  spentUsd: number;
  limitUsd: number;
  ts: number;
}

export async function recordAlert(db: D1Database, a: BudgetAlert): Promise<boolean> {
  const r = await db
    .prepare("INSERT OR IGNORE INTO budget_alerts (scope, period_start, threshold, ts, spent_usd, limit_usd) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
    .bind(a.scope, a.periodStart, a.threshold, a.ts, a.spentUsd, a.limitUsd)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

export async function alertsFor(db: D1Database, scope: string, periodStart: number): Promise<number[]> {
  const { results } = await db.prepare("SELECT threshold FROM budget_alerts WHERE scope = ?1 AND period_start = ?2 ORDER BY threshold").bind(scope, periodStart).all<{ threshold: number }>();
  return results.map((r) => r.threshold);
}

export async function deliverAlerts(batch: MessageBatch<unknown>, webhook: string | undefined, fetcher: typeof fetch): Promise<void> {
  for (const msg of batch.messages) {
    if (!webhook) {
      msg.ack();
      continue;
    }
    try {
      const a = msg.body as BudgetAlert;
      // One id per scope, period and threshold: a receiver that saw a delivery the queue retries can tell it is the same.
      const id = `${a.scope}:${a.periodStart}:${a.threshold}`;
      const res = await fetcher(webhook, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": id }, body: JSON.stringify({ type: "budget_alert", id, ...a }) });
      if (res.ok) msg.ack();
      else msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    } catch {
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }
}
