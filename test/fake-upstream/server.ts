/**
 * A fake upstream on 127.0.0.1 speaking the real wire formats at the real endpoint paths:
 *   POST …/chat/completions                     OpenAI and compatibles (model from the body)
 *   POST …/messages                             Anthropic Messages (model from the body)
 *   POST …/models/{model}:generateContent       Gemini (model from the path; streamGenerateContent?alt=sse)
 * It replays recordings from ../shared/wire (`wire:<provider>/<name>`) or the repo's own fixtures
 * (`fixture:<name>`), echoes (`echo`), and injects faults (status codes, delays, cut or stalled
 * streams). Control: GET /__requests, POST /__reset, GET /__recording/<provider>/<file>.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPO_ROOT, sharedDir } from "../../scripts/lib/shared-dir";
import { numOpt, parseScenario, type Scenario } from "./scenario";
import { echoChunks, echoCompletion } from "./echo";

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
}

export interface FakeUpstream {
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

const FIXTURES_DIR = resolve(REPO_ROOT, "test/fixtures/wire");
const MAX_RECORDED = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function routeOf(method: string, path: string): { wire: Wire; model?: string; stream?: boolean } | null {
  if (method !== "POST") return null;
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

function sseFrame(wire: Wire, line: string): string {
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

function errorBody(wire: Wire, status: number, message: string): unknown {
  if (wire === "anthropic") return { type: "error", error: { type: status === 529 ? "overloaded_error" : status === 429 ? "rate_limit_error" : "api_error", message } };
  if (wire === "gemini") return { error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE" } };
  return { error: { message, type: status === 429 ? "rate_limit_error" : "server_error", code: null } };
}

export async function startFakeUpstream(port = 0): Promise<FakeUpstream> {
  const recorded: RecordedRequest[] = [];
  const counters = new Map<string, number>();

  async function replay(res: ServerResponse, wire: Wire, name: string, stream: boolean, s: Scenario) {
    const file = recordingPath(name, stream ? ".chunks.txt" : ".json");
    if (!file) return json(res, 500, errorBody(wire, 500, `fake upstream: no recording ${name} (${stream ? "stream" : "json"})`));
    const text = readFileSync(file, "utf8");
    if (!stream) {
      const body = JSON.parse(text) as { error?: unknown; type?: string };
      const status = body.error !== undefined || body.type === "error" ? numOpt(s, "status", 400) : 200;
      return json(res, status, body);
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const pace = numOpt(s, "pace", 0);
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      res.write(sseFrame(wire, line));
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

    switch (s.kind) {
      case "wire":
      case "fixture":
        return replay(res, wire, s.kind === "fixture" ? `fixture/${s.args[0]}` : (s.args[0] ?? ""), stream, s);
      case "status": {
        if (!faultActive) break;
        const status = Number(s.args[0] ?? 500);
        const headers: Record<string, string> = {};
        if (s.opts["retry-after"] !== undefined) headers["retry-after"] = s.opts["retry-after"];
        return json(res, status, errorBody(wire, status, `fake upstream: injected ${status}`), headers);
      }
      case "slow":
        if (faultActive) await sleep(Number(s.args[0] ?? 1000));
        break;
      case "hangup":
        if (faultActive) return req.socket.destroy();
        break;
      case "cut":
      case "stall":
      case "error-event":
      case "empty":
        if (faultActive && stream && wire === "openai") return faultyStream(req, res, s, body);
        break;
    }
    if (wire !== "openai") return json(res, 501, errorBody(wire, 501, `fake upstream: scenario ${s.kind} is not available on the ${wire} wire`));
    if (!stream) return json(res, 200, echoCompletion(body, model, s));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const pace = numOpt(s, "pace", 0);
    for (const chunk of echoChunks(body, model, s)) {
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      if (pace > 0) await sleep(pace);
    }
    res.write("data: [DONE]\n\n");
    res.end();
  }

  async function faultyStream(req: IncomingMessage, res: ServerResponse, s: Scenario, body: Record<string, unknown>) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    if (s.kind === "empty") {
      res.write("data: [DONE]\n\n");
      return res.end();
    }
    const n = Number(s.args[0] ?? 2);
    const chunks = echoChunks(body, s.raw, s).slice(0, n);
    for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
    if (s.kind === "cut") {
      await sleep(5);
      return req.socket.destroy();
    }
    if (s.kind === "error-event") {
      res.write(`data: ${JSON.stringify({ error: { message: "fake upstream: injected in-stream error", type: "server_error" } })}\n\n`);
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
      if (req.method === "POST" && path === "/__reset") {
        recorded.length = 0;
        counters.clear();
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
      recorded.push({ method: req.method ?? "", path: path + url.search, headers: req.headers, body, wire: route.wire, model, stream, at: Date.now() });
      if (recorded.length > MAX_RECORDED) recorded.shift();
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
