/** Token counts for an answer: the upstream's usage when reported, else an estimate marked as one. */
import { promptText, type ChatRequest } from "../core/chat-request";
import type { ChatCompletion, ChatCompletionChunk, Usage } from "../core/chat-response";
import { estimateTokens, estimateTokensFromChars } from "../core/tokens";
import { countsFromUsage, type TokenCounts } from "../pricing/cost";

export function estimatedCounts(request: ChatRequest, outputChars: number): TokenCounts {
  return { input: estimateTokens(promptText(request)), output: estimateTokensFromChars(outputChars), cachedInput: 0, cacheWrite: 0, reasoning: 0, estimated: true };
}

export function completionOutputChars(completion: ChatCompletion): number {
  let chars = 0;
  for (const c of completion.choices) {
    chars += (c.message.content ?? "").length + (c.message.reasoning_content ?? "").length;
    for (const tc of c.message.tool_calls ?? []) chars += tc.function.name.length + tc.function.arguments.length;
  }
  return chars;
}

export function chunkOutputChars(chunk: ChatCompletionChunk): number {
  let chars = 0;
  for (const c of chunk.choices) {
    const d = c.delta;
    chars += (d.content ?? "").length + (d.reasoning_content ?? "").length;
    for (const tc of d.tool_calls ?? []) chars += (tc.function?.name ?? "").length + (tc.function?.arguments ?? "").length;
  }
  return chars;
}

export function countsFor(request: ChatRequest, usage: Usage | null | undefined, outputChars: number): TokenCounts {
  return usage ? countsFromUsage(usage) : estimatedCounts(request, outputChars);
}
