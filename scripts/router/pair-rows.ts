/**
 * Turns items + scores into metric rows for one pair: per-prompt quality of each model and the cost of
 * answering with it. Tokens are estimated as characters / 4: input from the prompt text, output from
 * MMLU-Pro's output_chars.csv (the model's mean when a cell is blank) or a fixed estimate for LLMRouter.
 */
import type { Item, PriceBook } from "./data";
import type { Row } from "./metrics";
import { LLMROUTER_OUTPUT_TOKENS, type Pair } from "./pairs";

export const CHARS_PER_TOKEN = 4;

/** Items usable for this pair: its dataset, both models scored. */
export function pairItems(items: readonly Item[], pair: Pair): Item[] {
  return items.filter((it) => it.dataset === pair.dataset && it.quality[pair.cheap] !== undefined && it.quality[pair.strong] !== undefined);
}

function meanOutputChars(items: readonly Item[], model: string): number {
  let s = 0, n = 0;
  for (const it of items) {
    const v = it.outputChars[model];
    if (v !== undefined) {
      s += v;
      n++;
    }
  }
  return n > 0 ? s / n : LLMROUTER_OUTPUT_TOKENS * CHARS_PER_TOKEN;
}

export function pairRows(items: readonly Item[], pair: Pair, scores: readonly number[], prices: PriceBook): Row[] {
  const cp = prices[pair.cheapPrice], sp = prices[pair.strongPrice];
  if (!cp || !sp) throw new Error(`no price for ${pair.cheapPrice} or ${pair.strongPrice}`);
  const meanCheap = meanOutputChars(items, pair.cheap), meanStrong = meanOutputChars(items, pair.strong);
  return items.map((it, i) => {
    const inTok = it.text.length / CHARS_PER_TOKEN;
    const outCheap = (it.dataset === "llmrouter" ? LLMROUTER_OUTPUT_TOKENS * CHARS_PER_TOKEN : it.outputChars[pair.cheap] ?? meanCheap) / CHARS_PER_TOKEN;
    const outStrong = (it.dataset === "llmrouter" ? LLMROUTER_OUTPUT_TOKENS * CHARS_PER_TOKEN : it.outputChars[pair.strong] ?? meanStrong) / CHARS_PER_TOKEN;
    return {
      score: scores[i] as number,
      cheap: it.quality[pair.cheap] as number,
      strong: it.quality[pair.strong] as number,
      cheapCost: (inTok * cp.input + outCheap * cp.output) / 1e6,
      strongCost: (inTok * sp.input + outStrong * sp.output) / 1e6,
      length: it.text.length,
    };
  });
}
