/**
 * The cron's drift step (src/index.ts `scheduled`, after the rollups): per route, the last 7 days
 * against the 7 before (src/storage/drift-read.ts, thresholds from the config); a (route, metric)
 * newly past its threshold opens a flag (src/storage/drift-flags.ts) and, when DRIFT_WEBHOOK_URL is
 * set, goes to the drift queue, whose consumer POSTs it once (retried by the queue on failure).
 */
import type { Config } from "../config/schema";
import { driftThresholdsFor } from "../stats/drift";
import { type OpenedFlag, syncDriftFlags } from "../storage/drift-flags";
import { readRouteDrift } from "../storage/drift-read";

export async function runDriftCheck(db: D1Database, config: Config | null, now: number, queue: Queue | undefined, webhookSet: boolean): Promise<OpenedFlag[]> {
  const drift = await readRouteDrift(db, config, now);
  const opened = await syncDriftFlags(db, drift.map((d) => ({ ...d, thresholds: { ...driftThresholdsFor(config, d.route) } })), now);
  if (queue && webhookSet && opened.length > 0) await queue.sendBatch(opened.map((body) => ({ body })));
  return opened;
}
