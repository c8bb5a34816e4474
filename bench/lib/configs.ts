/**
 * The config documents the benchmark stores in the gateway. Every model is on the fake upstream;
 * its behaviour is its upstream model id (test/fake-upstream). Routes are picked by feature
 * (`x-tiergate-feature`), so one document serves a whole suite and no run changes config midway.
 */
import type { ConfigInput } from "../../src/config/schema";
import { benchAccess } from "./client-key";

type Models = ConfigInput["models"];
type Routes = ConfigInput["routes"];

/** Upstream latency and stream pacing every overhead figure uses. */
export const UPSTREAM = {
  latencyMs: 10,
  streamTokens: 20,
  streamPaceMs: 2,
};

export const NON_STREAM_ID = `echo:latency=${UPSTREAM.latencyMs}`;
export const STREAM_ID = `echo:latency=${UPSTREAM.latencyMs}:pace=${UPSTREAM.streamPaceMs}:tokens=${UPSTREAM.streamTokens}`;
/** No latency at all: what the gateway itself can push through (saturation). */
export const INSTANT_ID = "echo";

const price = { input: 0.15, output: 0.6 };

export function benchConfig(upstreamOrigin: string, models: Models, routes: Routes, timeoutMs = 30_000): ConfigInput {
  return {
    version: 1,
    baseline: Object.keys(models)[0] ?? "fast",
    defaults: { timeoutMs, maxRetryAfterMs: 2_000, maxBodyBytes: 1_048_576 },
    providers: { up: { type: "openai", baseUrl: `${upstreamOrigin}/v1` } },
    models,
    routes,
    access: benchAccess(),
  };
}

const model = (id: string, extra: Partial<Models[string]> = {}): Models[string] => ({ provider: "up", id, price, ...extra });

/** Overhead and load: `auto` routed by feature to a model with fixed latency (and pacing for streams). */
export function overheadConfig(upstreamOrigin: string): ConfigInput {
  return benchConfig(
    upstreamOrigin,
    { fast: model(NON_STREAM_ID), paced: model(STREAM_ID), instant: model(INSTANT_ID) },
    [
      { name: "stream", match: { feature: "stream" }, model: "paced" },
      { name: "instant", match: { feature: "instant" }, model: "instant" },
      { name: "default", match: {}, model: "fast" },
    ],
  );
}

/** Upstream behaviour shared by every fault-suite model: 10 ms to answer, 10 tokens paced 1 ms apart when streamed. */
const SHAPE = "latency=10:pace=1:tokens=10";
/** Timeout of the primaries that time out on purpose: each costs this much before the fallback. */
export const FAULT_TIMEOUT_MS = 250;

export interface FaultScenario {
  name: string;
  mode: "non-stream" | "stream";
  /**
   * all-ok: a healthy fallback exists and nothing reached the client before the fault, so every request must succeed.
   * recovered-after-content: streams cut after content are continued by the healthy fallback, so every answer must
   * reach the client whole (the exact text), the cut ones recorded as `recovered`.
   * partial-after-content: the route says `onStreamFailure: "error"`, so each cut answer ends in an error event and a `partial` row.
   */
  expect: "all-ok" | "recovered-after-content" | "partial-after-content" | "all-fail";
  /** Upstream model id of the primary (its provider is `up` unless `provider` says otherwise). */
  primary: string;
  provider?: "up" | "down";
  fallback: "healthy" | "broken";
  what: string;
  /** The primary's own timeout; everything else waits the generous default, so a slow machine fails no request. */
  timeoutMs?: number;
  onStreamFailure?: "continue" | "error";
}

export const FAULT_SCENARIOS: FaultScenario[] = [
  { name: "baseline", mode: "non-stream", expect: "all-ok", primary: `echo:${SHAPE}`, fallback: "healthy", what: "primary healthy (reference)" },
  { name: "fail-10", mode: "non-stream", expect: "all-ok", primary: `flaky:503:rate=0.1:seed=10:${SHAPE}`, fallback: "healthy", what: "primary answers 503 on 10% of calls" },
  { name: "fail-50", mode: "non-stream", expect: "all-ok", primary: `flaky:503:rate=0.5:seed=50:${SHAPE}`, fallback: "healthy", what: "primary answers 503 on 50% of calls" },
  { name: "fail-100", mode: "non-stream", expect: "all-ok", primary: `flaky:503:rate=1:${SHAPE}`, fallback: "healthy", what: "primary answers 503 on every call" },
  { name: "refused", mode: "non-stream", expect: "all-ok", primary: "echo", provider: "down", fallback: "healthy", what: "primary's host refuses connections" },
  { name: "hangup-30", mode: "non-stream", expect: "all-ok", primary: `flaky:hangup:rate=0.3:seed=30:${SHAPE}`, fallback: "healthy", what: "primary drops the connection on 30% of calls" },
  { name: "timeout", mode: "non-stream", expect: "all-ok", primary: `flaky:slow:rate=1:ms=5000:${SHAPE}`, fallback: "healthy", timeoutMs: FAULT_TIMEOUT_MS, what: `primary never answers within its ${FAULT_TIMEOUT_MS} ms timeout` },
  { name: "stream-baseline", mode: "stream", expect: "all-ok", primary: `echo:${SHAPE}`, fallback: "healthy", what: "primary healthy, streamed (reference)" },
  { name: "stream-fail-50", mode: "stream", expect: "all-ok", primary: `flaky:503:rate=0.5:seed=51:${SHAPE}`, fallback: "healthy", what: "primary answers 503 on 50% of stream calls" },
  { name: "stream-cut-early", mode: "stream", expect: "all-ok", primary: `flaky:cut:rate=0.5:chunks=1:seed=52:${SHAPE}`, fallback: "healthy", what: "50% of streams cut before any content" },
  { name: "stream-stall-early", mode: "stream", expect: "all-ok", primary: `stall:1:${SHAPE}`, fallback: "healthy", timeoutMs: FAULT_TIMEOUT_MS, what: `every stream stalls before content (primary's timeout ${FAULT_TIMEOUT_MS} ms)` },
  { name: "stream-cut-mid", mode: "stream", expect: "recovered-after-content", primary: `flaky:cut:rate=0.2:chunks=5:seed=53:${SHAPE}`, fallback: "healthy", what: "20% of streams cut after content reached the client, continued by the fallback" },
  { name: "stream-cut-mid-error", mode: "stream", expect: "partial-after-content", primary: `flaky:cut:rate=0.2:chunks=5:seed=54:${SHAPE}`, fallback: "healthy", onStreamFailure: "error", what: "the same with onStreamFailure \"error\": cut answers end in an error event" },
  { name: "all-down", mode: "non-stream", expect: "all-fail", primary: `flaky:503:rate=1:${SHAPE}`, fallback: "broken", what: "primary and fallback both answer 503 (no healthy target)" },
];

/** The outage run: the primary fails every call inside a time window, counted from its first call. */
export function outagePrimary(afterMs: number, forMs: number): string {
  return `outage:503:after=${afterMs}:for=${forMs}:${SHAPE}`;
}

export function faultConfig(upstreamOrigin: string, refusedOrigin: string, outage: string): ConfigInput {
  const models: Models = {
    healthy: model(`echo:${SHAPE}`),
    broken: model(`status:503:${SHAPE}`),
    outage: model(outage),
  };
  const routes: Routes = [];
  for (const s of FAULT_SCENARIOS) {
    models[`p-${s.name}`] = { ...model(s.primary), provider: s.provider ?? "up", ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}) };
    routes.push({ name: s.name, match: { feature: s.name }, model: `p-${s.name}`, fallbacks: [s.fallback], ...(s.onStreamFailure ? { onStreamFailure: s.onStreamFailure } : {}) });
  }
  routes.push({ name: "outage", match: { feature: "outage" }, model: "outage", fallbacks: ["healthy"] });
  routes.push({ name: "default", match: {}, model: "healthy" });
  const doc = benchConfig(upstreamOrigin, models, routes);
  doc.providers.down = { type: "openai", baseUrl: `${refusedOrigin}/v1` };
  doc.baseline = "healthy";
  return doc;
}
