/**
 * The prepared dataset shared by training and evaluation: items, their split, and the training target.
 */
import { loadItems, loadLlmRouterPrices, type Item, type PriceBook } from "./data";
import { PAIRS, priceBook, type Pair } from "./pairs";
import { assignSplits, type Split } from "./splits";

export interface Prepared {
  items: Item[];
  split: Split[];
  digest: string;
  multiGroups: number;
  prices: PriceBook;
}

export function prepare(dataDir: string): Prepared {
  const items = loadItems(dataDir);
  const { split, digest, multiGroups } = assignSplits(items);
  return { items, split, digest, multiGroups, prices: priceBook(loadLlmRouterPrices(dataDir)) };
}

/**
 * Mean over the item's dataset pairs of (strong - cheap quality), in [-1,1]; undefined when no pair has
 * both models scored.
 */
export function pairGain(item: Item, pairs: readonly Pair[] = PAIRS): number | undefined {
  let sum = 0, n = 0;
  for (const p of pairs) {
    if (p.dataset !== item.dataset) continue;
    const c = item.quality[p.cheap], s = item.quality[p.strong];
    if (c === undefined || s === undefined) continue;
    sum += s - c;
    n++;
  }
  return n === 0 ? undefined : sum / n;
}

/**
 * Training target in [0,1]: 0.5 + (gain - mean gain of the item's dataset) / 2, clamped. Centering per
 * dataset removes the base rate that comes from which pairs were picked for each dataset (LLMRouter's
 * Mistral pair has a far larger gap than MMLU-Pro's Gemini pairs), which otherwise teaches the model to
 * score "LLMRouter-looking" prompts higher across the board; what is left is the ranking inside a stream.
 */
export function centredTargets(items: readonly Item[], pairs: readonly Pair[] = PAIRS): (number | undefined)[] {
  const sum = new Map<string, number>(), count = new Map<string, number>();
  const gains = items.map((it) => {
    const g = pairGain(it, pairs);
    if (g !== undefined) {
      sum.set(it.dataset, (sum.get(it.dataset) ?? 0) + g);
      count.set(it.dataset, (count.get(it.dataset) ?? 0) + 1);
    }
    return g;
  });
  return items.map((it, i) => {
    const g = gains[i];
    if (g === undefined) return undefined;
    const mean = (sum.get(it.dataset) as number) / (count.get(it.dataset) as number);
    return Math.min(1, Math.max(0, 0.5 + (g - mean) / 2));
  });
}

export function countBy(prep: Prepared): Record<string, number> {
  const out: Record<string, number> = {};
  prep.items.forEach((it, i) => {
    const k = `${it.origin}/${prep.split[i] as string}`;
    out[k] = (out[k] ?? 0) + 1;
  });
  return out;
}
