/**
 * Unit-test support for the provider adapters: a fetch that answers with a committed fixture (the
 * bytes a provider sends, cut into small pieces so every chunk boundary is exercised) and records
 * what it was asked, and a reader that assembles the canonical chunks into one answer. Imported by
 * tests only; never part of the Worker.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChatCompletionChunk, FinishReason, Usage } from "../../core/chat-response";
import type { UpstreamResult } from "../types";

export interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** The fixture file next to the test (`dir` is the test's `import.meta.url`). */
export function fixture(dir: string, name: string): string {
  return readFileSync(join(dirname(fileURLToPath(dir)), "__fixtures__", name), "utf8");
}

/** A fetch answering `text` in pieces of `pieceBytes`, with `status`; `sent` receives each request. */
export function fixtureFetch(text: string, opts: { status?: number; contentType?: string; pieceBytes?: number } = {}): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const bytes = new TextEncoder().encode(text);
  const piece = opts.pieceBytes ?? 7;
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    sent.push({ url: String(input), headers, body: JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown> });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += piece) c.enqueue(bytes.slice(i, i + piece));
        c.close();
      },
    });
    return new Response(body, { status: opts.status ?? 200, headers: { "content-type": opts.contentType ?? "text/event-stream" } });
  };
  return { fetch: fake as typeof fetch, sent };
}

export interface Assembled {
  role: string | undefined;
  text: string;
  reasoning: string;
  toolCalls: Array<{ id: string | undefined; name: string; arguments: string }>;
  finish: FinishReason | null;
  usage: Usage | undefined;
  chunks: number;
}

/** Reads a stream result to its end and folds its chunks as a client would. */
export async function assemble(result: UpstreamResult): Promise<Assembled> {
  if (result.kind !== "stream") throw new Error("expected a stream");
  const out: Assembled = { role: undefined, text: "", reasoning: "", toolCalls: [], finish: null, usage: undefined, chunks: 0 };
  const reader = result.chunks.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    fold(out, value);
  }
}

function fold(out: Assembled, chunk: ChatCompletionChunk): void {
  out.chunks++;
  if (chunk.usage) out.usage = chunk.usage;
  for (const c of chunk.choices) {
    const d = c.delta;
    if (typeof d.role === "string") out.role ??= d.role;
    if (typeof d.content === "string") out.text += d.content;
    if (typeof d.reasoning_content === "string") out.reasoning += d.reasoning_content;
    for (const t of d.tool_calls ?? []) {
      const call = (out.toolCalls[t.index] ??= { id: undefined, name: "", arguments: "" });
      if (t.id) call.id = t.id;
      if (t.function?.name) call.name += t.function.name;
      if (t.function?.arguments) call.arguments += t.function.arguments;
    }
    if (c.finish_reason) out.finish = c.finish_reason;
  }
}

export const abortless = (): AbortSignal => new AbortController().signal;
