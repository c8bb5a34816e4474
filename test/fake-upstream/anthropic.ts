/** The fake upstream on the Anthropic Messages wire: echo answers (usage with optional cache reads/writes) and real-shape errors. */
import { numOpt, type Scenario } from "./scenario";
import { conversationWords, promptTokens } from "./words";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error", 401: "authentication_error", 402: "billing_error", 403: "permission_error", 404: "not_found_error",
  413: "request_too_large", 429: "rate_limit_error", 500: "api_error", 504: "timeout_error", 529: "overloaded_error",
};

export function anthropicError(status: number, message: string): unknown {
  return { type: "error", error: { type: ERROR_TYPES[status] ?? "api_error", message }, request_id: "req_fake" };
}

export const anthropicStreamError = () => ({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });

function usage(body: Record<string, unknown>, s: Scenario, output: number) {
  return {
    input_tokens: promptTokens(body),
    cache_read_input_tokens: numOpt(s, "cache-read", 0),
    cache_creation_input_tokens: numOpt(s, "cache-write", 0),
    output_tokens: output,
  };
}

const words = (body: Record<string, unknown>, s: Scenario) => conversationWords(body.messages, "content", "assistant", s);

export function anthropicMessage(body: Record<string, unknown>, model: string, s: Scenario) {
  const w = words(body, s);
  return {
    id: "msg_fake", type: "message", role: "assistant", model,
    content: [{ type: "text", text: w.join("") }],
    stop_reason: "end_turn", stop_sequence: null,
    usage: usage(body, s, w.length),
  };
}

export function anthropicEvents(body: Record<string, unknown>, model: string, s: Scenario): unknown[] {
  const w = words(body, s);
  const u = usage(body, s, w.length);
  return [
    { type: "message_start", message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...u, output_tokens: 1 } } },
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "ping" },
    ...w.map((t) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } })),
    { type: "content_block_stop", index: 0 },
    { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: w.length } },
    { type: "message_stop" },
  ];
}
