/**
 * What the `llm` classifier asks and whom: the rating prompt, the text it rates and the model
 * that rates it by default. Pure, so execution (which makes the call) and the simulator (which
 * prices it) use the same words and the same model.
 */
import { lastUserText, type ChatRequest } from "../core/chat-request";
import type { Config } from "../config/schema";

export const CLASSIFIER_PROMPT = `Rate this request's complexity 1-3:
1 = simple: a lookup, formatting, classification or a short factual answer
2 = medium: an explanation, a summary, moderate reasoning or routine code
3 = complex: multi-step reasoning, hard maths or code, expert analysis
Answer with the digit only.

Request:
`;
/** The rater sees at most this many characters of the last user message. */
export const MAX_RATED_CHARS = 4_000;

/** The configured chat model with the lowest input + output price: the rater when the route names none. */
export function cheapestModel(config: Config): string {
  let best: [string, number] | undefined;
  for (const [alias, m] of Object.entries(config.models)) {
    if (m.kind === "embedding") continue;
    const cost = m.price.input + m.price.output;
    if (!best || cost < best[1]) best = [alias, cost];
  }
  return best?.[0] as string;
}

/** What the rater sees: the last user message, capped. */
export function ratedText(request: ChatRequest): string {
  return lastUserText(request).slice(0, MAX_RATED_CHARS);
}
