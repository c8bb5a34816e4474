/** Drives the gateway in the Workers runtime: requests, config in real local KV, ledger rows from real local D1. */
import { exports } from "cloudflare:workers";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { ConfigInput } from "../../src/config/schema";
import { readLedgerEntry, type RequestRow } from "../../src/storage/ledger-store";
import { KV_CONFIG_KEY, KV_LAST_VALID_KEY } from "../../src/storage/kv-keys";
import { resetConfigCache } from "../../src/storage/config-store";
import { testEnv } from "./env";

export const GATEWAY = "http://gateway.test";
export const ADMIN = { authorization: "Bearer test-admin-token" };

/**
 * The gateway key every helper sends by default (authentication is on by default). Its record is
 * stored in KV before each test file (test/support/apply-migrations.ts): name "test-client", team "test".
 * SDK clients in tests use it as their `apiKey`.
 */
export const TEST_CLIENT_KEY = "tg_test_client_key_not_a_secret_0123456789";
export const TEST_CLIENT = { name: "test-client", team: "test" } as const;

export interface CallOptions {
  /** The credential to send as `Authorization: Bearer`; null sends none (for 401 tests). Default TEST_CLIENT_KEY. */
  key?: string | null;
  /** Lets a test play a client that goes away. */
  signal?: AbortSignal;
}
/** The same options under the name other suites use. */
export type ClientOptions = CallOptions;

/** Adds the credential unless the caller set one (authorization or x-api-key) or opted out, and a JSON content type. */
function withKey(init: RequestInit | undefined, opts: CallOptions): RequestInit {
  const headers = new Headers(init?.headers);
  const key = opts.key === undefined ? TEST_CLIENT_KEY : opts.key;
  if (key !== null && !headers.has("authorization") && !headers.has("x-api-key")) headers.set("authorization", `Bearer ${key}`);
  // JSON bodies go as JSON unless the test says otherwise (the gateway refuses other content types: 415).
  if (typeof init?.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  return { ...init, headers };
}

/** Any request to the gateway; `/v1/*` calls carry the test key unless `opts.key` says otherwise. */
export function gw(path: string, init?: RequestInit, opts: CallOptions = {}): Promise<Response> {
  return exports.default.fetch(new Request(GATEWAY + path, path.startsWith("/v1/") ? withKey(init, opts) : init));
}

/** A `fetch` that reaches the worker, for SDK clients (`fetch` option) pointed at GATEWAY. */
export const gatewayFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => exports.default.fetch(new Request(input, init));

/** POST /v1/messages: the Anthropic-format endpoint. */
export function messages(body: unknown, headers: Record<string, string> = {}, opts: CallOptions = {}): Promise<Response> {
  return gw("/v1/messages", {
    ...(opts.signal ? { signal: opts.signal } : {}),
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }, opts);
}

export function chat(body: unknown, headers: Record<string, string> = {}, opts: CallOptions = {}): Promise<Response> {
  return gw("/v1/chat/completions", {
    ...(opts.signal ? { signal: opts.signal } : {}),
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }, opts);
}

export async function putConfig(doc: unknown): Promise<void> {
  await testEnv().CONFIG.put(KV_CONFIG_KEY, typeof doc === "string" ? doc : JSON.stringify(doc));
}

/** Fresh KV and a cold isolate cache: as after a deploy with nothing stored. */
export async function clearConfig(): Promise<void> {
  await testEnv().CONFIG.delete(KV_CONFIG_KEY);
  await testEnv().CONFIG.delete(KV_LAST_VALID_KEY);
  resetConfigCache();
}

export interface LedgerView {
  request: RequestRow;
  attempts: RequestRow[];
}

/** The ledger entry for a request id; it is written after the response (waitUntil), so poll briefly. */
export async function ledger(id: string | null, timeoutMs = 5_000): Promise<LedgerView> {
  if (!id) throw new Error("response had no x-tiergate-request-id");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = await readLedgerEntry(testEnv().LEDGER, id);
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`no ledger row for ${id} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The ledger entries of requests tagged with this feature (for requests whose client never saw a
 * response, so has no request id), once `count` of them are written.
 */
export async function ledgerByFeature(feature: string, count = 1, timeoutMs = 5_000): Promise<LedgerView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { results } = await testEnv().LEDGER.prepare("SELECT id FROM requests WHERE feature = ?1 ORDER BY ts").bind(feature).all<{ id: string }>();
    if (results.length >= count) return Promise.all(results.map((r) => ledger(r.id)));
    if (Date.now() > deadline) throw new Error(`${results.length} ledger rows for feature ${feature} after ${timeoutMs} ms, wanted ${count}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function sseEvents(res: Response): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  parser.feed(await res.text());
  return events;
}

/** The client's view of a streamed answer: text assembled from deltas, the finish reason, the usage chunk. */
export interface Assembled {
  text: string;
  reasoning: string;
  refusal: string;
  finishReason: string | null;
  usage: Record<string, unknown> | null;
  toolCalls: Array<{ id?: string; name: string; arguments: string }>;
  done: boolean;
  error: { message: string; type: string; code: string } | null;
  chunks: number;
  /** Deltas that (re)announce the assistant role: one per answer. */
  roles: number;
}

export async function assembleStream(res: Response): Promise<Assembled> {
  const out: Assembled = { text: "", reasoning: "", refusal: "", finishReason: null, usage: null, toolCalls: [], done: false, error: null, chunks: 0, roles: 0 };
  for (const e of await sseEvents(res)) {
    if (e.data === "[DONE]") {
      out.done = true;
      continue;
    }
    const chunk = JSON.parse(e.data) as {
      error?: Assembled["error"];
      usage?: Record<string, unknown> | null;
      choices?: Array<{ delta: { role?: string; content?: string | null; reasoning_content?: string | null; refusal?: string | null; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> }; finish_reason: string | null }>;
    };
    if (chunk.error) {
      out.error = chunk.error;
      continue;
    }
    out.chunks++;
    if (chunk.usage) out.usage = chunk.usage;
    for (const c of chunk.choices ?? []) {
      if (c.delta.role) out.roles++;
      out.text += c.delta.content ?? "";
      out.reasoning += c.delta.reasoning_content ?? "";
      out.refusal += c.delta.refusal ?? "";
      for (const tc of c.delta.tool_calls ?? []) {
        const slot = (out.toolCalls[tc.index] ??= { name: "", arguments: "" });
        if (tc.id) slot.id = tc.id;
        slot.name += tc.function?.name ?? "";
        slot.arguments += tc.function?.arguments ?? "";
      }
      if (c.finish_reason) out.finishReason = c.finish_reason;
    }
  }
  return out;
}

// ---- the fake upstream -------------------------------------------------------------------

export interface UpstreamRequest {
  path: string;
  headers: Record<string, string | undefined>;
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  at: number;
  /** When the gateway's connection for this call closed, and whether the whole answer had been sent by then. */
  closedAt?: number;
  finished?: boolean;
}

export async function upstreamRequests(model?: string): Promise<UpstreamRequest[]> {
  const url = `${testEnv().TEST_UPSTREAM_URL}/__requests${model ? `?model=${encodeURIComponent(model)}` : ""}`;
  return (await (await fetch(url)).json()) as UpstreamRequest[];
}

/** The last request the fake upstream received for this model id (ids made unique per test with uniq()). */
export async function lastUpstreamRequest(model: string): Promise<UpstreamRequest> {
  const sent = (await upstreamRequests(model)).at(-1);
  if (!sent) throw new Error(`the fake upstream received nothing for ${model}`);
  return sent;
}

export async function recording(file: string): Promise<string> {
  const res = await fetch(`${testEnv().TEST_UPSTREAM_URL}/__recording/${file}`);
  if (!res.ok) throw new Error(`recording ${file} unavailable`);
  return res.text();
}

export const wireAvailable = () => testEnv().TEST_WIRE_AVAILABLE === "1";

export interface RecordingEntry {
  provider: string;
  name: string;
  json: boolean;
  chunks: boolean;
}

/** The recordings in ../shared/wire (empty when it is absent). */
export const recordings = (): RecordingEntry[] => JSON.parse(testEnv().TEST_RECORDINGS) as RecordingEntry[];

/** A unique suffix so fault counters (`times=n`) of one test never touch another's. */
export const uniq = () => `run=${crypto.randomUUID().slice(0, 8)}`;

// ---- configs -------------------------------------------------------------------------------

type ModelInput = ConfigInput["models"][string];

/** An upstream model on the fake upstream whose behaviour is the scenario id (OpenAI wire). */
export function fake(scenario: string, price = { input: 1, output: 2 }, extra: Partial<ModelInput> = {}): ModelInput {
  return { provider: "up", id: scenario, price, ...extra };
}

/** The same on the Anthropic Messages wire (provider `claude`). */
export function fakeAnthropic(scenario: string, price = { input: 1, output: 2 }, extra: Partial<ModelInput> = {}): ModelInput {
  return { provider: "claude", id: scenario, price, ...extra };
}

/** The same on the Gemini wire (provider `gemini`). */
export function fakeGemini(scenario: string, price = { input: 1, output: 2 }, extra: Partial<ModelInput> = {}): ModelInput {
  return { provider: "gemini", id: scenario, price, ...extra };
}

export function baseConfig(models: Record<string, ModelInput> = {}, routes?: ConfigInput["routes"], extra: Partial<ConfigInput> = {}): ConfigInput {
  const env = testEnv();
  return {
    version: 1,
    baseline: "big",
    // A breaker threshold no ordinary test reaches: suites that fail a model on purpose must not trip it for the next test.
    defaults: { timeoutMs: 2_000, maxRetryAfterMs: 1_000, maxBodyBytes: 1_048_576, breaker: { failures: 10_000, windowMs: 60_000, cooldownMs: 30_000 } },
    providers: {
      up: { type: "openai", baseUrl: `${env.TEST_UPSTREAM_URL}/v1`, keySecret: "TEST_UPSTREAM_API_KEY" },
      refused: { type: "openai", baseUrl: `${env.TEST_REFUSED_URL}/v1`, keySecret: "TEST_UPSTREAM_API_KEY" },
      claude: { type: "anthropic", baseUrl: `${env.TEST_UPSTREAM_URL}/v1`, keySecret: "TEST_UPSTREAM_API_KEY" },
      gemini: { type: "gemini", baseUrl: `${env.TEST_UPSTREAM_URL}/v1beta`, keySecret: "TEST_UPSTREAM_API_KEY" },
      sim: { type: "simulator", latencyMs: 0, tokensPerSecond: 1_000_000 },
    },
    models: {
      echo: fake("echo"),
      big: fake("echo", { input: 10, output: 30 }),
      "sim-small": { provider: "sim", id: "small", price: { input: 0.15, output: 0.6 } },
      ...models,
    },
    routes: routes ?? [{ name: "default", match: {}, model: "echo" }],
    ...extra,
  };
}

export const userMessage = (content = "Hello there") => [{ role: "user", content }];
