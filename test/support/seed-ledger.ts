/** Ledger rows written straight into local D1, for tests that compute stats by hand from known rows. */
import { testEnv } from "./env";
import type { SeedFeedback, SeedRequest } from "./synthetic-ledger";

export { syntheticLedger, type SeedFeedback, type SeedRequest } from "./synthetic-ledger";

type Value = string | number | null;



function insert(db: D1Database, table: string, row: Record<string, Value | undefined>): D1PreparedStatement {
  const cols = Object.keys(row).filter((k) => row[k] !== undefined);
  return db.prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(", ")})`).bind(...cols.map((k) => row[k] as Value));
}

export interface SeedAttempt {
  request_id: string;
  seq: number;
  model?: string;
  ok?: 0 | 1;
  kind?: string;
  latency_ms?: number;
}

export async function seedLedger(requests: SeedRequest[], feedback: SeedFeedback[] = [], attempts: SeedAttempt[] = []): Promise<void> {
  const db = testEnv().LEDGER;
  const statements = [
    ...requests.map((r) => insert(db, "requests", { route: "default", status: "ok", http_status: r.status === "error" ? 502 : 200, latency_ms: 10, ...r })),
    ...feedback.map((f) => insert(db, "feedback", { ...f })),
    ...attempts.map((a) => insert(db, "attempts", { kind: "primary", model: "m", ok: 1, latency_ms: 10, ...a })),
  ];
  for (let i = 0; i < statements.length; i += 500) await db.batch(statements.slice(i, i + 500));
}
