/** What a cache entry holds, and how a streamed answer becomes one (the stored form is a whole completion). */
import type { ChatCompletion, ChatCompletionChunk, ToolCallOut } from "../core/chat-response";
import type { TokenCounts } from "../pricing/cost";

export interface CacheEntry {
  v: 1;
  storedAt: number;
  expiresAt: number;
  /** The request whose upstream answer this is. */
  sourceRequestId: string;
  served: { model: string; provider: string; providerKind: string; simulated: boolean };
  completion: ChatCompletion;
  /** The served answer's tokens and upstream cost (what a hit saves). */
  tokens: TokenCounts;
  costUsd: number;
}

/** How a request met the cache, for headers and the ledger. */
export interface CacheNote {
  /** hit: served from the cache; miss: looked up, not found, stored after; refresh: not looked up (no-cache), stored; bypass: neither (no-store); skip: not cacheable. */
  status: "hit" | "miss" | "refresh" | "bypass" | "skip";
  kind: "exact";
  /** hit: the entry's source request and age. */
  sourceRequestId?: string;
  ageMs?: number;
  tokens?: TokenCounts;
  /** hit: the upstream cost the entry's answer had, not spent again. */
  savedUsd?: number;
  /** skip: why. */
  reason?: string;
}

/** The whole completion a client streamed, from its chunks in order. */
export function completionFromChunks(chunks: ChatCompletionChunk[]): ChatCompletion | null {
  const first = chunks[0];
  if (!first) return null;
  const choices = new Map<number, { content: string; reasoning: string; refusal: string; tools: ToolCallOut[]; finish: ChatCompletion["choices"][number]["finish_reason"] }>();
  let usage: ChatCompletion["usage"];
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      let slot = choices.get(c.index);
      if (!slot) choices.set(c.index, (slot = { content: "", reasoning: "", refusal: "", tools: [], finish: null }));
      const d = c.delta;
      slot.content += d.content ?? "";
      slot.reasoning += d.reasoning_content ?? "";
      slot.refusal += d.refusal ?? "";
      for (const tc of d.tool_calls ?? []) {
        const t = (slot.tools[tc.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
        if (tc.id) t.id = tc.id;
        t.function.name += tc.function?.name ?? "";
        t.function.arguments += tc.function?.arguments ?? "";
      }
      if (c.finish_reason) slot.finish = c.finish_reason;
    }
  }
  const completion: ChatCompletion = {
    id: first.id, object: "chat.completion", created: first.created, model: first.model,
    choices: [...choices.entries()].sort(([a], [b]) => a - b).map(([index, s]) => ({
      index,
      message: {
        role: "assistant", content: s.content,
        ...(s.reasoning ? { reasoning_content: s.reasoning } : {}),
        ...(s.refusal ? { refusal: s.refusal } : {}),
        ...(s.tools.length > 0 ? { tool_calls: s.tools.filter(Boolean) } : {}),
      },
      finish_reason: s.finish, logprobs: null,
    })),
  };
  if (usage) completion.usage = usage;
  return completion;
}
