/** What the overhead suite calls: the upstream directly, tiergate (Miniflare, wrangler dev) and the peer. */
import type { D1Like } from "./gateway-miniflare";
import type { RequestSpec } from "./http-load";
import { BENCH_CLIENT_HEADERS } from "./client-key";
import { INSTANT_ID, NON_STREAM_ID, STREAM_ID } from "./configs";

export type Mode = "non-stream" | "stream" | "instant";

export interface Target {
  key: "direct" | "tiergate" | "tiergate-wrangler" | "portkey";
  label: string;
  origin: string;
  spec(mode: Mode): RequestSpec;
  /** Processes serving it, to wait for them to go idle between runs. */
  pids(): number[];
  /** Set for tiergate on Miniflare: its ledger is audited after every run. */
  ledger?: D1Like;
}

const PROMPT = [{ role: "user", content: "Say hello to the benchmark." }];
const upstreamId: Record<Mode, string> = { "non-stream": NON_STREAM_ID, stream: STREAM_ID, instant: INSTANT_ID };
const json = { "content-type": "application/json" };

/** An OpenAI-wire body naming the upstream's model id (direct calls and the peer). */
export function wireSpec(mode: Mode, headers: Record<string, string> = {}): RequestSpec {
  const stream = mode === "stream";
  const body = { model: upstreamId[mode], messages: PROMPT, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) };
  return { path: "/v1/chat/completions", headers: { ...json, ...headers }, body: JSON.stringify(body) };
}

/** tiergate: `auto`, routed by feature to the model with that upstream id (configs.ts). */
export function gatewaySpec(mode: Mode): RequestSpec {
  const body = { model: "auto", messages: PROMPT, ...(mode === "stream" ? { stream: true } : {}) };
  const feature: Record<string, string> = mode === "non-stream" ? {} : { "x-tiergate-feature": mode };
  return { path: "/v1/chat/completions", headers: { ...json, ...BENCH_CLIENT_HEADERS, ...feature }, body: JSON.stringify(body) };
}
