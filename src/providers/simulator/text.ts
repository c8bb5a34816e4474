/** Deterministic filler text: word-sized tokens, sentence-shaped. */
import { pick, type Rng } from "../../core/random";

const WORDS = [
  "the", "model", "answer", "request", "gateway", "route", "cost", "token", "quality", "data", "result", "user",
  "system", "value", "check", "simple", "complex", "tier", "stream", "latency", "a", "of", "to", "and", "in", "is",
  "for", "with", "this", "that", "each", "when", "can", "will", "should", "from", "by", "first", "then", "next",
  "summary", "example", "question", "reason", "step", "output", "input", "format", "clear", "short", "careful",
] as const;

/** `count` word tokens, each with its leading space except the first, sentences capitalised and ended. */
export function fillerTokens(rng: Rng, count: number): string[] {
  const tokens: string[] = [];
  let sentenceStart = true;
  for (let i = 0; i < count; i++) {
    let word: string = pick(rng, WORDS);
    if (sentenceStart) word = word.charAt(0).toUpperCase() + word.slice(1);
    const endsSentence = i === count - 1 || rng() < 0.1;
    tokens.push((i === 0 ? "" : " ") + word + (endsSentence ? "." : ""));
    sentenceStart = endsSentence;
  }
  return tokens;
}
