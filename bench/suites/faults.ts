/**
 * Faults: the primary upstream failing 10%, 50% and 100% of calls, refusing connections, hanging
 * up, timing out, cutting or stalling streams, and an outage window under a fixed rate. Success
 * with fallbacks must be 100% whenever a healthy target exists and nothing had reached the
 * client yet; every request, failed ones included, must have its ledger row and attempts.
 */
import { auditLedger, ledgerMark, type LedgerAudit } from "../lib/ledger";
import { BENCH_CLIENT_HEADERS } from "../lib/client-key";
import { closedLoop, openLoop, type RequestSpec, type Sample } from "../lib/http-load";
import { distribution, round } from "../lib/stats";
import { FAULT_SCENARIOS, type FaultScenario } from "../lib/configs";
import type { MiniflareGateway } from "../lib/gateway-miniflare";

export interface FaultParams {
  requestsPerScenario: number;
  connections: number;
  outage: { ratePerSecond: number; durationMs: number; afterMs: number; forMs: number };
}

export interface FaultRow {
  name: string;
  what: string;
  mode: FaultScenario["mode"];
  expect: FaultScenario["expect"];
  sent: number;
  succeeded: number;
  successRate: number;
  statuses: Record<string, number>;
  meanAttempts: number | null;
  p50: number | null;
  p99: number | null;
  /** Against the reference run of the same mode. */
  addedP50: number | null;
  addedP99: number | null;
  ledger: LedgerAudit;
  verdict: "pass" | "FAIL";
  why?: string;
}

export interface OutageResult {
  params: FaultParams["outage"];
  sent: number;
  succeeded: number;
  successRate: number;
  inWindow: { requests: number; p50: number | null; p99: number | null; meanAttempts: number | null };
  outsideWindow: { requests: number; p50: number | null; p99: number | null; meanAttempts: number | null };
  ledger: LedgerAudit;
  verdict: "pass" | "FAIL";
  why?: string;
}

const prompt = [{ role: "user", content: "A fault-injection request." }];
const specFor = (feature: string, stream: boolean): RequestSpec => ({
  path: "/v1/chat/completions",
  headers: { "content-type": "application/json", ...BENCH_CLIENT_HEADERS, "x-tiergate-feature": feature },
  body: JSON.stringify({ model: "auto", messages: prompt, ...(stream ? { stream: true } : {}) }),
});
const ok = (s: Sample) => s.status === 200 && s.complete;
const isErrorBody = (s: Sample) => {
  try {
    const e = (JSON.parse(s.body ?? "") as { error?: { message?: unknown; type?: unknown; code?: unknown } }).error;
    return typeof e?.message === "string" && typeof e.type === "string" && typeof e.code === "string";
  } catch {
    return false;
  }
};
/** The text every fault-suite answer has (SHAPE's tokens=10), however many upstream calls made it. */
const WHOLE_ANSWER = Array.from({ length: 10 }, () => "tok").join(" ");
/** A streamed answer's text as the client assembles it from the content deltas. */
function streamText(body: string): string {
  let text = "";
  for (const line of body.split("\n")) {
    if (!line.startsWith("data: {")) continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: Array<{ delta?: { content?: string | null } }> };
    for (const c of chunk.choices ?? []) text += c.delta?.content ?? "";
  }
  return text;
}
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const latencyOf = (s: Sample, stream: boolean) => (stream ? (s.firstByteMs ?? s.totalMs) : s.totalMs);

function judge(s: FaultScenario, samples: Sample[], ledger: LedgerAudit): { verdict: "pass" | "FAIL"; why?: string } {
  const why: string[] = [];
  if (!ledger.ok) why.push(`ledger: ${ledger.rowsAfterDrain} rows for ${ledger.requestsSent} requests, ${ledger.missing} missing, ${ledger.attemptMismatches} attempt mismatches`);
  const failed = samples.filter((x) => !ok(x)).length;
  const internal = samples.filter((x) => x.status >= 500 && x.status !== 502 && x.status !== 504).length;
  if (internal > 0) why.push(`${internal} answers were server errors other than 502/504 (an internal error in the gateway)`);
  if (s.expect === "all-ok" && failed > 0) why.push(`${failed} of ${samples.length} requests failed although a healthy fallback existed (${failureKinds(samples.filter((x) => !ok(x)))})`);
  if (s.expect === "recovered-after-content") {
    if (failed > 0) why.push(`${failed} of ${samples.length} answers did not reach the client whole although a healthy fallback could continue them`);
    const wrong = samples.filter((x) => ok(x) && streamText(x.body ?? "") !== WHOLE_ANSWER).length;
    if (wrong > 0) why.push(`${wrong} answers ended in [DONE] but their text is not the whole answer (lost or repeated at a seam)`);
    const recovered = ledger.statuses.recovered ?? 0;
    if (recovered === 0) why.push("no ledger row says recovered: no stream was cut, or continuations are not recorded");
    if (recovered + (ledger.statuses.ok ?? 0) !== samples.length) why.push(`ledger rows ${JSON.stringify(ledger.statuses)} for ${samples.length} answers that all finished`);
  }
  if (s.expect === "partial-after-content") {
    const partialRows = ledger.statuses.partial ?? 0;
    if (partialRows !== failed) why.push(`${failed} incomplete answers but ${partialRows} ledger rows with status partial`);
  }
  if (s.expect === "all-fail") {
    const bad = samples.filter((x) => x.status !== 502 || !isErrorBody(x)).length;
    if (bad > 0) why.push(`${bad} answers were not a 502 with an OpenAI error body`);
    if (ledger.attemptRows !== 2 * samples.length) why.push(`${ledger.attemptRows} attempt rows for ${samples.length} requests of 2 attempts`);
  }
  return why.length ? { verdict: "FAIL", why: why.join("; ") } : { verdict: "pass" };
}

export async function runFaults(gw: MiniflareGateway, p: FaultParams, log: (m: string) => void): Promise<{ scenarios: FaultRow[]; outage: OutageResult }> {
  const rows: FaultRow[] = [];
  const reference: Record<string, { p50: number | null; p99: number | null }> = {};
  for (const s of FAULT_SCENARIOS) {
    const stream = s.mode === "stream";
    const mark = await ledgerMark(gw.ledger);
    const r = await closedLoop(gw.origin, specFor(s.name, stream), { connections: p.connections, count: p.requestsPerScenario, warmupMs: 0, timeoutMs: 30_000, keepBody: s.expect === "all-fail" || s.expect === "recovered-after-content" });
    const ledger = await auditLedger(gw.ledger, mark, r.all.length, r.all);
    const good = r.samples.filter(ok);
    const d = distribution((s.expect === "all-fail" ? r.samples : good).map((x) => latencyOf(x, stream)));
    if (s.name === "baseline" || s.name === "stream-baseline") reference[s.mode] = { p50: d.p50, p99: d.p99 };
    const ref = reference[s.mode];
    const statuses: Record<string, number> = {};
    for (const x of r.samples) statuses[x.status === 200 && !x.complete ? "200 incomplete" : String(x.status)] = (statuses[x.status === 200 && !x.complete ? "200 incomplete" : String(x.status)] ?? 0) + 1;
    const row: FaultRow = {
      name: s.name, what: s.what, mode: s.mode, expect: s.expect, sent: r.samples.length, succeeded: good.length,
      successRate: round(good.length / Math.max(1, r.samples.length), 4) ?? 0, statuses,
      meanAttempts: round(mean(r.samples.map((x) => x.attempts ?? 0)), 3),
      p50: round(d.p50), p99: round(d.p99),
      addedP50: ref && d.p50 !== null && ref.p50 !== null && s.expect !== "all-fail" ? round(d.p50 - ref.p50) : null,
      addedP99: ref && d.p99 !== null && ref.p99 !== null && s.expect !== "all-fail" ? round(d.p99 - ref.p99) : null,
      ledger, ...judge(s, r.samples, ledger),
    };
    rows.push(row);
    log(`  ${s.name.padEnd(20)} ${row.succeeded}/${row.sent} ok, attempts/request ${row.meanAttempts}, p50 ${row.p50} ms (+${row.addedP50}), p99 ${row.p99} ms (+${row.addedP99}), ledger ${ledger.rowsAfterDrain}/${ledger.requestsSent} rows ${JSON.stringify(ledger.statuses)} → ${row.verdict}${row.why ? `: ${row.why}` : ""}`);
  }

  const o = p.outage;
  const mark = await ledgerMark(gw.ledger);
  const run = await openLoop(gw.origin, () => specFor("outage", false), { ratePerSecond: o.ratePerSecond, durationMs: o.durationMs, maxInFlight: 256, timeoutMs: 30_000 });
  const ledger = await auditLedger(gw.ledger, mark, run.samples.length, run.samples);
  // The window starts at the primary's first call, a few ms after the first request was sent.
  const inside = (x: Sample) => x.at >= o.afterMs && x.at < o.afterMs + o.forMs;
  const part = (xs: Sample[]) => {
    const d = distribution(xs.filter(ok).map((x) => x.totalMs));
    return { requests: xs.length, p50: round(d.p50), p99: round(d.p99), meanAttempts: round(mean(xs.map((x) => x.attempts ?? 0)), 3) };
  };
  const succeeded = run.samples.filter(ok).length;
  const why: string[] = [];
  if (succeeded !== run.samples.length) why.push(`${run.samples.length - succeeded} of ${run.samples.length} requests failed although a healthy fallback existed (${failureKinds(run.samples.filter((x) => !ok(x)))})`);
  if (!ledger.ok) why.push(`ledger: ${ledger.rowsAfterDrain} rows for ${ledger.requestsSent} requests, ${ledger.missing} missing`);
  const outage: OutageResult = {
    params: o, sent: run.samples.length, succeeded, successRate: round(succeeded / Math.max(1, run.samples.length), 4) ?? 0,
    inWindow: part(run.samples.filter(inside)), outsideWindow: part(run.samples.filter((x) => !inside(x))), ledger,
    verdict: why.length ? "FAIL" : "pass", ...(why.length ? { why: why.join("; ") } : {}),
  };
  log(`  outage window        ${succeeded}/${run.samples.length} ok at ${o.ratePerSecond}/s; in window p50 ${outage.inWindow.p50} ms attempts ${outage.inWindow.meanAttempts}, outside p50 ${outage.outsideWindow.p50} ms; ledger ${ledger.rowsAfterDrain}/${ledger.requestsSent}, resent on a closed kept-alive socket ${run.samples.filter((x) => x.resent).length} → ${outage.verdict}${outage.why ? `: ${outage.why}` : ""}`);
  return { scenarios: rows, outage };
}

/** What the failed samples got, counted by kind ("status 502", "ECONNRESET: socket hang up", …), so a failure says what it was. */
function failureKinds(failed: readonly Sample[]): string {
  const kinds = new Map<string, number>();
  for (const x of failed) {
    const k = x.status === 0 ? (x.error ?? "no answer") : x.status === 200 ? "200 incomplete" : `status ${x.status}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return [...kinds].map(([k, n]) => `${n}× ${k}`).join(", ");
}
