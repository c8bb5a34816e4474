/**
 * What a well-formed client stream is, checked event by event; each function returns the rules a
 * stream breaks (empty when it keeps them all), so a failing test names the broken rule.
 *
 * OpenAI chat-completions stream: one id; per choice `role` in its first delta and in no other;
 * tool-call indices dense from 0 in order of first appearance, each call's first delta with id,
 * `type: "function"` and a name; exactly one finish reason per choice; usage (when there is any)
 * only in the last chunk, which has no choices; exactly one `[DONE]`, last.
 *
 * Anthropic Messages stream: one `message_start` first, one `message_stop` last; content blocks
 * numbered 0, 1, 2, … as they start, one open at a time, every delta and stop for the open block;
 * one `message_delta`, after the last block closed.
 */
import type { EventSourceMessage } from "eventsource-parser";

interface Chunk {
  id?: string;
  usage?: unknown;
  choices?: Array<{ index: number; delta?: { role?: string; tool_calls?: Array<{ index: number; id?: string; type?: string; function?: { name?: string } }> }; finish_reason?: string | null }>;
}

export function openAIStreamProblems(events: EventSourceMessage[], opts: { usage?: boolean } = {}): string[] {
  const problems: string[] = [];
  const done = events.filter((e) => e.data === "[DONE]").length;
  if (done !== 1 || events.at(-1)?.data !== "[DONE]") problems.push(`[DONE] ${done} times${events.at(-1)?.data === "[DONE]" ? "" : ", not last"}`);
  const chunks = events.filter((e) => e.data !== "[DONE]").map((e) => JSON.parse(e.data) as Chunk);
  if (new Set(chunks.map((c) => c.id)).size > 1) problems.push("more than one id");
  const roles = new Map<number, number>();
  const seen = new Set<number>();
  const finishes = new Map<number, number>();
  const tools = new Map<number, number[]>();
  chunks.forEach((chunk, i) => {
    if (chunk.usage && (i !== chunks.length - 1 || (chunk.choices ?? []).length > 0)) problems.push(`usage in chunk ${i} of ${chunks.length}, not a final chunk of its own`);
    for (const c of chunk.choices ?? []) {
      const first = !seen.has(c.index);
      seen.add(c.index);
      if (c.delta?.role) roles.set(c.index, (roles.get(c.index) ?? 0) + 1);
      if (first && c.delta?.role !== "assistant") problems.push(`choice ${c.index}: first delta has no role`);
      if (c.finish_reason) finishes.set(c.index, (finishes.get(c.index) ?? 0) + 1);
      const order = tools.get(c.index) ?? [];
      tools.set(c.index, order);
      for (const tc of c.delta?.tool_calls ?? []) {
        if (order.includes(tc.index)) continue;
        if (tc.index !== order.length) problems.push(`choice ${c.index}: tool call index ${tc.index} where ${order.length} was next`);
        if (!tc.id || tc.type !== "function" || !tc.function?.name) problems.push(`choice ${c.index}: tool call ${tc.index} opened without id, type or name`);
        order.push(tc.index);
      }
    }
  });
  for (const [index, n] of roles) if (n !== 1) problems.push(`choice ${index}: role ${n} times`);
  for (const index of seen) if (finishes.get(index) !== 1) problems.push(`choice ${index}: ${finishes.get(index) ?? 0} finish reasons`);
  const last = chunks.at(-1);
  if (opts.usage && !(last?.usage && (last.choices ?? []).length === 0)) problems.push("usage asked for, no final usage chunk");
  return problems;
}

export function anthropicStreamProblems(events: EventSourceMessage[]): string[] {
  const problems: string[] = [];
  const types = events.map((e) => e.event);
  if (types[0] !== "message_start" || types.filter((t) => t === "message_start").length !== 1) problems.push("not one message_start, first");
  if (types.at(-1) !== "message_stop" || types.filter((t) => t === "message_stop").length !== 1) problems.push("not one message_stop, last");
  if (types.filter((t) => t === "message_delta").length !== 1) problems.push("not one message_delta");
  let next = 0;
  let open: number | null = null;
  for (const e of events) {
    const data = JSON.parse(e.data) as { index?: number };
    if (e.event === "content_block_start") {
      if (open !== null) problems.push(`block ${data.index} started while ${open} is open`);
      if (data.index !== next) problems.push(`block ${data.index} started where ${next} was next`);
      open = data.index ?? null;
      next++;
    } else if (e.event === "content_block_delta" || e.event === "content_block_stop") {
      if (data.index !== open) problems.push(`${e.event} for block ${data.index} while ${open ?? "none"} is open`);
      if (e.event === "content_block_stop") open = null;
    } else if (e.event === "message_delta" && open !== null) problems.push(`message_delta while block ${open} is open`);
  }
  return problems;
}
