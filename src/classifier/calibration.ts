/**
 * Score <-> expected share of strong calls, from the score quantiles of the held-out evaluation prompts
 * stored in model.json (quantiles[k] = score at level k / (quantiles.length - 1), ascending).
 * Both functions are monotone (non-increasing) and clamp their input; they are inverses of each other
 * inside the observed score range.
 */

/** Score threshold t such that the share of evaluation prompts with score >= t is `share`. */
export function thresholdFromQuantiles(quantiles: readonly number[], share: number): number {
  if (Number.isNaN(share)) throw new RangeError("share is NaN");
  if (share <= 0) return 1; // scores are < 1: nothing goes to the strong model
  if (share >= 1) return 0; // scores are > 0: everything does
  const steps = quantiles.length - 1;
  const pos = (1 - share) * steps;
  const k = Math.min(steps - 1, Math.floor(pos));
  const lo = quantiles[k] as number, hi = quantiles[k + 1] as number;
  return lo + (hi - lo) * (pos - k);
}

/** Expected share of evaluation prompts with score >= threshold. */
export function shareFromQuantiles(quantiles: readonly number[], threshold: number): number {
  if (Number.isNaN(threshold)) throw new RangeError("threshold is NaN");
  const steps = quantiles.length - 1;
  const first = quantiles[0] as number, last = quantiles[steps] as number;
  if (threshold <= first) return 1;
  if (threshold > last) return 0;
  // first k with quantiles[k+1] >= threshold
  let k = 0;
  while (k < steps - 1 && (quantiles[k + 1] as number) < threshold) k++;
  const lo = quantiles[k] as number, hi = quantiles[k + 1] as number;
  const frac = hi > lo ? (threshold - lo) / (hi - lo) : 0;
  return 1 - (k + frac) / steps;
}

/** Quantile table (levels 0..steps) of a list of scores, linear between order statistics. */
export function quantileTable(scores: readonly number[], steps = 100): number[] {
  const sorted = [...scores].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new Error("no scores");
  const out: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const pos = (k / steps) * (n - 1);
    const i = Math.floor(pos);
    const lo = sorted[i] as number, hi = sorted[Math.min(n - 1, i + 1)] as number;
    out.push(lo + (hi - lo) * (pos - i));
  }
  return out;
}
