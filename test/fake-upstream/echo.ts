/** The fake upstream's generated answers (OpenAI wire): the last user message echoed back, with honest usage. */
import { numOpt, type Scenario } from "./scenario";

function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: string; content?: unknown }>) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) return (m.content as Array<{ text?: string }>).map((p) => p.text ?? "").join(" ");
  }
  return "";
}

let varyCounter = 0;

/**
 * The answer text. Options: `tokens=n` (n filler tokens), `raw` (the last user message verbatim),
 * `reply=<text>` (fixed; "_" stands for a space), `vary` (a different answer on every call).
 */
function answerText(body: Record<string, unknown>, s: Scenario): string {
  const n = numOpt(s, "tokens", 0);
  if (n > 0) return Array.from({ length: n }, () => "tok").join(" ");
  if (s.opts.reply !== undefined) return s.opts.reply.replace(/_/g, " ");
  if (s.args.includes("raw")) return lastUserText(body);
  const text = `echo: ${lastUserText(body)}`;
  return s.args.includes("vary") ? `${text} #${++varyCounter}` : text;
}

function words(body: Record<string, unknown>, s: Scenario): string[] {
  return answerText(body, s).split(/(?=\s)/);
}

const finishOf = (s: Scenario) => s.opts.finish ?? "stop";

function usage(body: Record<string, unknown>, completion: number) {
  const prompt = Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
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
  for (const t of w) out.push({ ...base, choices: [{ index: 0, delta: { content: t }, finish_reason: null }] });
  out.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishOf(s) }] });
  const opts = body.stream_options as { include_usage?: boolean } | undefined;
  if (opts?.include_usage) out.push({ ...base, choices: [], usage: usage(body, w.length) });
  return out;
}
