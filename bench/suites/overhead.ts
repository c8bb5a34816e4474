/**
 * Overhead: latency each gateway adds over calling the fake upstream directly (p50/p99; total time
 * for non-stream answers, time to first byte for streams) at 1, 10 and 50 connections, and
 * throughput at saturation. Targets take turns cell by cell, so drift hits them alike; between
 * runs each waits until the previous one's leftovers (tiergate's ledger writes) are done.
 */
import autocannon from "autocannon";
import { auditLedger, ledgerMark, type LedgerAudit } from "../lib/ledger";
import { closedLoop, type Sample } from "../lib/http-load";
import { cpuSeconds, waitIdle } from "../lib/procs";
import { distribution, round, type Distribution } from "../lib/stats";
import type { Mode, Target } from "../lib/targets";

export interface OverheadParams {
  connections: number[];
  durationMs: number;
  warmupMs: number;
  saturationSeconds: number;
  saturationConnections: number;
  /** Which kinds of request to measure (both by default). */
  modes?: Array<"non-stream" | "stream">;
}

export interface Cell {
  target: Target["key"];
  mode: Mode;
  connections: number;
  requests: number;
  errors: number;
  /** Errors that were answers (an error status or a broken body), not client timeouts. */
  httpErrors: number;
  rps: number;
  /** Non-stream: whole answer; stream: first byte. */
  latency: Distribution;
  total: Distribution;
  /** CPU time the target's own processes spent per request (warm-up and leftover work such as ledger writes included). */
  cpuMsPerRequest: number | null;
  ledger?: LedgerAudit;
}

export interface Saturation {
  target: Target["key"];
  connections: number;
  seconds: number;
  rps: number;
  requests: number;
  sent: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number | null;
  ledger?: LedgerAudit;
}

export interface OverheadResult {
  params: OverheadParams;
  cells: Cell[];
  saturation: Saturation[];
}

const ms = (v: Distribution): Distribution => ({ ...v, p50: round(v.p50, 3), p90: round(v.p90, 3), p99: round(v.p99, 3), max: round(v.max, 3), mean: round(v.mean, 3) });
const failed = (s: Sample) => s.status !== 200 || !s.complete;

async function settle(t: Target, sent: number, all: readonly Sample[], mark: Awaited<ReturnType<typeof ledgerMark>> | null): Promise<LedgerAudit | undefined> {
  const audit = t.ledger && mark ? await auditLedger(t.ledger, mark, sent, all) : undefined;
  await waitIdle(t.pids());
  return audit;
}

export async function runOverhead(targets: Target[], p: OverheadParams, log: (m: string) => void): Promise<OverheadResult> {
  const cells: Cell[] = [];
  for (const mode of p.modes ?? (["non-stream", "stream"] as const)) {
    for (const connections of p.connections) {
      for (const t of targets) {
        const mark = t.ledger ? await ledgerMark(t.ledger) : null;
        const cpu0 = cpuSeconds(t.pids());
        const r = await closedLoop(t.origin, t.spec(mode), { connections, durationMs: p.durationMs, warmupMs: p.warmupMs, timeoutMs: 30_000 });
        const ledger = await settle(t, r.all.length, r.all, mark);
        const cpuMs = ((cpuSeconds(t.pids()) - cpu0) * 1000) / Math.max(1, r.all.length);
        const cell: Cell = {
          target: t.key, mode, connections, requests: r.samples.length, errors: r.samples.filter(failed).length, httpErrors: r.samples.filter((s) => s.status !== 0 && failed(s)).length,
          rps: round(r.samples.length / r.seconds, 1) ?? 0,
          latency: ms(distribution(r.samples.map((s) => (mode === "stream" ? (s.firstByteMs ?? s.totalMs) : s.totalMs)))),
          total: ms(distribution(r.samples.map((s) => s.totalMs))),
          cpuMsPerRequest: round(cpuMs, 3),
          ...(ledger ? { ledger } : {}),
        };
        cells.push(cell);
        log(`  ${mode.padEnd(10)} c=${String(connections).padEnd(3)} ${t.key.padEnd(18)} p50 ${cell.latency.p50} ms  p99 ${cell.latency.p99} ms  ${cell.rps} req/s  errors ${cell.errors}  cpu ${cell.cpuMsPerRequest} ms/req${ledger ? `  ledger ${ledger.rowsAfterDrain}/${ledger.requestsSent}` : ""}`);
      }
    }
  }

  const saturation: Saturation[] = [];
  for (const t of targets) {
    const spec = t.spec("instant");
    const mark = t.ledger ? await ledgerMark(t.ledger) : null;
    const cpu0 = cpuSeconds(t.pids());
    const r = await autocannon({
      url: t.origin + spec.path, method: "POST", headers: spec.headers ?? {}, body: typeof spec.body === "string" ? spec.body : "",
      connections: p.saturationConnections, duration: p.saturationSeconds, timeout: 30,
    });
    const ledger = t.ledger && mark ? await auditLedger(t.ledger, mark, r.requests.sent, []) : undefined;
    await waitIdle(t.pids());
    const cpuMs = ((cpuSeconds(t.pids()) - cpu0) * 1000) / Math.max(1, r.requests.sent);
    const s: Saturation = {
      target: t.key, connections: p.saturationConnections, seconds: p.saturationSeconds,
      rps: round(r.requests.average, 0) ?? 0, requests: r.requests.total, sent: r.requests.sent, non2xx: r.non2xx, errors: r.errors + r.timeouts,
      p50: r.latency.p50, p99: r.latency.p99, cpuMsPerRequest: round(cpuMs, 3), ...(ledger ? { ledger } : {}),
    };
    saturation.push(s);
    log(`  saturation c=${p.saturationConnections} ${t.key.padEnd(18)} ${s.rps} req/s  non2xx ${s.non2xx}  errors ${s.errors}  cpu ${s.cpuMsPerRequest} ms/req${ledger ? `  ledger ${ledger.rowsAtEnd} rows at end, ${ledger.rowsAfterDrain}/${ledger.requestsSent} after ${Math.round(ledger.drainMs)} ms` : ""}`);
  }
  return { params: p, cells, saturation };
}
