/** The Markdown tables BENCHMARKS.md shows, generated from one run's results (nothing typed by hand). */
import type { MachineInfo } from "./machine";
import type { CpuUse } from "./procs";
import type { Cell, OverheadResult } from "../suites/overhead";
import type { LoadResult } from "../suites/load";
import type { FaultRow, OutageResult } from "../suites/faults";
import type { BadInputResult } from "../suites/bad-input";
import type { CapacityRow } from "../suites/ledger-capacity";
import type { AccessResult } from "../suites/access";
import { UPSTREAM } from "./configs";

export interface Results {
  mode: "quick" | "full";
  machine: MachineInfo;
  params: Record<string, unknown>;
  peer?: { name: string; version: string };
  overhead?: OverheadResult;
  overheadMemoryD1?: OverheadResult;
  load?: LoadResult;
  faults?: { scenarios: FaultRow[]; outage: OutageResult };
  badInput?: BadInputResult;
  ledgerCapacity?: CapacityRow[];
  access?: AccessResult;
  cpu: Record<string, CpuUse>;
  notes: string[];
  problems: string[];
  totalSeconds: number;
}

const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? "–" : v.toFixed(d));
const plus = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? "–" : `${v >= 0 ? "+" : ""}${v.toFixed(d)}`);
const x = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : `${v.toFixed(2)}×`);

function overheadTable(o: OverheadResult, mode: Cell["mode"], keys: Array<Cell["target"]>, labels: Record<string, string>): string {
  const cell = (t: Cell["target"], c: number) => o.cells.find((k) => k.target === t && k.mode === mode && k.connections === c);
  const head = ["conns", "direct p50 / p99", ...keys.flatMap((k) => [`${labels[k]} p50 / p99`, `${labels[k]} added p50 / p99`])];
  if (keys.includes("tiergate") && keys.includes("portkey")) head.push("added p50 tiergate ÷ Portkey");
  const rows = o.params.connections.map((c) => {
    const d = cell("direct", c);
    const cols = [String(c), `${f(d?.latency.p50)} / ${f(d?.latency.p99)}`];
    for (const k of keys) {
      const t = cell(k, c);
      const err = t && t.errors > 0 ? ` (${t.errors} errors)` : "";
      cols.push(t ? `${f(t.latency.p50)} / ${f(t.latency.p99)}${err}` : "not run");
      cols.push(t && d ? `${plus(sub(t.latency.p50, d.latency.p50))} / ${plus(sub(t.latency.p99, d.latency.p99))}` : "–");
    }
    if (keys.includes("tiergate") && keys.includes("portkey")) {
      const tg = cell("tiergate", c);
      const pk = cell("portkey", c);
      cols.push(tg && pk && d ? x(div(sub(tg.latency.p50, d.latency.p50), sub(pk.latency.p50, d.latency.p50))) : "–");
    }
    return cols;
  });
  return table(head, rows);
}

const sub = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
const div = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export function renderMarkdown(r: Results): string {
  const m = r.machine;
  const out: string[] = [];
  const labels: Record<string, string> = { tiergate: "tiergate (Miniflare)", portkey: r.peer ? `Portkey ${r.peer.version}` : "Portkey", "tiergate-wrangler": "tiergate (wrangler dev)" };
  out.push(`#### Run: ${r.mode} mode, ${m.date}`);
  out.push("");
  out.push(`- Command: \`${m.command}\` (commit ${m.commit}); total runtime ${r.totalSeconds} s.`);
  out.push(`- Machine: \`nproc\` = ${m.nproc} (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}. \`free -g\`:`);
  out.push("");
  out.push("```");
  out.push(m.freeG);
  out.push("```");
  out.push("");
  out.push(`- Everything on 127.0.0.1 and on the same ${m.nproc} cores: the load generator (Node, one process), the fake upstream (Node, own process), tiergate's workerd and the peer. Figures include their contention.`);
  const cpuLines = Object.entries(r.cpu).map(([k, c]) => `${k} ${c.benchCores} cores by the bench, ${c.otherCores} by other processes`);
  if (cpuLines.length) out.push(`- CPU in use while measuring (average): ${cpuLines.join("; ")}. Other work on the machine inflates latencies and lowers throughput; compare ratios within a run.`);
  out.push(`- Fake upstream: answers after ${UPSTREAM.latencyMs} ms; streams ${UPSTREAM.streamTokens} tokens, ${UPSTREAM.streamPaceMs} ms apart. Latency client: node:http keep-alive, closed loop, timed with performance.now(); throughput: autocannon.`);
  for (const n of r.notes) out.push(`- **${n}**`);
  out.push("");

  if (r.overhead) {
    const o = r.overhead;
    const keys = (["tiergate", "portkey", "tiergate-wrangler"] as const).filter((k) => o.cells.some((c) => c.target === k));
    out.push(`##### Overhead, non-stream: whole answer, ms (${o.params.durationMs / 1000} s per cell after ${o.params.warmupMs / 1000} s warm-up)`);
    out.push("");
    out.push(overheadTable(o, "non-stream", keys, labels));
    out.push("");
    out.push(`##### Overhead, stream: time to first byte, ms`);
    out.push("");
    out.push(overheadTable(o, "stream", keys, labels));
    out.push("");
    out.push("Added latency = the gateway's percentile minus the direct call's percentile at the same concurrency (not a percentile of per-request differences).");
    out.push("");
    out.push("##### CPU time per request, ms (the target's own processes: the upstream for direct calls, workerd for tiergate on Miniflare, wrangler and workerd for wrangler dev, Node for Portkey)");
    out.push("");
    const cpuKeys = (["direct", ...keys] as Array<Cell["target"]>);
    const cpuRows: string[][] = [];
    for (const mode of ["non-stream", "stream"] as const) {
      for (const c of o.params.connections) {
        cpuRows.push([`${mode} c=${c}`, ...cpuKeys.map((k) => f(o.cells.find((z) => z.target === k && z.mode === mode && z.connections === c)?.cpuMsPerRequest ?? null))]);
      }
    }
    cpuRows.push([`saturation c=${o.params.saturationConnections}`, ...cpuKeys.map((k) => f(o.saturation.find((z) => z.target === k)?.cpuMsPerRequest ?? null))]);
    out.push(table(["run", ...cpuKeys.map((k) => (k === "direct" ? "upstream (direct calls)" : (labels[k] ?? k)))], cpuRows));
    out.push("");
    out.push("CPU per request counts the warm-up and the work a request leaves behind (tiergate's ledger write); it moves far less with other load on the machine than latency does.");
    out.push("");
    out.push(`##### Throughput at saturation (upstream answers at once; ${o.params.saturationConnections} connections, ${o.params.saturationSeconds} s, autocannon)`);
    out.push("");
    const direct = o.saturation.find((s) => s.target === "direct");
    const pk = o.saturation.find((s) => s.target === "portkey");
    out.push(table(
      ["target", "req/s", "÷ direct", "÷ Portkey", "p50 / p99 ms (whole ms)", "non-2xx", "errors"],
      o.saturation.map((s) => [s.target === "direct" ? "upstream directly" : (labels[s.target] ?? s.target), f(s.rps, 0), x(div(s.rps, direct?.rps ?? null)), pk ? x(div(s.rps, pk.rps)) : "–", `${s.p50} / ${s.p99}`, String(s.non2xx), String(s.errors)]),
    ));
    out.push("");
    const sat = o.saturation.find((s) => s.target === "tiergate");
    const ledgerCells = o.cells.filter((c) => c.ledger);
    if (sat?.ledger || ledgerCells.length) {
      out.push("##### Ledger during the overhead runs (tiergate on Miniflare, local D1 in a SQLite file)");
      out.push("");
      const rows = ledgerCells.map((c) => [`${c.mode} c=${c.connections}`, String(c.ledger?.requestsSent), String(c.ledger?.rowsAtEnd), String(c.ledger?.rowsAfterDrain), f(c.ledger?.drainMs ?? null, 0), c.ledger?.ok ? "yes" : "**NO**"]);
      if (sat?.ledger) rows.push([`saturation c=${sat.connections}`, String(sat.ledger.requestsSent), String(sat.ledger.rowsAtEnd), String(sat.ledger.rowsAfterDrain), f(sat.ledger.drainMs, 0), sat.ledger.ok ? "yes" : "**NO**"]);
      out.push(table(["run", "requests sent", "rows when the load stopped", "rows after drain", "drain ms", "every request recorded"], rows));
      out.push("");
    }
  }
  if (r.overheadMemoryD1) {
    const o = r.overheadMemoryD1;
    out.push("##### Same gateway, local D1 in memory instead of a file (isolates the cost of local SQLite writes)");
    out.push("");
    out.push(overheadTable(o, "non-stream", ["tiergate"], { tiergate: "tiergate (Miniflare, D1 in memory)" }));
    out.push("");
    const s = o.saturation.find((k) => k.target === "tiergate");
    const d = o.saturation.find((k) => k.target === "direct");
    if (s) out.push(`Saturation: ${f(s.rps, 0)} req/s (${x(div(s.rps, d?.rps ?? null))} direct); ledger ${s.ledger?.rowsAtEnd} rows when the load stopped, ${s.ledger?.rowsAfterDrain}/${s.ledger?.requestsSent} after ${f(s.ledger?.drainMs ?? null, 0)} ms.`);
    out.push("");
  }

  if (r.load) {
    const l = r.load;
    out.push(`##### Sustained load: ${l.params.ratePerSecond} req/s for ${l.params.durationMs / 1000} s, ${Math.round(l.params.streamShare * 100)}% streams, ledger on (tiergate on Miniflare)`);
    out.push("");
    out.push(table(["requests", "errors", "not sent (client backlog)", "no answer", "p50 / p99 / max ms", "drift p50 / p99 (last − first window)", "workerd RSS start → peak → end → after drain (MiB)", "ledger rows at end of load", "rows after drain", "drain ms", "every request recorded"], [[
      String(l.sent), `${l.errors}${l.errors ? ` ${JSON.stringify(l.errorKinds)}` : ""}`, String(l.skipped), String(l.ledger.unanswered), `${f(l.latency.p50)} / ${f(l.latency.p99)} / ${f(l.latency.max)}`,
      `${plus(l.driftP50Ms)} / ${plus(l.driftP99Ms)} ms`, `${f(l.memory.startMiB, 0)} → ${f(l.memory.peakMiB, 0)} → ${f(l.memory.endMiB, 0)} → ${f(l.memory.afterDrainMiB, 0)}`,
      String(l.ledger.rowsAtEnd), `${l.ledger.rowsAfterDrain}/${l.ledger.requestsSent}`, f(l.ledger.drainMs, 0), l.ledger.ok ? "yes" : "**NO**",
    ]]));
    out.push("");
    out.push("Every answered request must have its row; a request that got no answer may have none (it may never have reached the Worker).");
    out.push("");
    out.push(table(["window from (s)", "requests", "errors", "p50 ms", "p99 ms", "ledger rows so far", "workerd RSS MiB"], l.windows.map((w) => [String(w.fromS), String(w.requests), String(w.errors), f(w.p50), f(w.p99), w.ledgerRows === null ? "–" : String(w.ledgerRows), f(w.rssMiB, 0)])));
    out.push("");
  }

  if (r.faults) {
    const fl = r.faults;
    out.push(`##### Faults: primary failing, one healthy fallback (tiergate on Miniflare; ${String((r.params.faults as { requestsPerScenario: number }).requestsPerScenario)} requests per scenario, ${String((r.params.faults as { connections: number }).connections)} connections)`);
    out.push("");
    out.push(table(
      ["scenario", "what happens", "succeeded", "attempts / request", "p50 ms (added)", "p99 ms (added)", "ledger rows / requests", "row statuses", "verdict"],
      fl.scenarios.map((s) => [s.name, s.what, `${s.succeeded}/${s.sent} (${(s.successRate * 100).toFixed(1)}%)`, f(s.meanAttempts), `${f(s.p50)} (${plus(s.addedP50)})`, `${f(s.p99)} (${plus(s.addedP99)})`, `${s.ledger.rowsAfterDrain}/${s.ledger.requestsSent}`, Object.entries(s.ledger.statuses).map(([k, v]) => `${k} ${v}`).join(", "), s.verdict === "pass" ? "pass" : `**FAIL**: ${s.why}`]),
    ));
    out.push("");
    const o = fl.outage;
    out.push(`Outage window: ${o.params.ratePerSecond} req/s for ${o.params.durationMs / 1000} s, the primary answering 503 to everything from ${o.params.afterMs / 1000} s to ${(o.params.afterMs + o.params.forMs) / 1000} s: ${o.succeeded}/${o.sent} succeeded (${(o.successRate * 100).toFixed(1)}%); inside the window p50 ${f(o.inWindow.p50)} ms / p99 ${f(o.inWindow.p99)} ms with ${f(o.inWindow.meanAttempts)} attempts per request, outside p50 ${f(o.outsideWindow.p50)} ms / p99 ${f(o.outsideWindow.p99)} ms with ${f(o.outsideWindow.meanAttempts)}; ledger ${o.ledger.rowsAfterDrain}/${o.ledger.requestsSent} → ${o.verdict === "pass" ? "pass" : `**FAIL**: ${o.why}`}.`);
    out.push("");
  }

  if (r.badInput) {
    const b = r.badInput;
    out.push(`##### Bad input (tiergate on Miniflare; fast-check seed ${b.params.seed})`);
    out.push("");
    const fails = (xs: Array<{ name: string; why?: string }>) => (xs.length ? xs.map((k) => `**${k.name}**: ${k.why}`).join("; ") : "");
    out.push(table(["suite", "cases", "as required", "what is required", "failures"], [
      ["malformed requests (corpus)", String(b.requestCorpus.cases), String(b.requestCorpus.passed), "4xx + OpenAI error body (exact code where pinned)", fails(b.requestCorpus.failures)],
      ["odd but valid requests (corpus)", String(b.oddRequests.cases), String(b.oddRequests.passed), "answered, no 5xx", fails(b.oddRequests.failures)],
      ["broken configs via PUT /admin/config", String(b.configCorpus.cases), String(b.configCorpus.passed), "rejected (400/413), last valid config still serving", fails(b.configCorpus.failures)],
      ["broken configs written straight into KV", String(b.kvEdits.cases), String(b.kvEdits.passed), "reported on /admin/config/status, last valid config serving", fails(b.kvEdits.failures)],
      ["upstreams echoing the provider key", String(b.secretEchoes.cases), String(b.secretEchoes.passed), "no trace of the key (exact, upper case, base64) in any answer; no 5xx but the upstream's 502", fails(b.secretEchoes.failures)],
      ["fuzzed request bodies (fast-check)", String(b.requestFuzz.runs), b.requestFuzz.passed ? String(b.requestFuzz.runs) : "stopped at a failure", "wrong-typed fields → 400; anything else → no 5xx, error bodies well-formed", b.requestFuzz.counterexample ?? JSON.stringify(b.requestFuzz.statuses)],
      ["fuzzed config documents (fast-check)", String(b.configFuzz.runs), b.configFuzz.passed ? String(b.configFuzz.runs) : "stopped at a failure", `rejected → 4xx with issues and last valid serving (${b.configFuzz.rejected} rejected, ${b.configFuzz.accepted} mutations still valid)`, b.configFuzz.counterexample ?? ""],
    ]));
    out.push("");
    out.push(`Afterwards: /healthz ${b.afterwards.healthz}, a normal request ${b.afterwards.normalRequest}; ${b.chatRequests} chat requests sent, ${b.ledger.rowsAfterDrain} ledger rows (every request recorded: ${b.ledger.ok ? "yes" : "**NO**"}); internal errors in the Worker's log: ${b.internalErrorsLogged}.`);
    out.push("");
  }
  if (r.ledgerCapacity) {
    const c = r.ledgerCapacity;
    out.push("##### Ledger capacity: local D1 entries per second through the gateway's writer (one entry = 1 request row + 1 attempt row)");
    out.push("");
    const pers = [...new Set(c.map((k) => k.perBatch))];
    const concs = [...new Set(c.map((k) => k.concurrency))];
    out.push(table(
      ["local D1", ...pers.flatMap((p) => concs.map((k) => `${p} entr${p === 1 ? "y" : "ies"}/batch, ${k} writer${k === 1 ? "" : "s"}`))],
      (["file", "memory"] as const).map((d) => [d, ...pers.flatMap((p) => concs.map((k) => {
        const row = c.find((z) => z.d1 === d && z.perBatch === p && z.concurrency === k);
        return row ? `${row.entriesPerSecond ?? "–"}${row.rows !== row.entries ? ` (**${row.rows}/${row.entries} stored**)` : ""}` : "–";
      }))]),
    ));
    out.push("");
    out.push("1 entry per batch is what a direct write does (the fallback when the queue is unavailable); the ledger queue's consumer writes up to 100 per batch.");
    out.push("");
  }
  if (r.access) {
    const a = r.access;
    out.push(`##### Access control on the request path: key check + budget reservation/settlement + rate limits, non-stream whole answer, ms (${a.params.rounds} rounds of ${a.params.durationMs / 1000} s per cell after ${a.params.warmupMs / 1000} s warm-up, tiergate on Miniflare)`);
    out.push("");
    const cell = (side: "off" | "key" | "on", c: number) => a.cells.find((k) => k.access === side && k.connections === c);
    const pp = (k: AccessResult["cells"][number] | undefined) => `${f(k?.latency.p50)} / ${f(k?.latency.p99)}`;
    const added = (k: AccessResult["cells"][number] | undefined, off: AccessResult["cells"][number] | undefined) => `${plus(sub(k?.latency.p50 ?? null, off?.latency.p50 ?? null))} / ${plus(sub(k?.latency.p99 ?? null, off?.latency.p99 ?? null))}`;
    out.push(table(
      ["conns", "access off p50 / p99", "key check only p50 / p99", "added", "access on (key + limits + budgets) p50 / p99", "added", "requests off / key / on", "errors off / key / on"],
      a.params.connections.map((c) => {
        const [off, key, on] = [cell("off", c), cell("key", c), cell("on", c)];
        return [String(c), pp(off), pp(key), added(key, off), pp(on), added(on, off), `${off?.requests ?? 0} / ${key?.requests ?? 0} / ${on?.requests ?? 0}`, `${off?.errors ?? 0} / ${key?.errors ?? 0} / ${on?.errors ?? 0}`];
      }),
    ));
    out.push("");
    out.push(`Off: \`access.requireKey: false\`, no budgets or team limits, no key sent. Key check only: a KV gateway key without limits or budgets. On: a KV gateway key with rpm/tpm/concurrency and a budget, in a team with rate limits and a budget (one admission and one settlement in each of two SpendObjects per request). Checked: on answers with x-ratelimit-* ${a.checks.onHeaders ? "yes" : "**no**"}, refuses a keyless request ${a.checks.onRefusesNoKey ? "yes" : "**no**"}; off admits it ${a.checks.offAdmitsNoKey ? "yes" : "**no**"}; spend counted: key $${a.checks.keySpentUsd.toFixed(4)}, team $${a.checks.teamSpentUsd.toFixed(4)}.`);
    out.push("");
  }
  if (r.problems.length) {
    out.push("##### Problems");
    out.push("");
    for (const p of r.problems) out.push(`- ${p}`);
    out.push("");
  }
  return out.join("\n");
}

/** Replaces the figures of one mode in BENCHMARKS.md (between its `figures:<mode>` markers). */
export function replaceFigures(doc: string, md: string, mode: string): string | null {
  const begin = `<!-- figures:${mode}:begin -->`;
  const end = `<!-- figures:${mode}:end -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) return null;
  return `${doc.slice(0, i + begin.length)}\n${md}\n${doc.slice(j)}`;
}
