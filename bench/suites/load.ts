/**
 * Load: a sustained run at a fixed rate (open loop) through tiergate on Miniflare with the ledger
 * on. Reports errors, latency per window (drift), the workerd process's memory, and ledger rows
 * written against requests sent (at the end of the load and after the ledger drained).
 */
import { auditLedger, ledgerMark, rowsSince, type LedgerAudit } from "../lib/ledger";
import { openLoop, type Sample } from "../lib/http-load";
import { cpuMeter, rssMiB, type CpuUse } from "../lib/procs";
import { distribution, round } from "../lib/stats";
import { gatewaySpec } from "../lib/targets";
import type { MiniflareGateway } from "../lib/gateway-miniflare";

export interface LoadParams {
  ratePerSecond: number;
  durationMs: number;
  windowMs: number;
  /** Share of requests that stream. */
  streamShare: number;
}

export interface LoadWindow {
  fromS: number;
  requests: number;
  errors: number;
  p50: number | null;
  p99: number | null;
  /** Ledger rows written by the end of this window (all requests since the start). */
  ledgerRows: number | null;
  rssMiB: number | null;
}

export interface LoadResult {
  params: LoadParams;
  sent: number;
  skipped: number;
  achievedRps: number;
  errors: number;
  errorKinds: Record<string, number>;
  latency: { p50: number | null; p99: number | null; max: number | null };
  /** p50 of the last window minus p50 of the first. */
  driftP50Ms: number | null;
  driftP99Ms: number | null;
  windows: LoadWindow[];
  memory: { startMiB: number | null; peakMiB: number | null; endMiB: number | null; afterDrainMiB: number | null };
  ledger: LedgerAudit;
  cpu: CpuUse;
}

const failed = (s: Sample) => s.status !== 200 || !s.complete;

export async function runLoad(gw: MiniflareGateway, p: LoadParams, log: (m: string) => void): Promise<LoadResult> {
  const pid = gw.workerdPid;
  const mem = () => (pid ? rssMiB(pid) : null);
  const mark = await ledgerMark(gw.ledger);
  const startMiB = mem();
  let peak = startMiB ?? 0;
  const snapshots: Array<{ atS: number; rows: number; rss: number | null }> = [];
  const t0 = performance.now();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await new Promise((r) => setTimeout(r, p.windowMs));
      if (!sampling) break;
      const rss = mem();
      if (rss !== null) peak = Math.max(peak, rss);
      // A failed read costs one snapshot, never the run.
      const rows = await rowsSince(gw.ledger, mark).catch(() => null);
      if (rows !== null) snapshots.push({ atS: (performance.now() - t0) / 1000, rows, rss });
    }
  })();
  const meter = cpuMeter();
  const every = p.streamShare > 0 ? Math.round(1 / p.streamShare) : 0;
  const run = await openLoop(gw.origin, (i) => gatewaySpec(every > 0 && i % every === 0 ? "stream" : "non-stream"), {
    ratePerSecond: p.ratePerSecond, durationMs: p.durationMs, maxInFlight: 256, timeoutMs: 30_000,
  });
  const cpu = meter();
  sampling = false;
  await sampler;
  const endMiB = mem();
  const ledger = await auditLedger(gw.ledger, mark, run.samples.length, run.samples);
  const afterDrainMiB = mem();

  const windows: LoadWindow[] = [];
  for (let from = 0; from < p.durationMs; from += p.windowMs) {
    const inWindow = run.samples.filter((s) => s.at >= from && s.at < from + p.windowMs);
    const ok = inWindow.filter((s) => !failed(s) && s.firstByteMs !== null);
    const d = distribution(ok.map((s) => s.totalMs));
    // The snapshot taken as this window ended (none for the last one: the run was over).
    const snap = snapshots.find((s) => s.atS * 1000 >= from + p.windowMs && s.atS * 1000 < from + 2 * p.windowMs);
    windows.push({ fromS: from / 1000, requests: inWindow.length, errors: inWindow.filter(failed).length, p50: round(d.p50), p99: round(d.p99), ledgerRows: snap?.rows ?? null, rssMiB: round(snap?.rss ?? null, 1) });
  }
  const errorKinds: Record<string, number> = {};
  for (const s of run.samples.filter(failed)) {
    const k = s.status === 0 ? `no response (${s.error ?? "?"})` : s.status === 200 ? "200 but incomplete" : `HTTP ${s.status}`;
    errorKinds[k] = (errorKinds[k] ?? 0) + 1;
  }
  const all = distribution(run.samples.filter((s) => !failed(s)).map((s) => s.totalMs));
  const first = windows[0];
  const last = windows.at(-1);
  const result: LoadResult = {
    params: p, sent: run.samples.length, skipped: run.skipped, achievedRps: round(run.samples.length / (p.durationMs / 1000), 1) ?? 0,
    errors: run.samples.filter(failed).length, errorKinds,
    latency: { p50: round(all.p50), p99: round(all.p99), max: round(all.max) },
    driftP50Ms: first?.p50 != null && last?.p50 != null ? round(last.p50 - first.p50) : null,
    driftP99Ms: first?.p99 != null && last?.p99 != null ? round(last.p99 - first.p99) : null,
    windows,
    memory: { startMiB: round(startMiB, 1), peakMiB: round(peak, 1), endMiB: round(endMiB, 1), afterDrainMiB: round(afterDrainMiB, 1) },
    ledger, cpu,
  };
  log(`  ${result.sent} requests at ${p.ratePerSecond}/s for ${p.durationMs / 1000} s: ${result.errors} errors, ${result.skipped} not sent (client backlog), p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms, drift p50 ${result.driftP50Ms} ms`);
  log(`  workerd RSS ${result.memory.startMiB} → peak ${result.memory.peakMiB} MiB; ledger ${ledger.rowsAtEnd} rows at end of load, ${ledger.rowsAfterDrain}/${ledger.requestsSent} after ${Math.round(ledger.drainMs)} ms (missing ${ledger.missing}, attempt mismatches ${ledger.attemptMismatches})`);
  return result;
}
