import { createApp } from "./http/app";
import type { Bindings } from "./env";
import { rememberSecrets } from "./core/secrets";
import { logEvent } from "./core/log";
import { parseRetentionDays, runRollups } from "./jobs/rollup-job";
import { consumeLedgerBatch } from "./storage/ledger-queue";
import { consumeDeadLetters, LEDGER_DLQ } from "./storage/ledger-dead-letters";
import { deleteExpiredSamples } from "./storage/review-store";
import { activeConfig } from "./storage/config-store";
import { runDriftCheck } from "./jobs/drift-job";
import { deliverDriftFlags, DRIFT_QUEUE_NAME } from "./storage/drift-flags";
import { ALERT_QUEUE_NAME, deliverAlerts } from "./storage/budget-alerts";

export { ModelHealthObject } from "./storage/model-health-object";
export { SpendObject } from "./storage/spend-object";

const app = createApp();

export default {
  fetch: app.fetch,
  /** The ledger queue's consumer (entries to D1 in batches) and its dead-letter queue's (to D1, else parked in KV). */
  queue: (batch: MessageBatch<unknown>, env: Bindings) => {
    rememberSecrets(env);
    if (batch.queue === LEDGER_DLQ) return consumeDeadLetters(batch, env.LEDGER, env.CONFIG);
    if (batch.queue === DRIFT_QUEUE_NAME) return deliverDriftFlags(batch, env.DRIFT_WEBHOOK_URL, fetch);
    if (batch.queue === ALERT_QUEUE_NAME) return deliverAlerts(batch, env.BUDGET_ALERT_WEBHOOK_URL, fetch);
    return consumeLedgerBatch(batch, env.LEDGER);
  },
  /** The Cron Trigger (wrangler.toml [triggers]): stats rollups and raw-row retention. */
  async scheduled(controller: ScheduledController, env: Bindings) {
    rememberSecrets(env);
    const run = await runRollups(env.LEDGER, { now: controller.scheduledTime, retentionDays: parseRetentionDays(env.LEDGER_RETENTION_DAYS) });
    // Review samples keep their route's own retention (review.retentionDays); their labels stay.
    const reviewDeleted = await deleteExpiredSamples(env.LEDGER, controller.scheduledTime);
    // Drift: flags newly past their thresholds, posted once each to DRIFT_WEBHOOK_URL through the drift queue.
    const config = (await activeConfig(env.CONFIG, { ttlMs: 0, now: Date.now, waitUntil: () => undefined }).catch(() => null))?.config ?? null;
    const driftOpened = (await runDriftCheck(env.LEDGER, config, controller.scheduledTime, env.DRIFT_QUEUE, Boolean(env.DRIFT_WEBHOOK_URL))).length;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    logEvent("info", "stats_rollup", {
      hourWatermark: iso(run.hourWatermark), dayWatermark: iso(run.dayWatermark),
      hoursFolded: run.hoursFolded.length, hoursRefolded: run.hoursRefolded.length, daysFolded: run.daysFolded.length, rawDeleted: run.rawDeleted, reviewDeleted, driftOpened,
    });
  },
} satisfies ExportedHandler<Bindings>;
