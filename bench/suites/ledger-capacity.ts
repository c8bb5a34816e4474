/**
 * Ledger capacity: how many ledger entries per second local D1 takes through the gateway's
 * writer, one entry per db.batch (today: one batch per request, from waitUntil) against
 * several entries per batch (a batching writer), with D1 in a file and in memory. Explains
 * the throughput figures: in workerd the D1 writes share the thread that serves requests.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { migrationStatements, REPO, type D1Like } from "../lib/gateway-miniflare";
import { freePort } from "../lib/procs";

export interface LedgerCapacityParams {
  entries: number;
  perBatch: number[];
  concurrency: number[];
}

export interface CapacityRow {
  d1: "file" | "memory";
  perBatch: number;
  concurrency: number;
  entries: number;
  rows: number;
  ms: number;
  entriesPerSecond: number | null;
}

export async function runLedgerCapacity(p: LedgerCapacityParams, stateDir: string, log: (m: string) => void): Promise<CapacityRow[]> {
  const outdir = join(REPO, "dist/ledger-probe");
  execFileSync(process.execPath, [join(REPO, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "-c", join(REPO, "bench/workers/ledger-probe.toml")], {
    cwd: REPO, stdio: ["ignore", "ignore", "pipe"],
  });
  const rows: CapacityRow[] = [];
  for (const d1 of ["file", "memory"] as const) {
    const port = await freePort();
    const mf = new Miniflare({
      scriptPath: join(outdir, "ledger-probe.js"), modules: true, compatibilityDate: "2026-04-20", compatibilityFlags: ["nodejs_compat"],
      d1Databases: ["LEDGER"], d1Persist: d1 === "file" ? join(stateDir, `probe-${d1}`) : false, host: "127.0.0.1", port, cf: false, log: new Log(LogLevel.WARN),
    });
    try {
      await mf.ready;
      const db = (await mf.getD1Database("LEDGER")) as unknown as D1Like;
      for (const sql of migrationStatements()) await db.prepare(sql).run();
      for (const per of p.perBatch) {
        for (const conc of p.concurrency) {
          const res = await fetch(`http://127.0.0.1:${port}/?n=${p.entries}&per=${per}&conc=${conc}`, { signal: AbortSignal.timeout(300_000) });
          const r = (await res.json()) as Omit<CapacityRow, "d1" | "perBatch" | "concurrency" | "entries"> & { n: number };
          const row: CapacityRow = { d1, perBatch: per, concurrency: conc, entries: r.n, rows: r.rows, ms: r.ms, entriesPerSecond: r.entriesPerSecond };
          rows.push(row);
          log(`  D1 ${d1.padEnd(6)} ${String(per).padStart(3)} entries/batch, ${String(conc).padStart(2)} writers: ${row.entriesPerSecond} entries/s (${row.rows}/${row.entries} rows)`);
        }
      }
    } finally {
      await mf.dispose();
    }
  }
  return rows;
}
