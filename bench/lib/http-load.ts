/**
 * The latency client: keep-alive HTTP/1.1 from node:http, timed with performance.now() so
 * sub-millisecond overheads show (autocannon's histograms round to whole milliseconds; it is
 * used for saturation throughput only). Closed loop: N connections, each sending its next
 * request when the last answer ended. Open loop: a fixed rate, whatever the answers do.
 */
import { Agent, request } from "node:http";

export interface RequestSpec {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface Sample {
  /** When it was sent, ms since the run started. */
  at: number;
  /** 0 when no response came (connection error, client timeout). */
  status: number;
  /** Sent → first byte of the response body (time to first token for a stream). */
  firstByteMs: number | null;
  totalMs: number;
  requestId: string | null;
  /** x-tiergate-attempts, when the gateway sent it. */
  attempts: number | null;
  /** A whole answer: a non-stream 200 with choices, or a stream that ended with [DONE] and no error event. */
  complete: boolean;
  error?: string;
  body?: string;
  /** Times the request was sent again because a kept-alive socket was closed before it reached the server. */
  resent?: number;
}

export interface SendOptions {
  timeoutMs: number;
  keepBody?: boolean;
}

const MAX_BODY_CHARS = 1 << 20;

/**
 * A kept-alive socket the server closed while the request was being written fails with ECONNRESET /
 * EPIPE before any byte of an answer: the request never reached the gateway (no id, no ledger row),
 * and Node's documentation says to send it again (`request.reusedSocket`). It is sent again once, on a
 * new socket, and counted in `resent`; any other failure is the sample's.
 */
export async function send(agent: Agent, origin: string, spec: RequestSpec, opts: SendOptions, at = 0): Promise<Sample> {
  const first = await sendOnce(agent, origin, spec, opts, at);
  if (!first.staleSocket) return first.sample;
  const again = await sendOnce(agent, origin, spec, opts, at);
  return { ...again.sample, resent: 1 };
}

const STALE_SOCKET_CODES = new Set(["ECONNRESET", "EPIPE"]);

function sendOnce(agent: Agent, origin: string, spec: RequestSpec, { timeoutMs, keepBody = false }: SendOptions, at: number): Promise<{ sample: Sample; staleSocket: boolean }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const done = (s: Omit<Sample, "at">, staleSocket = false) => {
      if (settled) return;
      settled = true;
      resolve({ sample: { at, ...s }, staleSocket });
    };
    const req = request(origin + spec.path, { method: spec.method ?? "POST", headers: spec.headers ?? {}, agent });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`client timeout after ${timeoutMs} ms`)));
    req.on("error", (e: NodeJS.ErrnoException) => {
      const stale = !answered && req.reusedSocket && STALE_SOCKET_CODES.has(e.code ?? "");
      done({ status: 0, firstByteMs: null, totalMs: performance.now() - t0, requestId: null, attempts: null, complete: false, error: e.code ? `${e.code}: ${e.message}` : e.message }, stale);
    });
    req.on("response", (res) => {
      answered = true;
      let firstByteMs: number | null = null;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        firstByteMs ??= performance.now() - t0;
        if (body.length < MAX_BODY_CHARS) body += chunk;
      });
      res.on("error", (e) => done({ status: res.statusCode ?? 0, firstByteMs, totalMs: performance.now() - t0, requestId: null, attempts: null, complete: false, error: e.message }));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        const stream = String(res.headers["content-type"] ?? "").includes("text/event-stream");
        const complete = status === 200 && (stream ? body.trimEnd().endsWith("data: [DONE]") && !/^data: \{"error"/m.test(body) : body.includes('"choices"'));
        const id = res.headers["x-tiergate-request-id"];
        const attempts = res.headers["x-tiergate-attempts"];
        done({
          status, firstByteMs, totalMs: performance.now() - t0, complete,
          requestId: typeof id === "string" ? id : null,
          attempts: typeof attempts === "string" ? Number(attempts) : null,
          ...(keepBody ? { body } : {}),
        });
      });
    });
    req.end(spec.body);
  });
}

export interface ClosedLoopOptions {
  connections: number;
  /** Run for this long after the warm-up… */
  durationMs?: number;
  /** …or until this many requests were sent (warm-up excluded). */
  count?: number;
  /** Samples from this first stretch are thrown away (connections opening, JIT warming). */
  warmupMs: number;
  timeoutMs: number;
  keepBody?: boolean;
}

export interface ClosedLoopResult {
  /** Measured samples (after the warm-up). */
  samples: Sample[];
  /** Every request sent, warm-up included: what the gateway received and must have recorded. */
  all: Sample[];
  seconds: number;
}

export async function closedLoop(origin: string, specFor: RequestSpec | ((i: number) => RequestSpec), o: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const spec = typeof specFor === "function" ? specFor : () => specFor;
  const samples: Sample[] = [];
  const all: Sample[] = [];
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const end = o.durationMs !== undefined ? measureFrom + o.durationMs : Infinity;
  let started = 0;
  const more = () => performance.now() < end && (o.count === undefined || performance.now() < measureFrom || started < o.count);
  const worker = async () => {
    while (more()) {
      const at = performance.now();
      const measured = at >= measureFrom;
      const i = measured ? started++ : -1;
      const s = await send(agent, origin, spec(i), { timeoutMs: o.timeoutMs, keepBody: o.keepBody ?? false }, at - measureFrom);
      all.push(s);
      if (measured) samples.push(s);
    }
  };
  await Promise.all(Array.from({ length: o.connections }, worker));
  const seconds = (performance.now() - measureFrom) / 1000;
  agent.destroy();
  return { samples, all, seconds };
}

export interface OpenLoopOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Requests that would exceed this many in flight are not sent, and counted. */
  maxInFlight: number;
  timeoutMs: number;
  keepBody?: boolean;
}

export interface OpenLoopResult {
  samples: Sample[];
  /** Sends skipped because maxInFlight answers were still pending: the server fell behind. */
  skipped: number;
  seconds: number;
}

export async function openLoop(origin: string, specFor: (i: number) => RequestSpec, o: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxInFlight });
  const samples: Sample[] = [];
  const pending = new Set<Promise<void>>();
  let skipped = 0;
  let due = 0;
  const start = performance.now();
  const total = Math.round((o.ratePerSecond * o.durationMs) / 1000);
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      const target = Math.min(total, Math.floor((elapsed * o.ratePerSecond) / 1000) + 1);
      for (; due < target; due++) {
        if (pending.size >= o.maxInFlight) {
          skipped++;
          continue;
        }
        const p = send(agent, origin, specFor(due), { timeoutMs: o.timeoutMs, keepBody: o.keepBody ?? false }, elapsed).then((s) => {
          samples.push(s);
          pending.delete(p);
        });
        pending.add(p);
      }
      if (due >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { samples, skipped, seconds };
}
