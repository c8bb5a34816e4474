/**
 * The fake upstream on the Anthropic Messages wire: echo answers (usage with optional cache
 * reads/writes) and real-shape errors. `tool=<name>`: the answer is a call of that tool with
 * input `{"text": <answer>}` (stop reason tool_use); `preamble=<text>` / `postscript=<text>`
 * ("_" for a space): a text block before / after the call, as models write beside a forced tool.
 */
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
  const tool = s.opts.tool;
  const content = tool
    ? [...besideText(s.opts.preamble), { type: "tool_use", id: "toolu_fake", name: tool, input: { text: w.join("") } }, ...besideText(s.opts.postscript)]
    : [{ type: "text", text: w.join("") }];
  return {
    id: "msg_fake", type: "message", role: "assistant", model, content,
    stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null,
    usage: usage(body, s, w.length),
  };
}

const besideText = (text: string | undefined) => (text ? [{ type: "text", text: text.replace(/_/g, " ") }] : []);

/** One text block's events at `index`. */
function textBlockEvents(index: number, pieces: string[]): unknown[] {
  return [
    { type: "content_block_start", index, content_block: { type: "text", text: "" } },
    ...pieces.map((t) => ({ type: "content_block_delta", index, delta: { type: "text_delta", text: t } })),
    { type: "content_block_stop", index },
  ];
}

/** A text block, the tool call, a text block: the blocks of a tool answer with text beside it. */
function toolBlockEvents(w: string[], s: Scenario, tool: string): unknown[] {
  const out: unknown[] = [];
  let index = 0;
  if (s.opts.preamble) out.push(...textBlockEvents(index++, s.opts.preamble.replace(/_/g, " ").split(/(?= )/)));
  const json = JSON.stringify({ text: w.join("") });
  out.push(
    { type: "content_block_start", index, content_block: { type: "tool_use", id: "toolu_fake", name: tool, input: {} } },
    ...json.split(/(?= )/).map((piece) => ({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } })),
    { type: "content_block_stop", index: index++ },
  );
  if (s.opts.postscript) out.push(...textBlockEvents(index, s.opts.postscript.replace(/_/g, " ").split(/(?= )/)));
  return out;
}

export function anthropicEvents(body: Record<string, unknown>, model: string, s: Scenario): unknown[] {
  const w = words(body, s);
  const u = usage(body, s, w.length);
  const tool = s.opts.tool;
  return [
    { type: "message_start", message: { id: "msg_fake", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...u, output_tokens: 1 } } },
    ...(tool
      ? toolBlockEvents(w, s, tool)
      : [
          { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
          { type: "ping" },
          ...w.map((t) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } })),
          { type: "content_block_stop", index: 0 },
        ]),
    { type: "message_delta", delta: { stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: w.length } },
    { type: "message_stop" },
  ];
}
