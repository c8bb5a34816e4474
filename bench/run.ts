/**
 * `npm run bench` (full) and `npm run bench -- --quick` (CI): every figure in one run, all on
 * 127.0.0.1. Starts the fake upstream, tiergate on Miniflare and under `wrangler dev`, and the
 * peer gateway; runs the overhead, load, fault and bad-input suites; writes JSON and Markdown
 * to bench/results/ (`--update-doc` also replaces the figures in BENCHMARKS.md). Exits non-zero
 * when a benchmark is broken or the gateway misbehaved (a lost ledger row, a 5xx to bad input,
 * a failed request while a healthy target existed) — never because the machine was slow: no
 * timing is asserted anywhere.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { faultConfig, outagePrimary, overheadConfig } from "./lib/configs";
import { storeConfig } from "./lib/admin";
import { buildBundle, REPO, startMiniflareGateway, type MiniflareGateway } from "./lib/gateway-miniflare";
import { startWranglerDev } from "./lib/gateway-wrangler";
import { machineInfo } from "./lib/machine";
import { startPeer } from "./lib/portkey";
import { cpuMeter, freePort, processTree, startChild, stopAll, type Child } from "./lib/procs";
import { renderMarkdown, replaceFigures, type Results } from "./lib/report";
import { gatewaySpec, wireSpec, type Target } from "./lib/targets";
import { runAccess, type AccessParams } from "./suites/access";
import { runBadInput, type BadInputParams } from "./suites/bad-input";
import { runFaults, type FaultParams } from "./suites/faults";
import { runLoad, type LoadParams } from "./suites/load";
import { runLedgerCapacity, type LedgerCapacityParams } from "./suites/ledger-capacity";
import { runOverhead, type OverheadParams } from "./suites/overhead";

// Offline: no update checks, metrics or request.cf fetches from wrangler and Miniflare.
process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.WRANGLER_SEND_ERROR_REPORTS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.XDG_CONFIG_HOME ??= join(REPO, "bench/results/.xdg");

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const updateDoc = args.includes("--update-doc");
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
const skip = args.find((a) => a.startsWith("--skip="))?.slice("--skip=".length).split(",") ?? [];
const runs = (suite: string) => (!only || only.includes(suite)) && !skip.includes(suite);

interface Params {
  overhead: OverheadParams;
  load: LoadParams;
  faults: FaultParams;
  badInput: BadInputParams;
  ledgerCapacity: LedgerCapacityParams;
  access: AccessParams;
  /** Also measure tiergate with local D1 in memory (what the SQLite file costs). */
  memoryD1: boolean;
  /** Wait up to this long, before measuring, for other work on the machine to calm down. */
  quietWaitSeconds: number;
}

const PARAMS: Params = quick
  ? {
      overhead: { connections: [1, 10, 50], durationMs: 1_500, warmupMs: 300, saturationSeconds: 3, saturationConnections: 50 },
      load: { ratePerSecond: 50, durationMs: 15_000, windowMs: 3_000, streamShare: 0.25 },
      faults: { requestsPerScenario: 150, connections: 10, outage: { ratePerSecond: 100, durationMs: 6_000, afterMs: 2_000, forMs: 2_000 } },
      badInput: { requestRuns: 300, configRuns: 100, seed: 20_260_101 },
      ledgerCapacity: { entries: 300, perBatch: [1, 20], concurrency: [1, 16] },
      access: { connections: [1, 50], durationMs: 1_500, warmupMs: 300, rounds: 2 },
      memoryD1: false,
      quietWaitSeconds: 0,
    }
  : {
      overhead: { connections: [1, 10, 50], durationMs: 5_000, warmupMs: 1_000, saturationSeconds: 10, saturationConnections: 50 },
      load: { ratePerSecond: 200, durationMs: 60_000, windowMs: 10_000, streamShare: 0.25 },
      faults: { requestsPerScenario: 1_000, connections: 10, outage: { ratePerSecond: 200, durationMs: 20_000, afterMs: 5_000, forMs: 8_000 } },
      badInput: { requestRuns: 2_000, configRuns: 500, seed: 20_260_101 },
      ledgerCapacity: { entries: 2_000, perBatch: [1, 20, 100], concurrency: [1, 16] },
      access: { connections: [1, 50], durationMs: 5_000, warmupMs: 1_000, rounds: 2 },
      memoryD1: true,
      quietWaitSeconds: 300,
    };

/** The sustained run's rate as a share of this run's saturation throughput. */
const LOAD_SHARE_OF_SATURATION = 0.4;

const started = performance.now();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = join(REPO, "bench/results", `${stamp}-${quick ? "quick" : "full"}`);
mkdirSync(outDir, { recursive: true });
const log = (m: string) => process.stdout.write(`${m}\n`);

const results: Results = {
  mode: quick ? "quick" : "full",
  machine: machineInfo(`npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`),
  params: PARAMS as unknown as Record<string, unknown>,
  cpu: {},
  notes: [],
  problems: [],
  totalSeconds: 0,
};
const problem = (m: string) => {
  results.problems.push(m);
  log(`PROBLEM: ${m}`);
};
const note = (m: string) => {
  results.notes.push(m);
  log(m);
};

// Whatever escapes a suite is a broken benchmark: recorded, and the run still writes its results.
process.on("unhandledRejection", (e) => problem(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

async function phase<T>(name: string, f: () => Promise<T>): Promise<T | undefined> {
  log(`${name}:`);
  const meter = cpuMeter();
  try {
    return await f();
  } catch (e) {
    problem(`the ${name} benchmark broke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return undefined;
  } finally {
    results.cpu[name] = meter();
  }
}

async function gatewayTargets(gw: MiniflareGateway, upstream: string, upstreamProc: Child): Promise<Target[]> {
  return [
    { key: "direct", label: "upstream directly", origin: upstream, spec: (m) => wireSpec(m), pids: () => processTree(upstreamProc.pid) },
    { key: "tiergate", label: "tiergate (Miniflare)", origin: gw.origin, spec: gatewaySpec, pids: () => (gw.workerdPid ? [gw.workerdPid] : []), ledger: gw.ledger },
  ];
}

try {
  log(`tiergate bench (${quick ? "quick" : "full"}) → ${outDir}`);
  if (PARAMS.quietWaitSeconds > 0) {
    const waited = await waitForQuietMachine(PARAMS.quietWaitSeconds);
    note(`Before measuring, waited ${waited.seconds} s for other work on the machine to calm down: ${waited.otherCores} cores busy outside the bench at the start${waited.quiet ? "" : " (gave up waiting)"}.`);
  }
  const bundle = buildBundle(join(REPO, "dist"));
  const { child: upstreamProc, match } = await startChild("upstream", process.execPath, ["--import", "tsx", join(REPO, "bench/servers/upstream.ts")], {
    cwd: REPO, ready: /ready (\d+)/, readyTimeoutMs: 30_000, logFile: join(outDir, "upstream.log"),
  });
  const upstream = `http://127.0.0.1:${match[1]}`;
  const gw = await startMiniflareGateway({ scriptPath: bundle, stateDir: join(outDir, "state-miniflare"), d1: "file", logFile: join(outDir, "worker.log") });
  const overheadDoc = overheadConfig(upstream);
  await storeConfig(gw.origin, overheadDoc);
  log(`upstream ${upstream}; tiergate on Miniflare ${gw.origin} (workerd pid ${gw.workerdPid})`);

  if (runs("overhead")) {
    const targets = await gatewayTargets(gw, upstream, upstreamProc);
    const extra: Child[] = [];
    if (!skip.includes("peer")) {
      try {
        const peer = await startPeer(join(outDir, "portkey.log"), log);
        extra.push(peer.child);
        targets.push({ key: "portkey", label: `${peer.name} ${peer.version}`, origin: peer.origin, spec: (m) => wireSpec(m, peer.headers(upstream)), pids: () => processTree(peer.child.pid) });
        results.peer = { name: peer.name, version: peer.version };
        log(`peer: ${peer.name} ${peer.version} on ${peer.origin}`);
      } catch (e) {
        note(`PEER UNAVAILABLE: the Portkey gateway could not be installed or started (${e instanceof Error ? e.message : String(e)}); its figures are missing from this run.`);
      }
    }
    if (!skip.includes("wrangler")) {
      try {
        const dev = await startWranglerDev(join(outDir, "state-wrangler"), join(outDir, "wrangler-dev.log"));
        extra.push(dev.child);
        await storeConfig(dev.origin, overheadDoc);
        targets.push({ key: "tiergate-wrangler", label: "tiergate (wrangler dev)", origin: dev.origin, spec: gatewaySpec, pids: () => processTree(dev.child.pid) });
        log(`tiergate under wrangler dev on ${dev.origin}`);
      } catch (e) {
        note(`WRANGLER DEV UNAVAILABLE: ${e instanceof Error ? e.message : String(e)}; its dev-mode figures are missing from this run.`);
      }
    }
    const overhead = await phase("overhead", () => runOverhead(targets, PARAMS.overhead, log));
    if (overhead) {
      results.overhead = overhead;
      for (const c of overhead.cells.filter((k) => k.target === "tiergate" && k.httpErrors > 0)) problem(`tiergate answered ${c.httpErrors} of ${c.requests} ${c.mode} requests at c=${c.connections} with an error status or a broken answer`);
      for (const c of overhead.cells.filter((k) => k.ledger && !k.ledger.ok)) problem(`ledger incomplete after ${c.mode} c=${c.connections}: ${c.ledger?.rowsAfterDrain} rows for ${c.ledger?.requestsSent} requests`);
      const sat = overhead.saturation.find((s) => s.target === "tiergate");
      if (sat?.ledger && !sat.ledger.ok) problem(`ledger incomplete after saturation: ${sat.ledger.rowsAfterDrain} rows for ${sat.ledger.requestsSent} requests`);
    }
    await Promise.all(extra.map((c) => c.stop()));

    // The same gateway with local D1 in memory: what the file-backed SQLite writes cost.
    if (PARAMS.memoryD1) {
      const mem = await startMiniflareGateway({ scriptPath: bundle, stateDir: join(outDir, "state-memory"), d1: "memory", logFile: join(outDir, "worker-memory-d1.log") });
      await storeConfig(mem.origin, overheadDoc);
      const memOverhead = await phase("overhead (D1 in memory)", async () => {
        const t = await gatewayTargets(mem, upstream, upstreamProc);
        return runOverhead(t, { ...PARAMS.overhead, modes: ["non-stream"] }, log);
      });
      if (memOverhead) results.overheadMemoryD1 = memOverhead;
      await mem.dispose();
    }
  }

  if (runs("load")) {
    await storeConfig(gw.origin, overheadDoc);
    // A sustained run means something below saturation: a share of what tiergate did in this run's
    // saturation test (a quarter of it streams, several times dearer), capped by the mode's rate.
    const sat = results.overhead?.saturation.find((s) => s.target === "tiergate")?.rps;
    const forced = Number(args.find((a) => a.startsWith("--rate="))?.slice("--rate=".length));
    const rate = Number.isFinite(forced) && forced > 0 ? forced : sat ? Math.max(20, Math.min(PARAMS.load.ratePerSecond, Math.round((sat * LOAD_SHARE_OF_SATURATION) / 10) * 10)) : PARAMS.load.ratePerSecond;
    if (rate !== PARAMS.load.ratePerSecond) note(`Sustained load at ${rate} req/s: ${Number.isFinite(forced) && forced > 0 ? "set by --rate" : `${LOAD_SHARE_OF_SATURATION * 100}% of the ${sat} req/s tiergate reached at saturation in this run (the mode's cap is ${PARAMS.load.ratePerSecond} req/s)`}.`);
    PARAMS.load.ratePerSecond = rate;
    const load = await phase("load", () => runLoad(gw, PARAMS.load, log));
    if (load) {
      results.load = load;
      if (!load.ledger.ok) problem(`ledger incomplete after the sustained load: ${load.ledger.rowsAfterDrain} rows for ${load.ledger.requestsSent} requests (${load.ledger.missing} answered requests without a row)`);
      // Answers that never came (client timeout) can be a slow machine; wrong answers cannot.
      const wrong = Object.entries(load.errorKinds).filter(([k]) => !k.startsWith("no response")).reduce((s, [, n]) => s + n, 0);
      if (wrong > 0) problem(`${wrong} of ${load.sent} requests got an error or a broken answer under the sustained load: ${JSON.stringify(load.errorKinds)}`);
      else if (load.errors > 0) note(`${load.errors} of ${load.sent} requests of the sustained load got no answer within the client's timeout (a saturated machine): ${JSON.stringify(load.errorKinds)}`);
    }
  }

  if (runs("faults")) {
    const refused = `http://127.0.0.1:${await freePort()}`;
    const o = PARAMS.faults.outage;
    await storeConfig(gw.origin, faultConfig(upstream, refused, outagePrimary(o.afterMs, o.forMs)));
    const faults = await phase("faults", () => runFaults(gw, PARAMS.faults, log));
    if (faults) {
      results.faults = faults;
      for (const s of faults.scenarios.filter((k) => k.verdict === "FAIL")) problem(`fault scenario ${s.name}: ${s.why}`);
      if (faults.outage.verdict === "FAIL") problem(`outage window: ${faults.outage.why}`);
    }
  }

  if (runs("bad-input")) {
    const bad = await phase("bad-input", () => runBadInput(gw, overheadDoc, PARAMS.badInput, () => gw.internalErrors(), log));
    if (bad) {
      results.badInput = bad;
      if (!bad.ok) problem("the bad-input suite found the gateway misbehaving (see the bad-input figures)");
    }
  }
  if (runs("ledger-capacity")) {
    const cap = await phase("ledger-capacity", () => runLedgerCapacity(PARAMS.ledgerCapacity, outDir, log));
    if (cap) {
      results.ledgerCapacity = cap;
      for (const r of cap.filter((k) => k.rows !== k.entries)) problem(`ledger probe (D1 ${r.d1}, ${r.perBatch}/batch, ${r.concurrency} writers) stored ${r.rows} of ${r.entries} entries`);
    }
  }
  // Last: it leaves a KV key and a config with team limits behind.
  if (runs("access")) {
    const access = await phase("access", () => runAccess(gw, upstream, PARAMS.access, log));
    if (access) {
      results.access = access;
      const ch = access.checks;
      if (!ch.onHeaders || !ch.onRefusesNoKey || !ch.offAdmitsNoKey || ch.keySpentUsd <= 0 || ch.teamSpentUsd <= 0) problem(`the access suite did not measure what it says (on/off sides not as configured): ${JSON.stringify(ch)}`);
      for (const c of access.cells.filter((k) => k.errors > 0)) problem(`access ${c.access} c=${c.connections}: ${c.errors} of ${c.requests} requests failed`);
    }
  }
  const health = await fetch(`${gw.origin}/healthz`);
  if (health.status !== 200) problem(`/healthz answered ${health.status} at the end of the run`);
  await gw.dispose();
} catch (e) {
  problem(`the benchmark broke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
  await stopAll();
}

results.totalSeconds = Math.round((performance.now() - started) / 1000);
const markdown = renderMarkdown(results);
writeFileSync(join(outDir, "results.json"), JSON.stringify(results, null, 2));
writeFileSync(join(outDir, "figures.md"), markdown);
writeFileSync(join(REPO, "bench/results", `latest-${results.mode}.json`), JSON.stringify(results, null, 2));
writeFileSync(join(REPO, "bench/results", `latest-${results.mode}.md`), markdown);
if (updateDoc) updateBenchmarksDoc(markdown, results.mode);
log(`\ntotal ${results.totalSeconds} s; figures in ${join(outDir, "figures.md")}`);
if (results.problems.length > 0) {
  log(`\n${results.problems.length} problem(s):`);
  for (const p of results.problems) log(`- ${p}`);
  process.exit(1);
}
log(`no problems in the suites that ran (${["overhead", "load", "faults", "bad-input", "ledger-capacity", "access"].filter(runs).join(", ")}).`);
process.exit(0);

/** Waits (bounded) until processes outside the bench use under half a core. */
async function waitForQuietMachine(maxSeconds: number): Promise<{ seconds: number; otherCores: number; quiet: boolean }> {
  const t0 = performance.now();
  for (;;) {
    const meter = cpuMeter();
    await new Promise((r) => setTimeout(r, 3_000));
    const use = meter();
    const seconds = Math.round((performance.now() - t0) / 1000);
    if (use.otherCores < 0.5) return { seconds, otherCores: use.otherCores, quiet: true };
    if (seconds >= maxSeconds) return { seconds, otherCores: use.otherCores, quiet: false };
  }
}

/** Replaces the figures of this mode in BENCHMARKS.md (between its generated-figures markers). */
function updateBenchmarksDoc(md: string, mode: string) {
  const file = join(REPO, "BENCHMARKS.md");
  if (!existsSync(file)) return log("BENCHMARKS.md not found; not updated");
  const doc = replaceFigures(readFileSync(file, "utf8"), md, mode);
  if (doc === null) return log(`BENCHMARKS.md has no figures:${mode} markers; not updated`);
  writeFileSync(file, doc);
  log(`BENCHMARKS.md: ${mode} figures replaced`);
}
