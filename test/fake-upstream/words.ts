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
