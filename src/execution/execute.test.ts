/**
 * executePlan with injected deps (fetch, now, secrets, signal): fallbacks, cascades and streams
 * decided in plain Node, no workerd. The upstream is a fetch that answers per model id.
 */
import { describe, expect, it } from "vitest";
import { ConfigSchema, type Config, type ConfigInput } from "../config/schema";
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletionChunk } from "../core/chat-response";
import { planRequest } from "../routing/plan";
import type { RequestMeta } from "../routing/request-meta";
import { executePlan } from "./execute";
import type { ExecDeps } from "./types";

const KEY = "sk-exec-test-key-0123456789";
const price = { input: 1, output: 2 };
const config = (routes: ConfigInput["routes"]): Config =>
  ConfigSchema.parse({
    baseline: "strong",
    providers: { up: { type: "openai", baseUrl: "https://upstream.test/v1", keySecret: "UP_API_KEY" } },
    models: { cheap: { provider: "up", id: "cheap-id", price, fallbacks: ["backup"] }, backup: { provider: "up", id: "backup-id", price }, strong: { provider: "up", id: "strong-id", price } },
    routes,
  });
const meta: RequestMeta = { requestId: "req-x", receivedAt: 0, promptChars: 5, promptTokens: 2, hasTools: false, hasResponseFormat: false, lastUserText: "hello" };

type Answer = { status: number; text?: string } | "refused";
/** A fetch answering each upstream model id as told, recording the ids it was asked for. */
function upstream(answers: Record<string, Answer>) {
  const asked: string[] = [];
  const keys = new Set<string | null>();
  const answer = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body)) as { model: string; stream?: boolean };
    asked.push(body.model);
    keys.add(new Headers(init?.headers).get("authorization"));
    const a = answers[body.model] ?? { status: 500 };
    if (a === "refused") throw new TypeError("fetch failed: connection refused");
    if (a.status !== 200) return Response.json({ error: { message: `upstream says ${a.status}`, type: "server_error" } }, { status: a.status });
    const text = a.text ?? `answer from ${body.model}`;
    if (!body.stream) {
      return Response.json({ id: "c1", object: "chat.completion", created: 1, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 } });
    }
    const chunk = (delta: object, finish: string | null, usage?: object) => `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
    const sse = chunk({ role: "assistant", content: "" }, null) + [...text].map((ch) => chunk({ content: ch }, null)).join("") + chunk({}, "stop", { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 }) + "data: [DONE]\n\n";
    return new Response(sse, { headers: { "content-type": "text/event-stream" } });
  };
  return { fetch: answer as typeof globalThis.fetch, asked, keys };
}

const deps = (cfg: Config, fetch: typeof globalThis.fetch): ExecDeps => {
  let t = 1_000;
  return { config: cfg, fetch, secret: (n) => (n === "UP_API_KEY" ? KEY : undefined), keyHosts: () => ["upstream.test"], now: () => (t += 5), signal: new AbortController().signal };
};
const run = (cfg: Config, request: ChatRequest, fetch: typeof globalThis.fetch) => executePlan(planRequest(request, meta, cfg), request, deps(cfg, fetch));
const ask = (model: string, stream = false): ChatRequest => ({ model, messages: [{ role: "user", content: "hello" }], ...(stream ? { stream: true } : {}) });

async function readAll(source: { read(): Promise<ReadableStreamReadResult<ChatCompletionChunk>> }): Promise<string> {
  let text = "";
  for (;;) {
    const { done, value } = await source.read();
    if (done) return text;
    for (const c of value.choices) text += c.delta.content ?? "";
  }
}

describe("executePlan with injected deps", () => {
  it("falls back past a 500 and a refused connection, recording every attempt with its cost", async () => {
    const cfg = config([{ name: "default", match: {}, model: "cheap", fallbacks: ["backup", "strong"] }]);
    const up = upstream({ "cheap-id": { status: 500 }, "backup-id": "refused", "strong-id": { status: 200 } });
    const ex = await run(cfg, ask("auto"), up.fetch);
    if (ex.kind !== "completion") throw new Error(`expected a completion, got ${ex.kind}`);
    expect(ex.completion.choices[0]?.message.content).toBe("answer from strong-id");
    expect(ex.served.model).toBe("strong");
    expect(up.asked).toEqual(["cheap-id", "backup-id", "strong-id"]);
    expect(ex.attempts.map((a) => [a.model, a.ok, a.httpStatus])).toEqual([["cheap", false, 500], ["backup", false, null], ["strong", true, 200]]);
    expect(ex.attempts[2]?.costUsd).toBeCloseTo((10 * 1 + 4 * 2) / 1e6, 12);
    expect([...up.keys]).toEqual([`Bearer ${KEY}`]);
    expect(JSON.stringify(ex.attempts)).not.toContain(KEY);
  });

  it("returns an error execution, with every attempt, when nothing can answer (a model named directly walks its own fallbacks)", async () => {
    const cfg = config([{ name: "default", match: {}, model: "strong" }]);
    const ex = await run(cfg, ask("cheap"), upstream({}).fetch);
    expect(ex.kind).toBe("error");
    expect(ex.attempts.map((a) => a.model)).toEqual(["cheap", "backup"]);
    if (ex.kind === "error") expect(JSON.stringify(ex.error)).not.toContain(KEY);
  });

  it("escalates a cascade when the cheap answer fails its check, and serves the first that passes", async () => {
    const cfg = config([{ name: "default", match: {}, steps: [{ model: "cheap", checks: [{ type: "contains", terms: ["Paris"] }] }, { model: "strong" }] }]);
    const up = upstream({ "cheap-id": { status: 200, text: "Lyon, I think" }, "strong-id": { status: 200, text: "Paris" } });
    const ex = await run(cfg, ask("auto"), up.fetch);
    if (ex.kind !== "completion") throw new Error(`expected a completion, got ${ex.kind}`);
    expect(ex.completion.choices[0]?.message.content).toBe("Paris");
    expect(ex.escalations).toBe(1);
    expect(ex.attempts.map((a) => [a.model, a.kind, a.checks?.[0]?.passed ?? null])).toEqual([["cheap", "primary", false], ["strong", "escalation", null]]);
  });

  it("does not escalate when the cheap answer passes", async () => {
    const cfg = config([{ name: "default", match: {}, steps: [{ model: "cheap", checks: [{ type: "contains", terms: ["Paris"] }] }, { model: "strong" }] }]);
    const up = upstream({ "cheap-id": { status: 200, text: "Paris" } });
    const ex = await run(cfg, ask("auto"), up.fetch);
    expect(ex.kind === "completion" && ex.quality).toBe("passed");
    expect(up.asked).toEqual(["cheap-id"]);
  });

  it("streams the fallback's answer when the primary fails before its first content, and settles `finished` with the real usage", async () => {
    const cfg = config([{ name: "default", match: {}, model: "backup", fallbacks: ["strong"] }]);
    const up = upstream({ "backup-id": { status: 503 }, "strong-id": { status: 200, text: "streamed" } });
    const ex = await run(cfg, ask("auto", true), up.fetch);
    if (ex.kind !== "stream") throw new Error(`expected a stream, got ${ex.kind}`);
    expect(ex.served.model).toBe("strong");
    expect(await readAll(ex.source)).toBe("streamed");
    const end = await ex.finished;
    expect(end).toMatchObject({ status: "ok", finishReason: "stop" });
    expect(ex.attempts.at(-1)).toMatchObject({ model: "strong", ok: true, tokens: { input: 10, output: 4 } });
  });
});
