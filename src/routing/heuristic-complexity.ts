/**
 * A zero-latency complexity score from the request text alone: length, structure, code, maths
 * and the vocabulary of hard tasks. A hand-set logistic model; the learned classifier replaces
 * the model behind the same interface (score in [0,1], higher = needs a stronger model).
 */
import { contentText, type ChatRequest } from "../core/chat-request";

const HARD_WORDS = /\b(prove|proof|derive|derivation|theorem|optimi[sz]e|algorithm|complexity|architecture|trade-?offs?|analy[sz]e|evaluate|critique|compare|design|debug|refactor|step[- ]by[- ]step|reason(ing)?|why|implications?|strategy|multi-?step)\b/gi;
const EASY_WORDS = /\b(translate|summari[sz]e|classify|extract|list|define|what is|who is|when was|spell|format|convert|rewrite|fix (the )?typo|yes or no)\b/gi;
const CODE = /```|\b(function|class|def|return|import|const|let|var|SELECT|FROM)\b|[{};]\s*$/gm;
const MATH = /[=∑∫√≤≥≠∞±]|\\frac|\\sum|\b(equation|integral|derivative|matrix|probability|eigen\w*)\b/gi;

function count(re: RegExp, text: string): number {
  return text.match(re)?.length ?? 0;
}

export function heuristicComplexity(messages: ChatRequest["messages"]): number {
  let text = "";
  for (const m of messages) if (m.role === "user" || m.role === "system" || m.role === "developer") text += `${contentText(m.content)}\n`;
  const chars = text.length;
  const z =
    -2.2 +
    0.45 * Math.log1p(chars / 200) +
    0.55 * Math.min(count(HARD_WORDS, text), 6) -
    0.5 * Math.min(count(EASY_WORDS, text), 4) +
    0.25 * Math.min(count(CODE, text), 8) +
    0.3 * Math.min(count(MATH, text), 6) +
    0.2 * Math.min(count(/\?/g, text), 5) +
    0.15 * Math.min(count(/^\s*(\d+[.)]|[-*])\s/gm, text), 8) +
    0.1 * Math.min(messages.length, 10);
  return 1 / (1 + Math.exp(-z));
}
