/**
 * `npm run bench:scale`: the ledger at scale, on 127.0.0.1.
 * 1. Seeds N ledger rows (default 1,000,000 requests, one attempt each, feedback on 3%) spread
 *    over the last 90 days into tiergate's local D1 (Miniflare, SQLite file), in SQL batches of
 *    100,000 rows generated inside SQLite (a recursive CTE; deterministic per row number), and
 *    measures the database's bytes per request.
 * 2. Times GET /admin/stats for 1, 30 and 90 days over raw rows (`source=raw`), then runs the
 *    rollup cron until it has caught up and times the same queries over rollups + raw tail.
 * 3. Sustained requests/s through the gateway with recording on against LEDGER_RECORDING=off
 *    (closed loop, upstream answering at once), and rows written against requests sent.
 * Writes bench/results/<stamp>-scale/scale.json and prints Markdown for BENCHMARKS.md. No timing
 * is asserted: it exits non-zero only when rows are lost or an answer is wrong.
 * Flags: --rows=N (default 1000000), --reps=N (default 3), --load-seconds=N (default 10), --connections=N (default 20).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { storeConfig } from "./lib/admin";
import { ADMIN_TOKEN, buildBundle, REPO, startMiniflareGateway, type MiniflareGateway } from "./lib/gateway-miniflare";
import { overheadConfig } from "./lib/configs";
import { closedLoop } from "./lib/http-load";
import { auditLedger, ledgerMark, read } from "./lib/ledger";
import { machineInfo } from "./lib/machine";
import { startChild, stopAll } from "./lib/procs";
import { round } from "./lib/stats";
import { gatewaySpec } from "./lib/targets";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.WRANGLER_SEND_ERROR_REPORTS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.XDG_CONFIG_HOME ??= join(REPO, "bench/results/.xdg");

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
const ROWS = flag("rows", 1_000_000);
const REPS = flag("reps", 3);
const LOAD_SECONDS = flag("load-seconds", 10);
const CONNECTIONS = flag("connections", 20);
const CHUNK = 100_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPAN_DAYS = 90;

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = join(REPO, "bench/results", `${stamp}-scale`);
mkdirSync(outDir, { recursive: true });
const log = (m: string) => process.stdout.write(`${m}\n`);
const ms = (t0: number) => performance.now() - t0;

/**
 * Rows n in [lo, hi]: four routes (rules, a second rules route, a cascade, a classifier route),
 * two features per route, 20 keys in 5 teams, four models, 2% errors, 1% partial streams, 1%
 * aborted, a third streamed, arrival times evenly spread from `end` back over `span` ms.
 */
const SEED_REQUESTS = `
WITH RECURSIVE s(n) AS (SELECT ?1 UNION ALL SELECT n + 1 FROM s WHERE n < ?2),
h AS (SELECT n, (n * 2654435761) % 1000003 AS a, (n * 40503 + 7) % 999983 AS b, (n * 69069 + 1) % 1000033 AS c FROM s),
r AS (SELECT n, a, b, c, a % 4 AS route_i, (a / 4) % 2 AS feat_i, b % 20 AS key_i, c % 100 AS st, (c / 100) % 100 AS mix,
        200 + b % 3000 AS inp, 50 + c % 800 AS outp, 80 + (a % 997) * (1 + c % 9) AS lat FROM h),
m AS (SELECT r.*, CASE route_i WHEN 0 THEN (CASE WHEN mix < 70 THEN 0 ELSE 2 END) WHEN 1 THEN 1
        WHEN 2 THEN (CASE WHEN mix < 60 THEN 0 WHEN mix < 85 THEN 1 ELSE 3 END)
        ELSE (CASE WHEN mix < 55 THEN 0 WHEN mix < 85 THEN 2 ELSE 3 END) END AS model_i FROM r),
p AS (SELECT m.*, CASE model_i WHEN 0 THEN 0.15 WHEN 1 THEN 0.8 WHEN 2 THEN 2.5 ELSE 15 END AS price, st < 2 AS failed FROM m)
INSERT INTO requests (id, ts, route, strategy, reason, feature, key_name, team, requested_model, served_model, provider, provider_kind, stream, status, http_status,
  input_tokens, output_tokens, cost_usd, baseline_model, baseline_cost_usd, latency_ms, ttfb_ms, attempts, fallbacks, escalations, config_hash, quality, classifier, classifier_tier, classifier_score, kind)
SELECT printf('seed-%08d', n), ?3 - (n * ?4) / ?5 - 1,
  CASE route_i WHEN 0 THEN 'chat' WHEN 1 THEN 'extract' WHEN 2 THEN 'support' ELSE 'auto-tier' END,
  CASE route_i WHEN 2 THEN 'cascade' WHEN 3 THEN 'classifier' ELSE 'rules' END,
  'match', 'feature-' || (route_i * 2 + feat_i), 'key-' || key_i, 'team-' || (key_i / 4), 'auto',
  CASE WHEN failed THEN NULL ELSE (CASE model_i WHEN 0 THEN 'gpt-4o-mini' WHEN 1 THEN 'claude-haiku' WHEN 2 THEN 'gpt-4o' ELSE 'claude-opus' END) END,
  CASE WHEN failed THEN NULL WHEN model_i IN (1, 3) THEN 'anthropic' ELSE 'openai' END,
  CASE WHEN failed THEN NULL WHEN model_i IN (1, 3) THEN 'anthropic' ELSE 'openai' END,
  (a / 8) % 3 = 0,
  CASE WHEN failed THEN 'error' WHEN st < 3 AND (a / 8) % 3 = 0 THEN 'partial' WHEN st < 4 THEN 'aborted' ELSE 'ok' END,
  CASE WHEN failed THEN 502 ELSE 200 END,
  CASE WHEN failed THEN 0 ELSE inp END, CASE WHEN failed THEN 0 ELSE outp END,
  CASE WHEN failed THEN 0 ELSE (inp + 4 * outp) * price / 1e6 END,
  'gpt-4o', CASE WHEN failed THEN 0 ELSE (inp + 4 * outp) * 2.5 / 1e6 END,
  lat, CASE WHEN (a / 8) % 3 = 0 AND NOT failed THEN lat / 4 ELSE NULL END,
  1 + (route_i = 2 AND model_i > 0) + (st BETWEEN 4 AND 6), (st BETWEEN 4 AND 6), (route_i = 2 AND model_i > 0),
  'cfg-1',
  CASE WHEN route_i = 2 AND NOT failed THEN (CASE WHEN model_i = 3 AND mix > 95 THEN 'failed' ELSE 'passed' END) ELSE 'unchecked' END,
  CASE WHEN route_i = 3 THEN 'local' ELSE NULL END,
  CASE WHEN route_i = 3 THEN (CASE model_i WHEN 0 THEN 1 WHEN 2 THEN 2 ELSE 3 END) ELSE NULL END,
  CASE WHEN route_i = 3 THEN mix / 100.0 ELSE NULL END,
  'chat'
FROM p`;

const SEED_ATTEMPTS = `INSERT INTO attempts (request_id, seq, kind, step, model, provider, ok, http_status, input_tokens, output_tokens, cost_usd, latency_ms, ttfb_ms)
  SELECT id, 0, 'primary', 0, coalesce(served_model, 'gpt-4o-mini'), provider, status != 'error', http_status, input_tokens, output_tokens, cost_usd, latency_ms, ttfb_ms
  FROM requests WHERE rowid > ?1 AND rowid <= ?2`;
const SEED_FEEDBACK = `INSERT INTO feedback (request_id, ts, success, score)
  SELECT id, ts + 60000, (rowid % 10) < 8, (rowid % 100) / 100.0 FROM requests WHERE rowid > ?1 AND rowid <= ?2 AND rowid % 33 = 0`;

interface D1Meta {
  meta?: { rows_written?: number; rows_read?: number; size_after?: number };
}

/** The database's size as D1 reports it (meta.size_after: what D1 bills and limits). */
async function dbSize(gw: MiniflareGateway): Promise<number> {
  const r = (await gw.ledger.prepare("SELECT 1").run()) as D1Meta;
  return r.meta?.size_after ?? 0;
}

async function seed(gw: MiniflareGateway, end: number): Promise<{ seconds: number; requests: number; attempts: number; feedback: number; rowsWritten: number }> {
  const t0 = performance.now();
  const span = SPAN_DAYS * DAY;
  let rowsWritten = 0;
  const run = async (sql: string, ...v: unknown[]) => {
    const r = (await gw.ledger.prepare(sql).bind(...v).run()) as D1Meta;
    rowsWritten += r.meta?.rows_written ?? 0;
  };
  for (let lo = 0; lo < ROWS; lo += CHUNK) {
    const hi = Math.min(ROWS, lo + CHUNK) - 1;
    const mark = await ledgerMark(gw.ledger);
    await run(SEED_REQUESTS, lo, hi, end, span, ROWS);
    const top = await ledgerMark(gw.ledger);
    await run(SEED_ATTEMPTS, mark.rowid, top.rowid);
    await run(SEED_FEEDBACK, mark.rowid, top.rowid);
    process.stdout.write(`\r  seeded ${(hi + 1).toLocaleString("en-US")} / ${ROWS.toLocaleString("en-US")} requests (${(ms(t0) / 1000).toFixed(0)} s)`);
  }
  process.stdout.write("\n");
  const count = async (t: string) => (await gw.ledger.prepare(`SELECT count(*) AS n FROM ${t}`).first<{ n: number }>())?.n ?? 0;
  return { seconds: round(ms(t0) / 1000, 1) ?? 0, requests: await count("requests"), attempts: await count("attempts"), feedback: await count("feedback"), rowsWritten };
}

interface StatsAnswer {
  total: { requests: number; costUsd: number };
  groups: unknown[];
  /** Ranges read from each source, as [from, to] ISO pairs. */
  sources?: { day: Array<[string, string]>; hour: Array<[string, string]>; raw: Array<[string, string]> };
}

async function stats(origin: string, query: string): Promise<{ ms: number; body: StatsAnswer }> {
  const t0 = performance.now();
  const res = await fetch(`${origin}/admin/stats?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(300_000) });
  const body = (await res.json()) as StatsAnswer;
  const t = ms(t0);
  if (res.status !== 200) throw new Error(`/admin/stats?${query}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms: t, body };
}

/** Rows a query's plan reads: raw request rows in its raw ranges, rollup rows in its rollup ranges. */
async function rowsRead(gw: MiniflareGateway, plan: StatsAnswer["sources"], from: number, to: number): Promise<{ raw: number; rollup: number }> {
  const count = async (sql: string, ...v: unknown[]) => (await gw.ledger.prepare(sql).bind(...v).first<{ n: number }>())?.n ?? 0;
  if (!plan) return { raw: await count("SELECT count(*) AS n FROM requests WHERE ts >= ?1 AND ts < ?2", from, to), rollup: 0 };
  let raw = 0;
  let rollup = 0;
  for (const [a, b] of plan.raw) raw += await count("SELECT count(*) AS n FROM requests WHERE ts >= ?1 AND ts < ?2", Date.parse(a), Date.parse(b));
  for (const grain of ["day", "hour"] as const) {
    for (const [a, b] of plan[grain]) rollup += await count("SELECT count(*) AS n FROM stats_rollups WHERE grain = ?1 AND period >= ?2 AND period < ?3", grain, Date.parse(a), Date.parse(b));
  }
  return { raw, rollup };
}

interface QueryRow {
  days: number;
  query: string;
  source: "raw" | "rollups";
  medianMs: number | null;
  minMs: number | null;
  rawRowsRead: number;
  rollupRowsRead: number;
  requests: number;
}

const QUERIES: Array<[string, string]> = [
  ["totals", ""],
  ["by route, daily", "group=route&interval=day"],
];

async function timeQueries(gw: MiniflareGateway, end: number, source: "raw" | "rollups"): Promise<QueryRow[]> {
  const out: QueryRow[] = [];
  for (const days of [1, 30, 90]) {
    const from = end - days * DAY;
    for (const [name, q] of QUERIES) {
      const query = `from=${from}&to=${end}${q ? `&${q}` : ""}${source === "raw" ? "&source=raw" : ""}`;
      // The first answer warms up; one slower than 5 s is the only sample (a raw 90-day read over 1M rows).
      const first = await stats(gw.origin, query);
      const times: number[] = first.ms > 5_000 ? [first.ms] : [];
      let last: StatsAnswer | null = first.body;
      for (let i = 0; i < (times.length ? 0 : REPS); i++) {
        const r = await stats(gw.origin, query);
        times.push(r.ms);
        last = r.body;
      }
      times.sort((x, y) => x - y);
      const read = await rowsRead(gw, source === "raw" ? undefined : last?.sources, from, end);
      const row: QueryRow = { days, query: name, source, medianMs: round(times[Math.floor(times.length / 2)] ?? null, 1), minMs: round(times[0] ?? null, 1), rawRowsRead: read.raw, rollupRowsRead: read.rollup, requests: last?.total.requests ?? 0 };
      out.push(row);
      log(`  ${String(days).padStart(2)} d ${name.padEnd(18)} ${source.padEnd(7)} median ${row.medianMs} ms (min ${row.minMs}), read ${row.rawRowsRead} raw + ${row.rollupRowsRead} rollup rows, ${row.requests} requests`);
    }
  }
  return out;
}

async function catchUpRollups(gw: MiniflareGateway, end: number): Promise<{ runs: number; seconds: number; hourRows: number; dayRows: number }> {
  const worker = await gw.mf.getWorker();
  const t0 = performance.now();
  let runs = 0;
  const mark = async (name: string) => (await gw.ledger.prepare("SELECT value FROM stats_watermarks WHERE name = ?1").bind(name).first<{ value: number }>())?.value ?? 0;
  while (runs < 200) {
    await worker.scheduled({ scheduledTime: new Date(), cron: "*/15 * * * *" });
    runs++;
    const [hour, day] = [await mark("hour"), await mark("day")];
    if (runs % 5 === 0) log(`  rollup run ${runs}: hours folded to ${new Date(hour).toISOString()}, days to ${new Date(day).toISOString()}`);
    if (hour >= end && day >= Math.floor(end / DAY) * DAY) break;
  }
  const n = async (grain: string) => (await gw.ledger.prepare("SELECT count(*) AS n FROM stats_rollups WHERE grain = ?1").bind(grain).first<{ n: number }>())?.n ?? 0;
  return { runs, seconds: round(ms(t0) / 1000, 1) ?? 0, hourRows: await n("hour"), dayRows: await n("day") };
}

interface ThroughputRow {
  recording: "on" | "off";
  connections: number;
  seconds: number;
  sent: number;
  rps: number;
  errors: number;
  rowsWritten: number;
  drained: boolean;
}

async function throughput(bundle: string, upstream: string, recording: "on" | "off"): Promise<ThroughputRow> {
  const gw = await startMiniflareGateway({
    scriptPath: bundle, stateDir: join(outDir, `state-recording-${recording}`), d1: "file", logFile: join(outDir, `worker-recording-${recording}.log`),
    vars: recording === "off" ? { LEDGER_RECORDING: "off" } : {},
  });
  try {
    await storeConfig(gw.origin, overheadConfig(upstream));
    const mark = await ledgerMark(gw.ledger);
    const run = await closedLoop(gw.origin, gatewaySpec("instant"), { connections: CONNECTIONS, durationMs: LOAD_SECONDS * 1000, warmupMs: 1_000, timeoutMs: 30_000 });
    const errors = run.all.filter((s) => s.status !== 200).length;
    const audit = recording === "on" ? await auditLedger(gw.ledger, mark, run.all.length, run.all) : null;
    // Off: wait as long as a drain would, then count (nothing may have been written).
    if (!audit) await new Promise((r) => setTimeout(r, 3_000));
    const rowsWritten = audit ? audit.rowsAfterDrain : ((await read(() => gw.ledger.prepare("SELECT count(*) AS n FROM requests WHERE rowid > ?1").bind(mark.rowid).first<{ n: number }>()))?.n ?? 0);
    const row: ThroughputRow = { recording, connections: CONNECTIONS, seconds: round(run.seconds, 1) ?? 0, sent: run.all.length, rps: round(run.samples.length / run.seconds, 0) ?? 0, errors, rowsWritten, drained: audit?.drained ?? rowsWritten === 0 };
    log(`  recording ${recording.padEnd(3)}: ${row.rps} req/s at ${CONNECTIONS} connections for ${row.seconds} s; ${row.sent} sent (warm-up included), ${errors} errors, ${rowsWritten} ledger rows`);
    return row;
  } finally {
    await gw.dispose();
  }
}

async function main(): Promise<number> {
  const machine = machineInfo(`npm run bench:scale${args.length ? ` -- ${args.join(" ")}` : ""}`);
  log(`bench:scale: ${ROWS.toLocaleString("en-US")} seeded requests over ${SPAN_DAYS} days; results in ${outDir}`);
  const bundle = buildBundle(join(outDir, "dist"));
  const { match } = await startChild("upstream", process.execPath, ["--import", "tsx", join(REPO, "bench/servers/upstream.ts")], {
    cwd: REPO, ready: /ready (\d+)/, readyTimeoutMs: 30_000, logFile: join(outDir, "upstream.log"),
  });
  const upstream = `http://127.0.0.1:${match[1]}`;
  const stateDir = join(outDir, "state-scale");
  // Raw rows are kept for the whole span (retention would delete them), so "without rollups" can read 90 days.
  const gw = await startMiniflareGateway({ scriptPath: bundle, stateDir, d1: "file", logFile: join(outDir, "worker.log"), vars: { LEDGER_RETENTION_DAYS: "3650" } });
  let problems = 0;
  const results: Record<string, unknown> = { machine, rows: ROWS, reps: REPS };
  try {
    await storeConfig(gw.origin, overheadConfig(upstream));
    const empty = await dbSize(gw);
    // Rows end at the last whole hour more than an hour ago, so every hour of them can be folded.
    const end = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    log("seeding");
    const seeded = await seed(gw, end);
    const seededBytes = (await dbSize(gw)) - empty;
    log(`  ${seeded.requests} requests, ${seeded.attempts} attempts, ${seeded.feedback} feedback rows in ${seeded.seconds} s; ${seededBytes} bytes (${Math.round(seededBytes / seeded.requests)} bytes per request with its attempt, feedback and indexes; ${seeded.rowsWritten} D1 rows written, ${(seeded.rowsWritten / seeded.requests).toFixed(2)} per request)`);
    if (seeded.requests !== ROWS) problems++;
    log("GET /admin/stats over raw rows (source=raw)");
    const raw = await timeQueries(gw, end, "raw");
    log("rollup cron until caught up");
    const rollups = await catchUpRollups(gw, end);
    const rolledBytes = (await dbSize(gw)) - empty - seededBytes;
    log(`  ${rollups.runs} runs in ${rollups.seconds} s: ${rollups.hourRows} hourly and ${rollups.dayRows} daily rollup rows, ${rolledBytes} bytes`);
    log("GET /admin/stats over rollups (default)");
    const rolled = await timeQueries(gw, end, "rollups");
    for (const r of rolled) {
      const same = raw.find((x) => x.days === r.days && x.query === r.query);
      if (same && same.requests !== r.requests) {
        problems++;
        log(`PROBLEM: ${r.days} d ${r.query}: ${r.requests} requests over rollups, ${same.requests} over raw rows`);
      }
    }
    await gw.dispose();
    log("throughput, recording on and off");
    const tput = [await throughput(bundle, upstream, "on"), await throughput(bundle, upstream, "off")];
    for (const t of tput) {
      const want = t.recording === "on" ? t.sent : 0;
      if (t.rowsWritten !== want) {
        problems++;
        log(`PROBLEM: recording ${t.recording}: ${t.rowsWritten} rows for ${t.sent} requests sent`);
      }
    }
    Object.assign(results, { seeded, bytes: { empty, seeded: seededBytes, rollups: rolledBytes }, rollups, queries: [...raw, ...rolled], throughput: tput });
  } finally {
    await gw.dispose().catch(() => undefined);
    await stopAll();
  }
  writeFileSync(join(outDir, "scale.json"), `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${join(outDir, "scale.json")}${problems ? `; ${problems} PROBLEM(s)` : ""}`);
  return problems ? 1 : 0;
}

process.exitCode = await main();
