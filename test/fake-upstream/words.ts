/** The fake upstream's generated answer text, the same on every wire, split into stream pieces. */
import { numOpt, type Scenario } from "./scenario";

let varyCounter = 0;

/**
 * The answer text: the last user message echoed back. Options: `tokens=n` (n filler tokens),
 * `raw` (the last user message verbatim), `reply=<text>` (fixed; "_" stands for a space),
 * `vary` (a different answer on every call).
 */
function answerText(userText: string, s: Scenario): string {
  const n = numOpt(s, "tokens", 0);
  if (n > 0) return Array.from({ length: n }, () => "tok").join(" ");
  if (s.opts.reply !== undefined) return s.opts.reply.replace(/_/g, " ");
  if (s.args.includes("raw")) return userText;
  const text = `echo: ${userText}`;
  return s.args.includes("vary") ? `${text} #${++varyCounter}` : text;
}

export function echoWords(userText: string, s: Scenario): string[] {
  return answerText(userText, s).split(/(?=\s)/);
}

/** How the gateway asks for the rest of a cut answer when the provider has no prefill (src/execution/continuation-request.ts). */
const CONTINUE_MARK = "Your previous answer was cut off.";

/**
 * The answer to a conversation on any wire. A request to continue a cut answer — the partial as
 * the last assistant turn (a prefill), or followed by the gateway's continuation instruction —
 * gets the rest of the answer the original question would have had, as a model that continues
 * well would write it; `overlap=n` repeats the partial's last n characters first and `restart`
 * starts over, as models asked to continue sometimes do.
 */
export function conversationWords(messages: unknown, partsKey: "content" | "parts", assistantRole: string, s: Scenario): string[] {
  const list = Array.isArray(messages) ? (messages as Array<Record<string, unknown>>) : [];
  const text = (m: Record<string, unknown> | undefined) => (m ? lastText([m], String(m.role), partsKey) : "");
  const last = list.at(-1);
  let partial: string | null = null;
  let before = list;
  if (last?.role === assistantRole) {
    partial = text(last);
    before = list.slice(0, -1);
  } else if (text(last).startsWith(CONTINUE_MARK) && list.at(-2)?.role === assistantRole) {
    partial = text(list.at(-2));
    before = list.slice(0, -2);
  }
  const full = answerText(lastText(before, "user", partsKey), s);
  if (partial === null || s.args.includes("restart")) return full.split(/(?=\s)/);
  const overlap = numOpt(s, "overlap", 0);
  const rest = full.startsWith(partial) ? full.slice(partial.length) : full;
  const answer = (overlap > 0 ? partial.slice(-overlap) : "") + rest;
  return answer === "" ? [] : answer.split(/(?=\s)/);
}

/** The text of the last message with this role, whatever the wire calls its parts. */
export function lastText(messages: unknown, role: string, partsKey: "content" | "parts"): string {
  const list = Array.isArray(messages) ? (messages as Array<Record<string, unknown>>) : [];
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (m?.role !== role) continue;
    const content = m[partsKey];
    if (typeof content === "string") return content;
    if (Array.isArray(content)) {
      const texts = (content as Array<{ text?: unknown }>).filter((p) => typeof p.text === "string").map((p) => p.text as string);
      if (texts.length > 0) return texts.join(" ");
    }
  }
  return "";
}

export function promptTokens(body: Record<string, unknown>): number {
  return Math.ceil(JSON.stringify(body.messages ?? body.contents ?? []).length / 4);
}
