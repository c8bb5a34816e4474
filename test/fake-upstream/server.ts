/**
 * A fake upstream on 127.0.0.1 speaking the real wire formats at the real endpoint paths:
 *   POST …/chat/completions                     OpenAI and compatibles (model from the body)
 *   POST …/messages                             Anthropic Messages (model from the body)
 *   POST …/messages/count_tokens                Anthropic token count: FAKE_COUNT_BASE + the body's JSON length
 *   POST …/embeddings, …/models/{m}:batchEmbedContents   embeddings (fakeVector per input; `status:n` fails)
 *   POST …/models/{model}:generateContent       Gemini (model from the path; streamGenerateContent?alt=sse)
 * It replays recordings from ../shared/wire (`wire:<provider>/<name>`) or the repo's own fixtures
 * (`fixture:<name>`), echoes (`echo`), and injects faults (status codes with each wire's error
 * body, delays, cut or stalled streams, in-stream error events) and upstream quirks (quirks.ts). Control: GET /__requests,
 * POST /__reset, GET /__recordings, GET /__recording/<provider>/<file>. Faults that come and go
 * (a seeded share of calls, a time window) are in faults.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPO_ROOT, sharedDir } from "../../scripts/lib/shared-dir";
import { numOpt, parseScenario, type Scenario } from "./scenario";
import { echoChunks, echoCompletion, openAIError, openAIStreamError } from "./echo";
import { anthropicError, anthropicEvents, anthropicMessage, anthropicStreamError } from "./anthropic";
import { geminiError, geminiEvents, geminiResponse, geminiStreamError } from "./gemini";
import { intermittentFaults, type Fault } from "./faults";
import { leak } from "./leak";
import { quirksOf, withQuirks } from "./quirks";

export type Wire = "openai" | "anthropic" | "gemini";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  wire: Wire;
  model: string;
  stream: boolean;
  at: number;
  /** When the connection to the gateway closed (its end, or the gateway hanging up), and whether the answer had been sent whole by then. */
  closedAt?: number;
  finished?: boolean;
}

export interface FakeUpstream {
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

const FIXTURES_DIR = resolve(REPO_ROOT, "test/fixtures/wire");
const MAX_RECORDED = 500;

/** OpenAI's answer to max_tokens on a reasoning model (as in ../shared/wire/openai/reasoning-model-legacy-parameter-error.json). */
const LEGACY_MAX_TOKENS_ERROR = {
  error: {
    message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    type: "invalid_request_error",
    param: "max_tokens",
    code: "unsupported_parameter",
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fake's token count is this plus the JSON length of the counted body, so a test can tell it from the gateway's estimate. */
export const FAKE_COUNT_BASE = 1_000;

/** The fake's embedding of one input: `dims` values from a hash of the model and the text, so a test can recompute it. */
export function fakeVector(model: string, text: string, dims: number): number[] {
  let h = 2166136261;
  for (const ch of `${model}|${text}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return Array.from({ length: dims }, (_, i) => (((h + i * 2654435761) >>> 0) % 2000) / 1000 - 1);
}
export const FAKE_EMBEDDING_DIMS = 4;

function routeOf(method: string, path: string): { wire: Wire; model?: string; stream?: boolean; countTokens?: boolean; embed?: boolean } | null {
  if (method !== "POST") return null;
  if (/\/embeddings$/.test(path)) return { wire: "openai", embed: true };
  const ge = path.match(/\/models\/([^/]+):batchEmbedContents$/);
  if (ge && ge[1]) return { wire: "gemini", model: decodeURIComponent(ge[1]), embed: true };
  if (/\/messages\/count_tokens$/.test(path)) return { wire: "anthropic", countTokens: true };
  if (/\/chat\/completions$/.test(path)) return { wire: "openai" };
  if (/\/messages$/.test(path)) return { wire: "anthropic" };
  const g = path.match(/\/models\/([^/]+):(generateContent|streamGenerateContent)$/);
  if (g && g[1]) return { wire: "gemini", model: decodeURIComponent(g[1]), stream: g[2] === "streamGenerateContent" };
  return null;
}

function recordingPath(name: string, ext: ".json" | ".chunks.txt"): string | null {
  // `wire:<provider>/<name>` reads ../shared/wire; `fixture:<name>` reads the repo's own fixtures.
  const [source, rest] = name.startsWith("fixture/") ? [FIXTURES_DIR, name.slice("fixture/".length)] : [resolve(sharedDir(), "wire"), name];
  if (!/^[A-Za-z0-9._/-]+$/.test(rest) || rest.includes("..")) return null;
  const file = resolve(source, rest + ext);
  return existsSync(file) ? file : null;
}

function sseFrame(wire: Wire, data: unknown): string {
  const line = typeof data === "string" ? data : JSON.stringify(data);
  if (wire === "anthropic") {
    const type = (JSON.parse(line) as { type?: string }).type ?? "message";
    return `event: ${type}\ndata: ${line}\n\n`;
  }
  return `data: ${line}\n\n`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(wire: Wire, status: number, message: string, s: Scenario = parseScenario("status")): unknown {
  if (wire === "anthropic") return anthropicError(status, message);
  if (wire === "gemini") return geminiError(status, message, s);
  return openAIError(status, message);
}

/** Every answer this wire would stream for the echo scenario, as SSE frames. */
function echoFrames(wire: Wire, body: Record<string, unknown>, model: string, s: Scenario): string[] {
  const events = wire === "anthropic" ? anthropicEvents(body, model, s) : wire === "gemini" ? geminiEvents(body, model, s) : echoChunks(body, model, s);
  const frames = withQuirks(wire, events, quirksOf(s)).map((e) => sseFrame(wire, e));
  if (wire === "openai") frames.push("data: [DONE]\n\n");
  return frames;
}

function echoBody(wire: Wire, body: Record<string, unknown>, model: string, s: Scenario): unknown {
  return wire === "anthropic" ? anthropicMessage(body, model, s) : wire === "gemini" ? geminiResponse(body, model, s) : echoCompletion(body, model, s);
}

/**
 * An event that breaks the wire's own protocol at any point after the start, each a part of an
 * answer that was never opened: OpenAI — arguments for a tool call no delta named; Anthropic — a
 * delta for a content block never started; Gemini — function-call arguments with no call open.
 */
function violationFrames(wire: Wire, model: string): string[] {
  if (wire === "anthropic") return [sseFrame(wire, { type: "content_block_delta", index: 7, delta: { type: "text_delta", text: " stray" } })];
  if (wire === "gemini") {
    const part = { functionCall: { partialArgs: [{ jsonPath: "$.stray", stringValue: "x" }], willContinue: false } };
    return [sseFrame(wire, { candidates: [{ content: { role: "model", parts: [part] }, index: 0 }], modelVersion: model, responseId: "resp_fake" })];
  }
  const delta = { tool_calls: [{ index: 3, function: { arguments: "{\"stray\": true}" } }] };
  return [sseFrame(wire, { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: null }] })];
}

function streamErrorFrame(wire: Wire): string {
  return sseFrame(wire, wire === "anthropic" ? anthropicStreamError() : wire === "gemini" ? geminiStreamError() : openAIStreamError());
}

function fakeEmbeddings(res: ServerResponse, wire: Wire, body: Record<string, unknown>, model: string) {
  const s = parseScenario(model);
  if (s.kind === "status") {
    const status = Number(s.args[0] ?? 500);
    const headers: Record<string, string> = s.opts["retry-after"] !== undefined ? { "retry-after": s.opts["retry-after"] } : {};
    return json(res, status, errorBody(wire, status, `fake upstream: injected ${status}`, s), headers);
  }
  if (wire === "gemini") {
    const requests = (body.requests ?? []) as Array<{ content: { parts: Array<{ text: string }> }; outputDimensionality?: number }>;
    return json(res, 200, { embeddings: requests.map((r) => ({ values: fakeVector(model, r.content.parts.map((p) => p.text).join(""), r.outputDimensionality ?? FAKE_EMBEDDING_DIMS) })) });
  }
  const input = body.input;
  const texts = typeof input === "string" ? [input] : Array.isArray(input) && typeof input[0] === "number" ? [JSON.stringify(input)] : ((input ?? []) as unknown[]).map((i) => (typeof i === "string" ? i : JSON.stringify(i)));
  const dims = typeof body.dimensions === "number" ? body.dimensions : FAKE_EMBEDDING_DIMS;
  // Real APIs may answer out of order; the index says where each belongs.
  const data = texts.map((t, index) => ({ object: "embedding", index, embedding: fakeVector(model, t, dims) })).reverse();
  const tokens = texts.reduce((n, t) => n + t.split(/\s+/).filter(Boolean).length, 0);
  return json(res, 200, { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

export interface RecordingEntry {
  provider: string;
  name: string;
  /** A non-stream response (or an error body) exists as `<name>.json`. */
  json: boolean;
  /** A stream exists as `<name>.chunks.txt`. */
  chunks: boolean;
}

/** The recordings a test can replay, by provider folder. */
export function listRecordings(): RecordingEntry[] {
  const root = resolve(sharedDir(), "wire");
  if (!existsSync(root)) return [];
  const out: RecordingEntry[] = [];
  for (const provider of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const files = readdirSync(resolve(root, provider));
    const names = new Set(files.filter((f) => f.endsWith(".json") || f.endsWith(".chunks.txt")).map((f) => f.replace(/\.chunks\.txt$|\.json$/, "")));
    for (const name of [...names].sort()) out.push({ provider, name, json: files.includes(`${name}.json`), chunks: files.includes(`${name}.chunks.txt`) });
  }
  return out;
}

/** The key the gateway sent, in whichever header its wire uses. */
function sentKey(req: IncomingMessage): string {
  const h = req.headers;
  const bearer = typeof h.authorization === "string" ? h.authorization.replace(/^Bearer\s+/i, "") : "";
  return String(h["x-api-key"] ?? h["x-goog-api-key"] ?? bearer);
}

export async function startFakeUpstream(port = 0): Promise<FakeUpstream> {
  const recorded: RecordedRequest[] = [];
  const counters = new Map<string, number>();
  const intermittent = intermittentFaults();

  async function replay(res: ServerResponse, wire: Wire, name: string, stream: boolean, s: Scenario) {
    const chunksFile = stream ? recordingPath(name, ".chunks.txt") : null;
    // A recorded error body is the answer to a stream request too (errors come before any stream).
    const file = chunksFile ?? recordingPath(name, ".json");
    if (!file) return json(res, 500, errorBody(wire, 500, `fake upstream: no recording ${name} (${stream ? "stream" : "json"})`));
    const text = readFileSync(file, "utf8");
    if (!chunksFile) {
      const body = JSON.parse(text) as { error?: unknown; type?: string };
      const isError = body.error !== undefined || body.type === "error";
      if (stream && !isError) return json(res, 500, errorBody(wire, 500, `fake upstream: no stream recording ${name}`));
      return json(res, isError ? numOpt(s, "status", 400) : 200, body);
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const pace = numOpt(s, "pace", 0);
    const quirks = quirksOf(s);
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    const events = quirks.size > 0 ? withQuirks(wire, lines.map((line) => JSON.parse(line) as unknown), quirks) : lines;
    for (const event of events) {
      res.write(sseFrame(wire, event));
      if (pace > 0) await sleep(pace);
    }
    if (wire === "openai") res.write("data: [DONE]\n\n");
    res.end();
  }

  async function answer(req: IncomingMessage, res: ServerResponse, wire: Wire, body: Record<string, unknown>, model: string, stream: boolean) {
    const s = parseScenario(model);
    const latency = numOpt(s, "latency", 0);
    if (latency > 0) await sleep(latency);

    // Fault injection; `times=n` limits a fault to the first n calls of this model id.
    const times = s.opts.times === undefined ? Infinity : Number(s.opts.times);
    const count = (counters.get(s.raw) ?? 0) + 1;
    counters.set(s.raw, count);
    const faultActive = count <= times;

    // `flaky` and `outage` (faults.ts): a fault on some calls, the echo answer on the others.
    const fault = intermittent.decide(s, Date.now());
    if (fault) {
      if (fault.kind === "slow") await sleep(fault.ms);
      else return inflict(req, res, wire, fault, stream, body, s);
    }

    switch (s.kind) {
      case "wire":
      case "fixture":
        return replay(res, wire, s.kind === "fixture" ? `fixture/${s.args[0]}` : (s.args[0] ?? ""), stream, s);
      case "status": {
        if (!faultActive) break;
        const status = Number(s.args[0] ?? 500);
        const headers: Record<string, string> = {};
        if (s.opts["retry-after"] !== undefined) headers["retry-after"] = s.opts["retry-after"];
        return json(res, status, errorBody(wire, status, `fake upstream: injected ${status}`, s), headers);
      }
      case "leak":
        // An upstream that quotes the key it was sent, as real APIs do for a wrong key (leak.ts: every field, text, re-encodings, streams).
        if (s.args[0] === undefined) return json(res, 401, errorBody(wire, 401, `Incorrect API key provided: ${sentKey(req)}. Check it at https://example.test/keys?key=${sentKey(req)}`, s));
        return leak(res, wire, sentKey(req), s, stream, (n) => echoFrames(wire, body, model, s).slice(0, n));
      case "legacy-max-tokens":
        // OpenAI's reasoning models: max_tokens is refused, max_completion_tokens accepted.
        if (body.max_tokens !== undefined) return json(res, 400, LEGACY_MAX_TOKENS_ERROR);
        break;
      case "slow":
        if (faultActive) await sleep(Number(s.args[0] ?? 1000));
        break;
      case "hangup":
        if (faultActive) return req.socket.destroy();
        break;
      case "cut":
      case "truncate":
      case "stall":
      case "error-event":
      case "garbage":
      case "violate":
      case "empty":
        if (faultActive && stream) return faultyStream(req, res, wire, s, body);
        break;
    }
    if (!stream) return json(res, 200, echoBody(wire, body, model, s));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const pace = numOpt(s, "pace", 0);
    for (const frame of echoFrames(wire, body, model, s)) {
      res.write(frame);
      if (pace > 0) await sleep(pace);
    }
    res.end();
  }

  async function inflict(req: IncomingMessage, res: ServerResponse, wire: Wire, fault: Exclude<Fault, { kind: "slow" }>, stream: boolean, body: Record<string, unknown>, s: Scenario) {
    if (fault.kind === "status") return json(res, fault.status, errorBody(wire, fault.status, `fake upstream: injected ${fault.status}`, s));
    if (fault.kind === "cut" && stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const frame of echoFrames(wire, body, s.raw, s).slice(0, fault.chunks)) res.write(frame);
      await sleep(5);
    }
    req.socket.destroy();
  }

  /** The first n frames of an echo stream, then the fault. */
  async function faultyStream(req: IncomingMessage, res: ServerResponse, wire: Wire, s: Scenario, body: Record<string, unknown>) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    if (s.kind === "empty") {
      if (wire === "openai") res.write("data: [DONE]\n\n");
      return res.end();
    }
    const n = Number(s.args[0] ?? 2);
    for (const frame of echoFrames(wire, body, s.raw, s).slice(0, n)) res.write(frame);
    if (s.kind === "cut") {
      await sleep(5);
      return req.socket.destroy();
    }
    // truncate: a clean end of the response, but before the wire's own end-of-answer event.
    if (s.kind === "truncate") return res.end();
    if (s.kind === "error-event") {
      res.write(streamErrorFrame(wire));
      return res.end();
    }
    // garbage: an event whose data is not JSON, then the rest of the answer as if nothing happened.
    if (s.kind === "garbage") {
      res.write("data: {\"choices\": [{\"delta\": {\"content\": \"unterminated\n\n");
      for (const frame of echoFrames(wire, body, s.raw, s).slice(n)) res.write(frame);
      return res.end();
    }
    // violate: an event that cannot follow the ones before it on this wire, then the rest of the answer.
    if (s.kind === "violate") {
      for (const frame of violationFrames(wire, s.raw)) res.write(frame);
      for (const frame of echoFrames(wire, body, s.raw, s).slice(n)) res.write(frame);
      return res.end();
    }
    // stall: keep the connection open, send nothing more, until the client goes away.
    await new Promise<void>((r) => req.socket.once("close", () => r()));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname;
      if (req.method === "GET" && path === "/__requests") {
        const model = url.searchParams.get("model");
        return json(res, 200, model ? recorded.filter((r) => r.model === model) : recorded);
      }
      if (req.method === "GET" && path === "/__recordings") return json(res, 200, listRecordings());
      if (req.method === "POST" && path === "/__reset") {
        recorded.length = 0;
        counters.clear();
        intermittent.reset();
        return json(res, 200, { ok: true });
      }
      if (req.method === "GET" && path.startsWith("/__recording/")) {
        const rel = path.slice("/__recording/".length);
        const ext = rel.endsWith(".chunks.txt") ? ".chunks.txt" : ".json";
        const file = recordingPath(rel.slice(0, -ext.length), ext);
        if (!file) return json(res, 404, { error: "no such recording" });
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end(readFileSync(file));
      }
      const route = routeOf(req.method ?? "", path);
      if (!route) return json(res, 404, { error: { message: `fake upstream: no endpoint ${req.method} ${path}` } });
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        return json(res, 400, errorBody(route.wire, 400, "fake upstream: body is not JSON"));
      }
      const model = route.model ?? (typeof body.model === "string" ? body.model : "echo");
      const stream = route.stream ?? body.stream === true;
      const entry: RecordedRequest = { method: req.method ?? "", path: path + url.search, headers: req.headers, body, wire: route.wire, model, stream, at: Date.now() };
      recorded.push(entry);
      res.once("close", () => {
        entry.closedAt = Date.now();
        entry.finished = res.writableFinished;
      });
      if (recorded.length > MAX_RECORDED) recorded.shift();
      if (route.embed) return fakeEmbeddings(res, route.wire, body, model);
      if (route.countTokens) {
        const s = parseScenario(model);
        if (s.kind === "status") return json(res, Number(s.args[0] ?? 500), errorBody("anthropic", Number(s.args[0] ?? 500), "fake upstream: injected"));
        return json(res, 200, { input_tokens: FAKE_COUNT_BASE + JSON.stringify(body).length });
      }
      answer(req, res, route.wire, body, model, stream).catch((err: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { message: String(err) } });
        else res.end();
      });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    server,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
