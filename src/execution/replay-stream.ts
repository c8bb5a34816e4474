/** A whole completion as the chunk stream a streaming client expects (for answers that were buffered to be checked). */
import type { ChatCompletion, ChatCompletionChunk } from "../core/chat-response";

export function completionChunks(c: ChatCompletion): ChatCompletionChunk[] {
  const base = { id: c.id, object: "chat.completion.chunk" as const, created: c.created, model: c.model, ...(c.system_fingerprint !== undefined ? { system_fingerprint: c.system_fingerprint } : {}) };
  const out: ChatCompletionChunk[] = [];
  for (const choice of c.choices) {
    const m = choice.message;
    const delta: ChatCompletionChunk["choices"][number]["delta"] = { role: "assistant", content: m.content ?? "" };
    if (m.reasoning_content) delta.reasoning_content = m.reasoning_content;
    if (m.refusal) delta.refusal = m.refusal;
    if (m.tool_calls?.length) delta.tool_calls = m.tool_calls.map((t, index) => ({ index, id: t.id, type: "function", function: { name: t.function.name, arguments: t.function.arguments } }));
    out.push({ ...base, choices: [{ index: choice.index, delta, finish_reason: null, ...(choice.logprobs ? { logprobs: choice.logprobs } : {}) }] });
    out.push({ ...base, choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason ?? "stop" }] });
  }
  if (c.usage) out.push({ ...base, choices: [], usage: c.usage });
  return out;
}

