/**
 * The fake upstream's generated answers on the OpenAI wire, with honest usage. Besides the
 * answer-text options (words.ts): `finish=<reason>`, `refusal=<text>` ("_" for a space), and
 * `tool=<name>` (streams only: the answer is a call of that tool, `{"text": <answer>}` streamed
 * as argument pieces).
 */
import { numOpt, type Scenario } from "./scenario";
import { conversationWords, promptTokens } from "./words";

const words = (body: Record<string, unknown>, s: Scenario) => conversationWords(body.messages, "content", "assistant", s);

const finishOf = (s: Scenario) => s.opts.finish ?? "stop";

function usage(body: Record<string, unknown>, completion: number) {
  const prompt = promptTokens(body);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function echoCompletion(body: Record<string, unknown>, model: string, s: Scenario) {
  const w = words(body, s);
  const withLogprobs = body.logprobs === true;
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: s.opts.refusal ? null : w.join(""), ...(s.opts.refusal ? { refusal: s.opts.refusal.replace(/_/g, " ") } : {}) },
        finish_reason: finishOf(s),
        logprobs: withLogprobs ? { content: w.map((t) => ({ token: t, logprob: numOpt(s, "logprob", -0.05), bytes: null, top_logprobs: [] })) } : null,
      },
    ],
    usage: usage(body, w.length),
  };
}

export function echoChunks(body: Record<string, unknown>, model: string, s: Scenario): unknown[] {
  const w = words(body, s);
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1_700_000_000, model };
  const out: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }];
  const tool = s.opts.tool;
  if (tool) {
    out.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "call_fake", type: "function", function: { name: tool, arguments: "" } }] }, finish_reason: null }] });
    for (const piece of ['{"text": ', ...JSON.stringify(w.join("")).split(/(?= )/), "}"]) {
      out.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, finish_reason: null }] });
    }
  } else {
    for (const t of w) out.push({ ...base, choices: [{ index: 0, delta: { content: t }, finish_reason: null }] });
  }
  out.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: tool ? "tool_calls" : finishOf(s) }] });
  const opts = body.stream_options as { include_usage?: boolean } | undefined;
  if (opts?.include_usage) out.push({ ...base, choices: [], usage: usage(body, w.length) });
  return out;
}

export function openAIError(status: number, message: string): unknown {
  return { error: { message, type: status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error", code: null } };
}

export const openAIStreamError = () => ({ error: { message: "fake upstream: injected in-stream error", type: "server_error" } });
