/**
 * The client's stream, normalised whatever the upstream sent (issue 15 item 3): routing across
 * providers must be invisible to the client, and SDK stream helpers assemble an answer from the
 * chunks' shape. Per choice: `role` in its first delta and never again; tool-call indices dense
 * from 0 in order of first appearance (an upstream may count from 1, or skip), each call's first
 * delta carrying its id, `type` and name and later ones only arguments; exactly one finish
 * reason (a repeated finish chunk is dropped). Every chunk has the first one's id and created.
 * Usage travels in one chunk of its own (`choices: []`) at the very end: usage seen mid-stream
 * is held back, the last figure wins (the stitched stream's sum over continuations comes last).
 * Every inbound codec reads the normalised source, so the Anthropic and Responses writers see
 * the same well-formed sequence.
 */
import type { ChatCompletionChunk, ToolCallDelta, Usage } from "../core/chat-response";
import type { ChunkSource } from "../core/chunk-source";

type Choice = ChatCompletionChunk["choices"][number];

interface ChoiceState {
  /** Upstream tool-call index → the client's (dense, from 0). */
  tools: Map<number, number>;
  finished: boolean;
}

function carries(c: Choice): boolean {
  const d = c.delta;
  return Boolean(
    d.role || typeof d.content === "string" || d.reasoning_content || d.refusal || d.tool_calls?.length || c.finish_reason || c.logprobs ||
      Object.keys(d).some((k) => !Object.hasOwn(KNOWN_DELTA_FIELDS, k)),
  );
}
/** Delta fields handled here; others (audio, annotations, …) are passed on as they came. */
const KNOWN_DELTA_FIELDS = { role: 1, content: 1, reasoning_content: 1, refusal: 1, tool_calls: 1 } as const;

function freshCallId(): string {
  return `call_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

export function normalisedStream(source: ChunkSource): ChunkSource {
  const states = new Map<number, ChoiceState>();
  let base: Pick<ChatCompletionChunk, "id" | "created" | "model" | "system_fingerprint"> | null = null;
  let usage: Usage | null = null;
  let ended = false;

  const toolDeltas = (state: ChoiceState, calls: ToolCallDelta[]): ToolCallDelta[] =>
    calls.map((tc) => {
      const known = state.tools.get(tc.index);
      if (known !== undefined) return tc.function?.arguments ? { index: known, function: { arguments: tc.function.arguments } } : { index: known };
      const index = state.tools.size;
      state.tools.set(tc.index, index);
      return { index, id: tc.id || freshCallId(), type: "function", function: { name: tc.function?.name ?? "", arguments: tc.function?.arguments ?? "" } };
    });

  const choice = (c: Choice): Choice | null => {
    let state = states.get(c.index);
    const first = !state;
    if (!state) states.set(c.index, (state = { tools: new Map(), finished: false }));
    // After its finish a choice has nothing more to say (an adapter fails a stream that adds answer after it).
    if (state.finished) return null;
    const { role: _role, tool_calls: calls, ...rest } = c.delta;
    const delta: Choice["delta"] = first ? { role: "assistant", ...rest } : rest;
    if (calls?.length) {
      const mapped = toolDeltas(state, calls).filter((tc) => tc.id || tc.function);
      if (mapped.length > 0) delta.tool_calls = mapped;
    }
    if (c.finish_reason) state.finished = true;
    const out: Choice = { ...c, delta };
    return carries(out) ? out : null;
  };

  const normalise = (chunk: ChatCompletionChunk): ChatCompletionChunk | null => {
    base ??= {
      id: chunk.id || `chatcmpl-${crypto.randomUUID().replace(/-/g, "")}`, created: chunk.created, model: chunk.model,
      ...(chunk.system_fingerprint !== undefined ? { system_fingerprint: chunk.system_fingerprint } : {}),
    };
    if (chunk.usage) usage = chunk.usage;
    const choices = chunk.choices.map(choice).filter((c): c is Choice => c !== null);
    if (choices.length === 0) return null;
    const { usage: _usage, ...rest } = chunk;
    return { ...rest, id: base.id, created: base.created, model: chunk.model || base.model, choices };
  };

  return {
    async read() {
      for (;;) {
        if (ended) return { done: true, value: undefined };
        const result = await source.read();
        if (result.done) {
          ended = true;
          if (usage && base) return { done: false, value: { ...base, object: "chat.completion.chunk", choices: [], usage } };
          continue;
        }
        const out = normalise(result.value);
        if (out) return { done: false, value: out };
      }
    },
    cancel: (reason) => source.cancel(reason),
  };
}
