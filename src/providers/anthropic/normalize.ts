/** Anthropic stop reasons and usage in the canonical (OpenAI) terms. */
import type { FinishReason, Usage } from "../../core/chat-response";
import type { WireUsageT } from "./wire-schema";

const FINISH: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
  // A server tool paused a long turn; the answer so far is complete as far as the client can act on it.
  pause_turn: "stop",
};

export function mapStopReason(reason: string | null | undefined): FinishReason | null {
  if (reason === null || reason === undefined) return null;
  return FINISH[reason] ?? "stop";
}

/**
 * Anthropic counts cache reads and writes apart from `input_tokens`; canonical `prompt_tokens`
 * includes both, with the split in `prompt_tokens_details` so each is priced at its own rate.
 */
export function toUsage(u: WireUsageT): Usage {
  const read = u.cache_read_input_tokens ?? 0;
  const write = u.cache_creation_input_tokens ?? 0;
  const prompt = (u.input_tokens ?? 0) + read + write;
  const completion = u.output_tokens ?? 0;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: read, cache_creation_tokens: write },
  };
  const thinking = u.output_tokens_details?.thinking_tokens;
  if (typeof thinking === "number") usage.completion_tokens_details = { reasoning_tokens: thinking };
  return usage;
}

/** Stream usage arrives in parts: `message_start` has the input side, `message_delta` the cumulative totals. */
export function mergeUsage(base: WireUsageT | undefined, update: WireUsageT | undefined): WireUsageT | undefined {
  if (!update) return base;
  const merged: WireUsageT = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(update)) if (value !== null && value !== undefined) merged[key] = value;
  return merged;
}

/** What a client sees of a refusal when the model gave no explanation. */
export const DEFAULT_REFUSAL = "The model declined to answer this request.";
