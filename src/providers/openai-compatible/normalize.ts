/** OpenAI-wire quirks folded into the canonical shapes. */
import type { FinishReason, Usage } from "../../core/chat-response";
import type { WireContentT, WireUsageT } from "./wire-schema";

/** Splits string-or-parts content into answer text and reasoning text (Mistral's thinking parts). */
export function splitContent(content: WireContentT): { text: string | null; reasoning: string } {
  if (content === undefined || content === null) return { text: null, reasoning: "" };
  if (typeof content === "string") return { text: content, reasoning: "" };
  let text = "";
  let reasoning = "";
  for (const part of content) {
    if (part.type === "text" && typeof part.text === "string") text += part.text;
    else if (part.type === "thinking") reasoning += thinkingText(part.thinking);
  }
  return { text, reasoning };
}

function thinkingText(thinking: unknown): string {
  if (typeof thinking === "string") return thinking;
  if (!Array.isArray(thinking)) return "";
  let out = "";
  for (const p of thinking) if (p && typeof p === "object" && "text" in p && typeof p.text === "string") out += p.text;
  return out;
}

/**
 * Canonical usage: `completion_tokens` is every billed output token, reasoning included (as OpenAI
 * reports it). xAI reports reasoning tokens outside `completion_tokens` (its total is prompt +
 * completion + reasoning); that is recognised from the numbers themselves, so it holds behind
 * any base URL or router.
 */
export function toUsage(u: WireUsageT | null | undefined): Usage | undefined {
  if (!u) return undefined;
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  let completion = u.completion_tokens ?? 0;
  if (typeof reasoning === "number" && reasoning > 0 && u.total_tokens === u.prompt_tokens + completion + reasoning) completion += reasoning;
  const usage: Usage = { prompt_tokens: u.prompt_tokens, completion_tokens: completion, total_tokens: u.total_tokens ?? u.prompt_tokens + completion };
  const cached = u.prompt_tokens_details?.cached_tokens;
  if (typeof cached === "number") usage.prompt_tokens_details = { cached_tokens: cached };
  if (typeof reasoning === "number") usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}

const FINISH: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  function_call: "function_call",
  content_filter: "content_filter",
  model_length: "length", // Mistral
  insufficient_system_resource: "error", // DeepSeek
  error: "error",
};

export function mapFinishReason(reason: string | null | undefined): FinishReason | null {
  if (reason === null || reason === undefined) return null;
  return FINISH[reason] ?? "stop";
}
