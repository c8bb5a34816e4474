/** Canonical finish reasons and usage in the Anthropic format's terms. */
import type { FinishReason, Usage } from "../../core/chat-response";

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "refusal";

export function stopReason(finish: FinishReason | null): StopReason {
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
    case "refusal":
      return "refusal";
    default:
      return "end_turn";
  }
}

export interface MessageUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; canonical `prompt_tokens` includes them. */
export function messageUsage(u: Usage | null | undefined): MessageUsage {
  const read = u?.prompt_tokens_details?.cached_tokens ?? 0;
  const write = u?.prompt_tokens_details?.cache_creation_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (u?.prompt_tokens ?? 0) - read - write),
    output_tokens: u?.completion_tokens ?? 0,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  };
}

/** Anthropic message ids start with `msg_`. */
export function messageId(id: string): string {
  if (id.startsWith("msg_")) return id;
  return `msg_${id.replace(/[^A-Za-z0-9_-]/g, "") || crypto.randomUUID().replace(/-/g, "")}`;
}
