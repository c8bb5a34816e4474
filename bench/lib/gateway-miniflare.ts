/**
 * tiergate as it runs in production: the bundle `wrangler deploy --dry-run` makes, served by
 * workerd through Miniflare directly (no dev proxy), with local KV and D1 (file-backed SQLite,
 * as `wrangler dev` keeps them), the migrations applied and a config stored before anything is
 * measured. Outbound connections are limited to the loopback range by workerd itself.
 */
import { execFileSync } from "node:child_process";
import type { Readable } from "node:stream";
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { descendantsNamed, freePort } from "./procs";

export const REPO = resolve(import.meta.dirname, "../..");
export const ADMIN_TOKEN = "bench-admin-token";
/** The provider key the fake upstream echoes back in the secret-echo cases; it must never come back out. */
export const BENCH_UPSTREAM_API_KEY = "sk-bench-upstream-Q7mZ2xW9vK4pL8nR";

/** Builds the Worker bundle exactly as a deploy would; returns the script path. */
export function buildBundle(outdir: string): string {
  execFileSync(process.execPath, [join(REPO, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir], {
    cwd: REPO, stdio: ["ignore", "ignore", "pipe"], env: process.env,
  });
  return join(outdir, "index.js");
}

/** The migrations as SQL statements, in file order (comments dropped, split on `;` at line ends). */
export function migrationStatements(dir = join(REPO, "migrations")): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), "utf8")
        .split("\n")
        .map((line) => line.replace(/--.*$/, ""))
        .join("\n")
        .split(/;\s*$/m)
        .map((s) => s.trim())
        .filter(Boolean),
    );
}

export interface MiniflareGateway {
  origin: string;
  mf: Miniflare;
  /** The workerd process serving it (for its memory). */
  workerdPid: number | null;
  ledger: D1Like;
  kv: { put(key: string, value: string): Promise<void>; get(key: string): Promise<string | null> };
  /** Internal errors the Worker logged so far (`unhandled_error`, `*_internal_error`, `ledger_write_failed`). */
  internalErrors(): number;
  dispose(): Promise<void>;
}

/** The part of D1Database the benchmark uses (typed here: bench code is not Worker code). */
export interface D1Like {
  prepare(sql: string): { bind(...v: unknown[]): { all<T>(): Promise<{ results: T[] }>; run(): Promise<unknown>; first<T>(): Promise<T | null> }; all<T>(): Promise<{ results: T[] }>; run(): Promise<unknown>; first<T>(): Promise<T | null> };
}

export interface MiniflareGatewayOptions {
  scriptPath: string;
  stateDir: string;
  /** Seconds the isolate caches the config (the Worker's default is 10). */
  configCacheTtlSeconds?: number;
  /** Local D1 in a SQLite file (as `wrangler dev` keeps it, the default) or in memory. */
  d1: "file" | "memory";
  /** The Worker's console output goes here. */
  logFile: string;
  /** More vars for the Worker (e.g. LEDGER_RECORDING, LEDGER_RETENTION_DAYS). */
  vars?: Record<string, string>;
}

const INTERNAL_ERROR = /"event":"(?:unhandled_error|\w+_internal_error|ledger_write_failed)"/g;

export async function startMiniflareGateway({ scriptPath, stateDir, configCacheTtlSeconds = 10, d1, logFile, vars = {} }: MiniflareGatewayOptions): Promise<MiniflareGateway> {
  const wrangler = unstable_readConfig({ config: join(REPO, "wrangler.toml") });
  mkdirSync(stateDir, { recursive: true });
  const port = await freePort();
  const before = new Set(descendantsNamed(process.pid, "workerd"));
  const out = createWriteStream(logFile, { flags: "a" });
  let internalErrors = 0;
  const capture = (stream: Readable) =>
    stream.on("data", (d: Buffer) => {
      out.write(d);
      internalErrors += d.toString("utf8").match(INTERNAL_ERROR)?.length ?? 0;
    });
  const mf = new Miniflare({
    scriptPath,
    modules: true,
    compatibilityDate: wrangler.compatibility_date,
    compatibilityFlags: wrangler.compatibility_flags,
    kvNamespaces: wrangler.kv_namespaces.map((k: { binding: string }) => k.binding),
    d1Databases: wrangler.d1_databases.map((d: { binding: string }) => d.binding),
    kvPersist: join(stateDir, "kv"),
    d1Persist: d1 === "file" ? join(stateDir, "d1") : false,
    // Durable Objects as wrangler.toml declares them (SQLite-backed when its migrations say so).
    durableObjects: Object.fromEntries(
      wrangler.durable_objects.bindings.map((b: { name: string; class_name: string }) => [
        b.name,
        { className: b.class_name, useSQLite: wrangler.migrations.some((m: { new_sqlite_classes?: string[] }) => m.new_sqlite_classes?.includes(b.class_name)) },
      ]),
    ),
    durableObjectsPersist: join(stateDir, "do"),
    // The ledger queue as wrangler.toml declares it: producer binding and the Worker's own consumer.
    queueProducers: Object.fromEntries((wrangler.queues.producers ?? []).map((q: { binding: string; queue: string }) => [q.binding, { queueName: q.queue }])),
    queueConsumers: Object.fromEntries(
      (wrangler.queues.consumers ?? []).map((q: { queue: string; max_batch_size?: number; max_batch_timeout?: number; max_retries?: number; dead_letter_queue?: string }) => [
        q.queue,
        { maxBatchSize: q.max_batch_size, maxBatchTimeout: q.max_batch_timeout, maxRetries: q.max_retries, ...(q.dead_letter_queue ? { deadLetterQueue: q.dead_letter_queue } : {}) },
      ]),
    ),
    // A provider key bound to loopback, for the secret-echo cases of the bad-input suite.
    bindings: { ADMIN_TOKEN, CONFIG_CACHE_TTL_SECONDS: String(configCacheTtlSeconds), BENCH_UPSTREAM_API_KEY, PROVIDER_KEY_HOSTS: JSON.stringify({ BENCH_UPSTREAM_API_KEY: ["127.0.0.1"] }), ...vars },
    // Only ever 127.0.0.0/8, whatever a (fuzzed) config says.
    outboundService: { network: { allow: ["127.0.0.0/8"] } },
    host: "127.0.0.1",
    port,
    log: new Log(LogLevel.WARN),
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      capture(stdout);
      capture(stderr);
    },
    // No request.cf fetch from the network: a placeholder is fine on 127.0.0.1.
    cf: false,
  });
  await mf.ready;
  const ledger = (await mf.getD1Database("LEDGER")) as unknown as D1Like;
  for (const sql of migrationStatements()) await ledger.prepare(sql).run();
  const kvNs = await mf.getKVNamespace("CONFIG");
  const workerd = descendantsNamed(process.pid, "workerd").find((p) => !before.has(p)) ?? null;
  return {
    origin: `http://127.0.0.1:${port}`,
    mf,
    workerdPid: workerd,
    ledger,
    kv: { put: (k: string, v: string) => kvNs.put(k, v), get: (k: string) => kvNs.get(k) },
    internalErrors: () => internalErrors,
    dispose: () => mf.dispose(),
  };
}
