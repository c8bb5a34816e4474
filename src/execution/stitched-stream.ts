/**
 * The client's stream of a live upstream answer, and what happens when that upstream fails after
 * content reached the client. Each upstream call is a *leg*; its record is finalised when the leg
 * ends (usage or an estimate, cost, latency). When a leg fails mid-answer and continuing is
 * allowed and possible, the next candidate is asked to carry on from the partial answer and its
 * output is stitched into the same stream: same id, created and model, choice 0, no second
 * `role`, the overlap at the seam dropped (seam.ts), one finish and, at the end, one usage chunk
 * summing every leg. Continuing is impossible once a tool call, a refusal or a finish reached the
 * client, or with several choices; then — or when no candidate is left — the stream ends with
 * the error, as it does with `onStreamFailure: "error"`.
 */
import { GatewayError, internalError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletionChunk, FinishReason, Usage } from "../core/chat-response";
import type { ChunkSource } from "../core/chunk-source";
import type { BilledPrice as Price } from "../pricing/cost";
import type { AttemptRecord } from "../ledger/attempt";
import { costUsd } from "../pricing/cost";
import { clientAbortedError } from "./attempt";
import { seamOverlap } from "./seam";
import type { Seam, StreamEnd } from "./types";
import { chunkOutputChars, countsFor } from "./usage";

/** One upstream call's live stream (already past its first content). */
export interface StreamLeg {
  source: ChunkSource;
  record: AttemptRecord;
  price: Price;
}

export type ContinueResult = { kind: "ok"; leg: StreamLeg } | { kind: "none"; error?: GatewayError } | { kind: "aborted" };

export interface StitchOptions {
  request: ChatRequest;
  now(): number;
  /** Asks the next candidate to continue from `partial`; null when failures must end the stream. */
  continueWith: ((partial: string, failure: GatewayError) => Promise<ContinueResult>) | null;
  /** The client went away: stop whatever is in flight (a continuation being set up, too). */
  onCancel?: () => void;
}

export interface Stitched {
  source: ChunkSource;
  finished: Promise<StreamEnd>;
}

/** Held-back continuation chunks while the seam is undecided; beyond this many it is decided as is. */
const MAX_HELD_CHUNKS = 256;

class LegTracker {
  private usage: Usage | undefined;
  private chars = 0;
  private ended = false;
  constructor(readonly leg: StreamLeg, private readonly request: ChatRequest) {}

  /** The upstream reported usage for this call. */
  get reported(): boolean {
    return this.usage !== undefined;
  }

  see(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = chunk.usage;
    this.chars += chunkOutputChars(chunk);
  }

  end(now: number, error?: GatewayError): void {
    if (this.ended) return;
    this.ended = true;
    const r = this.leg.record;
    r.latencyMs = now - r.startedAt;
    r.tokens = countsFor(this.request, this.usage, this.chars);
    r.costUsd = costUsd(r.tokens, this.leg.price);
    if (error) {
      r.ok = false;
      r.errorClass = error.errorClass;
      r.errorMessage = error.message;
    }
  }
}

interface SeamState {
  partial: string;
  held: ChatCompletionChunk[];
  heldText: string;
  failedAt: number;
  seam: Seam;
}

// long-function: one closure holds the stream's whole state (legs, seam, what the client has seen); split, it would be passed around piecemeal.
export function stitchedStream(first: StreamLeg, opts: StitchOptions): Stitched {
  const { request, now } = opts;
  const legs: LegTracker[] = [new LegTracker(first, request)];
  let current = legs[0] as LegTracker;
  const seams: Seam[] = [];
  const out: ChatCompletionChunk[] = [];
  let base: Pick<ChatCompletionChunk, "id" | "created" | "model" | "system_fingerprint"> | null = null;
  let sentText = "";
  let blocker: string | null = (request.n ?? 1) > 1 ? "the request asks for several choices" : null;
  let finishReason: FinishReason | null = null;
  let seam: SeamState | null = null;
  let closed = false;
  let settle!: (end: StreamEnd) => void;
  const finished = new Promise<StreamEnd>((resolve) => (settle = resolve));

  const finish = (status: StreamEnd["status"], error?: GatewayError) => {
    if (closed) return;
    closed = true;
    settle({ status, finishReason, endedAt: now(), seams, chain: legs.map((l) => l.leg.record.seq), ...(error ? { error } : {}) });
  };

  /** What the client has now seen of the answer; what would make a continuation impossible. */
  const note = (chunk: ChatCompletionChunk) => {
    for (const c of chunk.choices) {
      if (c.index !== 0) blocker = "the answer has several choices";
      if (c.delta.tool_calls?.length) blocker = "a tool call was in flight";
      if (c.delta.refusal) blocker = "a refusal was being sent";
      if (c.finish_reason) {
        finishReason = c.finish_reason;
        blocker = "the answer had already finished";
      }
      if (c.index === 0 && typeof c.delta.content === "string") sentText += c.delta.content;
    }
  };

  /** A continuation leg's chunk as part of the first leg's answer. */
  const asContinuation = (chunk: ChatCompletionChunk): ChatCompletionChunk | null => {
    const { usage: _usage, ...rest } = chunk;
    const choices = chunk.choices.map((c) => {
      const { role: _role, ...delta } = c.delta;
      return { ...c, delta };
    });
    // Its usage is summed into the one usage chunk at the end; a chunk left with nothing is dropped.
    if (!choices.some(carries)) return null;
    return { ...rest, ...(base ?? {}), choices } as ChatCompletionChunk;
  };

  const emit = (chunk: ChatCompletionChunk) => {
    note(chunk);
    out.push(chunk);
  };

  /** Decides the seam (when it can be decided) and releases what was held back, minus the overlap. */
  const settleSeam = (final: boolean) => {
    if (!seam) return;
    const verdict = seamOverlap(seam.partial, seam.heldText, final || seam.held.length >= MAX_HELD_CHUNKS);
    if (verdict.pending) return;
    let strip = verdict.strip;
    for (const chunk of seam.held) {
      const c = chunk.choices[0];
      if (strip > 0 && c && typeof c.delta.content === "string") {
        const cut = Math.min(strip, c.delta.content.length);
        strip -= cut;
        c.delta = { ...c.delta, content: c.delta.content.slice(cut) };
        if (!carries(c)) continue;
      }
      emit(chunk);
    }
    seam.seam.gapMs = now() - seam.failedAt;
    seam = null;
  };

  const summedUsage = (): ChatCompletionChunk => {
    let prompt = 0;
    let completion = 0;
    for (const l of legs) {
      prompt += l.leg.record.tokens.input;
      completion += l.leg.record.tokens.output;
    }
    return { ...(base as NonNullable<typeof base>), object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } };
  };

  const fail = async (e: unknown): Promise<void> => {
    const err = e instanceof GatewayError ? e : internalError(e);
    if (err.errorClass === "client_aborted") {
      current.end(now(), err);
      finish("aborted");
      throw err;
    }
    const cut = streamCut(err);
    current.end(now(), cut);
    if (!opts.continueWith || blocker !== null) {
      const ending = opts.continueWith ? withReason(cut, `the answer could not be continued: ${blocker}`) : cut;
      finish("error", ending);
      throw ending;
    }
    const failedAt = now();
    const next = await opts.continueWith(sentText, err);
    if (next.kind === "aborted") {
      finish("aborted");
      throw clientAbortedError();
    }
    if (next.kind === "none") {
      const why = withReason(cut, `no model could continue the answer${next.error ? `: ${next.error.message}` : ""}`);
      finish("error", why);
      throw why;
    }
    current = new LegTracker(next.leg, request);
    legs.push(current);
    const s: Seam = { attempt: next.leg.record.seq, chars: sentText.length, gapMs: 0 };
    seams.push(s);
    seam = { partial: sentText, held: [], heldText: "", failedAt, seam: s };
  };

  const read = async (): Promise<ReadableStreamReadResult<ChatCompletionChunk>> => {
    for (;;) {
      const ready = out.shift();
      if (ready) return { done: false, value: ready };
      if (closed) return { done: true, value: undefined };
      let result: ReadableStreamReadResult<ChatCompletionChunk>;
      try {
        result = await current.leg.source.read();
      } catch (e) {
        await fail(e);
        continue;
      }
      if (result.done) {
        current.end(now());
        settleSeam(true);
        // One usage chunk summing every leg after a seam; an estimate (as the ledger's) when the upstream reported none.
        if ((seams.length > 0 || !legs.some((l) => l.reported)) && base) out.push(summedUsage());
        finish(seams.length > 0 ? "recovered" : "ok");
        continue;
      }
      const chunk = result.value;
      current.see(chunk);
      if (legs.length === 1) {
        base ??= { id: chunk.id, created: chunk.created, model: chunk.model, ...(chunk.system_fingerprint !== undefined ? { system_fingerprint: chunk.system_fingerprint } : {}) };
        emit(chunk);
        continue;
      }
      const stitched = asContinuation(chunk);
      if (!stitched) continue;
      if (!seam) {
        emit(stitched);
        continue;
      }
      seam.held.push(stitched);
      seam.heldText += stitched.choices[0]?.delta.content ?? "";
      settleSeam(false);
    }
  };

  return {
    finished,
    source: {
      read,
      async cancel(reason) {
        current.end(now(), clientAbortedError());
        finish("aborted");
        opts.onCancel?.();
        await current.leg.source.cancel(reason).catch(() => {});
      },
    },
  };
}

function carries(c: ChatCompletionChunk["choices"][number]): boolean {
  const d = c.delta;
  return Boolean(d.content || d.reasoning_content || d.tool_calls?.length || d.refusal || c.finish_reason || c.logprobs);
}

/** An error after the answer began: the client has part of it, so it is a cut stream whatever caused it. */
export function streamCut(err: GatewayError): GatewayError {
  return new GatewayError({
    status: err.status, type: err.type, code: err.code, message: err.message, errorClass: err.errorClass === "timeout" ? "timeout" : "stream_interrupted",
    ...(err.provider ? { provider: err.provider } : {}), retryable: false,
  });
}

function withReason(err: GatewayError, reason: string): GatewayError {
  return new GatewayError({
    status: err.status, type: err.type, code: err.code, message: `${err.message}; ${reason}`, errorClass: err.errorClass,
    ...(err.provider ? { provider: err.provider } : {}), retryable: false,
  });
}
