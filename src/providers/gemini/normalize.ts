/** Gemini finish reasons, usage, logprobs and tool-call ids in the canonical (OpenAI) terms. */
import type { ChoiceLogprobs, FinishReason, Usage } from "../../core/chat-response";
import type { WireLogprobsResultT, WireUsageMetadataT } from "./wire-schema";

const BLOCKED = new Set([
  "SAFETY", "RECITATION", "LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
  "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION",
]);
/** The model failed to produce a usable tool call: not a normal end, so checks can escalate on it. */
const FAILED = new Set(["MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS"]);

/** Gemini says STOP after a function call too; OpenAI clients expect `tool_calls` then. */
export function mapFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason | null {
  if (reason === undefined || reason === "") return null;
  if (reason === "MAX_TOKENS") return "length";
  if (BLOCKED.has(reason)) return "content_filter";
  if (FAILED.has(reason)) return "error";
  return hasToolCalls ? "tool_calls" : "stop";
}

/** What a client sees when Gemini blocked the answer (or the prompt) and said nothing more. */
export function blockedMessage(reason: string, detail: string | undefined, what: "response" | "prompt"): string {
  return detail && detail.trim() !== "" ? detail : `The ${what} was blocked by the provider (${reason}).`;
}

/**
 * `promptTokenCount` includes cached content; thought tokens are billed as output but counted
 * apart from `candidatesTokenCount`, so canonical `completion_tokens` is their sum.
 */
export function toUsage(u: WireUsageMetadataT | undefined): Usage | undefined {
  if (!u || (u.promptTokenCount == null && u.candidatesTokenCount == null)) return undefined;
  const prompt = (u.promptTokenCount ?? 0) + (u.toolUsePromptTokenCount ?? 0);
  const thoughts = u.thoughtsTokenCount ?? 0;
  const completion = (u.candidatesTokenCount ?? 0) + thoughts;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: u.cachedContentTokenCount ?? 0 },
  };
  if (u.thoughtsTokenCount != null) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}

export function toLogprobs(r: WireLogprobsResultT | undefined): ChoiceLogprobs | null {
  if (!r?.chosenCandidates) return null;
  return {
    content: r.chosenCandidates.map((c, i) => ({
      token: c.token ?? "",
      logprob: c.logProbability ?? 0,
      bytes: null,
      top_logprobs: (r.topCandidates?.[i]?.candidates ?? []).map((t) => ({ token: t.token ?? "", logprob: t.logProbability ?? 0, bytes: null })),
    })),
  };
}

/**
 * Gemini sends no tool-call ids (or only sometimes); these are minted from the response id, so
 * a call keeps its id across the chunks of one stream, and stay in `[A-Za-z0-9_-]` so the same
 * conversation can continue on Anthropic after a fallback.
 */
export function toolCallId(given: string | undefined, responseKey: string, candidate: number, call: number): string {
  if (given) return given;
  return `call_${responseKey.replace(/[^A-Za-z0-9_-]/g, "")}_${candidate}_${call}`;
}

export function responseKeyOf(responseId: string | undefined): string {
  return responseId ?? crypto.randomUUID().replace(/-/g, "").slice(0, 16);
}
