/** Ledger rows written straight into local D1, for tests that compute stats by hand from known rows. */
import { testEnv } from "./env";

type Value = string | number | null;

/** A `requests` row by column name; unspecified columns take their schema default. */
export interface SeedRequest {
  id: string;
  ts: number;
  route?: string;
  status?: "ok" | "error" | "partial" | "aborted";
  http_status?: number;
  latency_ms?: number;
  [column: string]: Value | undefined;
}

export interface SeedFeedback {
  request_id: string;
  ts: number;
  success?: 0 | 1 | null;
  score?: number | null;
  label?: string | null;
}

function insert(db: D1Database, table: string, row: Record<string, Value | undefined>): D1PreparedStatement {
  const cols = Object.keys(row).filter((k) => row[k] !== undefined);
  return db.prepare(`INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `?${i + 1}`).join(", ")})`).bind(...cols.map((k) => row[k] as Value));
}

export async function seedLedger(requests: SeedRequest[], feedback: SeedFeedback[] = []): Promise<void> {
  const db = testEnv().LEDGER;
  await db.batch([
    ...requests.map((r) => insert(db, "requests", { route: "default", status: "ok", http_status: r.status === "error" ? 502 : 200, latency_ms: 10, ...r })),
    ...feedback.map((f) => insert(db, "feedback", { ...f })),
  ]);
}
