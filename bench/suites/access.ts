/**
 * Access control on the request path: what checking a gateway key, reserving and settling a
 * budget and counting rate limits add to a request, at 1 and 50 connections, against the same
 * gateway with access control switched off. Off = the config says `access.requireKey: false` and
 * has no budgets or team limits, and requests carry no key (no key lookup, no Durable Object
 * call); on = a KV gateway key with rpm, tpm, concurrency and a budget, in a team with rate limits
 * and a budget: per request a key lookup (cached per isolate, KEY_CACHE_TTL_SECONDS) and one
 * admission and one settlement in each of two SpendObjects (`key:<id>`, `team:bench`), limits set
 * far above what the run sends so nothing is refused. Between them, "key": a KV key without
 * limits or budgets (the key check alone). The sides take turns cell by cell.
 */
import { adminHeaders, storeConfig } from "../lib/admin";
import { BENCH_CLIENT_HEADERS } from "../lib/client-key";
import { overheadConfig } from "../lib/configs";
import { closedLoop, type RequestSpec, type Sample } from "../lib/http-load";
import { waitIdle } from "../lib/procs";
import { distribution, round, type Distribution } from "../lib/stats";
import { gatewaySpec } from "../lib/targets";
import type { MiniflareGateway } from "../lib/gateway-miniflare";

export interface AccessParams {
  connections: number[];
  durationMs: number;
  warmupMs: number;
  /** Off/on pairs per connection count (samples pooled per side). */
  rounds: number;
}

export interface AccessCell {
  access: Side;
  connections: number;
  requests: number;
  errors: number;
  latency: Distribution;
}

export interface AccessResult {
  params: AccessParams;
  cells: AccessCell[];
  /** What the on side was checked to do (a key's x-ratelimit-* headers, a 401 without a key, spend counted). */
  checks: { onHeaders: boolean; onRefusesNoKey: boolean; offAdmitsNoKey: boolean; keySpentUsd: number; teamSpentUsd: number };
}

/** off: no access control; key: a KV key's lookup only (no limits, no budgets); on: key + rate limits + budgets. */
export type Side = "off" | "key" | "on";
const SIDES: Side[] = ["off", "key", "on"];

const HUGE = { rpm: 10_000_000, tpm: 1_000_000_000, concurrency: 10_000 };

function configs(upstream: string) {
  const base = overheadConfig(upstream);
  const off = { ...base, access: { requireKey: false, keys: [], origins: [] } };
  const on = {
    ...base,
    teams: { bench: HUGE },
    budgets: [{ scope: "team" as const, name: "bench", limitUsd: 1_000_000, period: "month" as const, alerts: [] }],
  };
  // The key alone: checked, but without limits or budgets anywhere (no Durable Object call).
  const key = base;
  return { off, key, on };
}

async function createKey(origin: string, limited: boolean): Promise<{ id: string; key: string }> {
  const limits = limited ? { ...HUGE, budget: { limitUsd: 1_000_000, period: "month", alerts: [] } } : {};
  const res = await fetch(`${origin}/admin/keys`, {
    method: "POST", headers: adminHeaders,
    body: JSON.stringify({ name: `bench-access-${limited ? "limited" : "plain"}-${Date.now()}`, team: limited ? "bench" : "bench-plain", ...limits }),
  });
  if (res.status !== 201) throw new Error(`POST /admin/keys answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

function specWith(key: string | null): RequestSpec {
  const spec = gatewaySpec("non-stream");
  const headers = { ...spec.headers };
  for (const h of Object.keys(BENCH_CLIENT_HEADERS)) delete headers[h];
  if (key) headers.authorization = `Bearer ${key}`;
  return { ...spec, headers };
}

const ok = (s: Sample) => s.status === 200 && s.complete;

async function spent(origin: string, scope: string): Promise<number> {
  const rows = ((await (await fetch(`${origin}/admin/budgets`, { headers: adminHeaders })).json()) as { data: Array<{ scope: string; spentUsd: number }> }).data;
  return rows.find((r) => r.scope === scope)?.spentUsd ?? 0;
}

export async function runAccess(gw: MiniflareGateway, upstream: string, p: AccessParams, log: (m: string) => void): Promise<AccessResult> {
  const docs = configs(upstream);
  const { id, key } = await createKey(gw.origin, true);
  const plain = await createKey(gw.origin, false);
  const specs: Record<Side, RequestSpec> = { off: specWith(null), key: specWith(plain.key), on: specWith(key) };
  const pids = gw.workerdPid ? [gw.workerdPid] : [];

  // What each side does, checked once before measuring.
  await storeConfig(gw.origin, docs.on);
  const probe = async (spec: RequestSpec) => fetch(`${gw.origin}${spec.path}`, { method: "POST", headers: spec.headers, body: spec.body as string });
  const onRes = await probe(specs.on);
  await onRes.text();
  const noKey = await probe(specs.off);
  await noKey.text();
  await storeConfig(gw.origin, docs.off);
  const offRes = await probe(specs.off);
  await offRes.text();
  const checks = { onHeaders: onRes.status === 200 && onRes.headers.get("x-ratelimit-limit-requests") === String(HUGE.rpm), onRefusesNoKey: noKey.status === 401, offAdmitsNoKey: offRes.status === 200, keySpentUsd: 0, teamSpentUsd: 0 };

  const pooled = new Map<string, Sample[]>();
  for (const c of p.connections) {
    for (let r = 0; r < p.rounds; r++) {
      for (const side of SIDES) {
        await storeConfig(gw.origin, docs[side]);
        await waitIdle(pids, { maxMs: 10_000 });
        const run = await closedLoop(gw.origin, specs[side], { connections: c, durationMs: p.durationMs, warmupMs: p.warmupMs, timeoutMs: 30_000 });
        const k = `${side}:${c}`;
        pooled.set(k, [...(pooled.get(k) ?? []), ...run.samples]);
      }
    }
  }
  const cells: AccessCell[] = [];
  for (const c of p.connections) {
    for (const side of SIDES) {
      const samples = pooled.get(`${side}:${c}`) ?? [];
      const good = samples.filter(ok);
      cells.push({ access: side, connections: c, requests: samples.length, errors: samples.length - good.length, latency: distribution(good.map((s) => s.totalMs)) });
    }
    const [off, keyOnly, on] = cells.slice(-3) as [AccessCell, AccessCell, AccessCell];
    const added = (a: number | null, b: number | null) => (a === null || b === null ? "–" : `${a - b >= 0 ? "+" : ""}${round(a - b)}`);
    const line = (x: AccessCell) => `p50 ${round(x.latency.p50)} / p99 ${round(x.latency.p99)} ms (${x.requests} req)`;
    log(`  c=${c}: off ${line(off)}; key only ${line(keyOnly)}, added ${added(keyOnly.latency.p50, off.latency.p50)} / ${added(keyOnly.latency.p99, off.latency.p99)}; on ${line(on)}, added ${added(on.latency.p50, off.latency.p50)} / ${added(on.latency.p99, off.latency.p99)} ms`);
  }
  await storeConfig(gw.origin, docs.on);
  checks.keySpentUsd = await spent(gw.origin, `key:${id}`);
  checks.teamSpentUsd = await spent(gw.origin, "team:bench");
  log(`  checks: on sends x-ratelimit-* ${checks.onHeaders}, on refuses a keyless request ${checks.onRefusesNoKey}, off admits it ${checks.offAdmitsNoKey}; spend counted key $${checks.keySpentUsd.toFixed(6)}, team $${checks.teamSpentUsd.toFixed(6)}`);
  return { params: p, cells, checks };
}
