/**
 * Routing metrics on a held-out split for one cheap/strong pair.
 *
 * Routing the k highest-scored prompts to the strong model gives quality Q(k) (mean per-prompt quality).
 * Ties in score are routed as a block; inside a block the curve is the expected value under random
 * tie-breaking (linear interpolation). PGR(share) = (Q - Q_cheap) / (Q_strong - Q_cheap).
 * CPT(x) = smallest share of strong calls with PGR >= x; APGR = mean PGR over shares 0..1 (trapezoid).
 * Random routing has PGR(share) = share: CPT(50%) = 0.5, CPT(80%) = 0.8, APGR = 0.5.
 * The oracle routes exactly the prompts where the strong model is better, best gain first.
 */

export interface Row {
  score: number;
  cheap: number;
  strong: number;
  /** Cost in USD of answering this prompt with each model. */
  cheapCost: number;
  strongCost: number;
}

/** Piecewise-linear curve through points (share_k, quality_k, cost_k), shares ascending from 0 to 1. */
export interface Curve {
  share: number[];
  quality: number[];
  cost: number[];
}

/** Curve of routing the highest `order` values first; rows with equal order value form one block. */
export function routingCurve(rows: readonly Row[], order: (r: Row) => number): Curve {
  const n = rows.length;
  const sorted = rows.map((r) => ({ r, o: order(r) })).sort((a, b) => b.o - a.o);
  let quality = rows.reduce((s, r) => s + r.cheap, 0);
  let cost = rows.reduce((s, r) => s + r.cheapCost, 0);
  const curve: Curve = { share: [0], quality: [quality / n], cost: [cost] };
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && (sorted[j] as { o: number }).o === (sorted[i] as { o: number }).o) {
      const r = (sorted[j] as { r: Row }).r;
      quality += r.strong - r.cheap;
      cost += r.strongCost - r.cheapCost;
      j++;
    }
    curve.share.push(j / n);
    curve.quality.push(quality / n);
    curve.cost.push(cost);
    i = j;
  }
  return curve;
}

/** Value of a piecewise-linear curve at x, the curve given as ascending xs with ys. */
export function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (x <= (xs[0] as number)) return ys[0] as number;
  for (let k = 1; k < xs.length; k++) {
    const x1 = xs[k] as number;
    if (x <= x1) {
      const x0 = xs[k - 1] as number, y0 = ys[k - 1] as number, y1 = ys[k] as number;
      return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return ys[ys.length - 1] as number;
}

/** Smallest x at which the piecewise-linear curve first reaches y (NaN if never). */
export function firstReach(xs: readonly number[], ys: readonly number[], y: number): number {
  if ((ys[0] as number) >= y) return xs[0] as number;
  for (let k = 1; k < xs.length; k++) {
    const y0 = ys[k - 1] as number, y1 = ys[k] as number;
    if (y1 >= y) {
      const x0 = xs[k - 1] as number, x1 = xs[k] as number;
      return y1 === y0 ? x1 : x0 + ((x1 - x0) * (y - y0)) / (y1 - y0);
    }
  }
  return Number.NaN;
}

function trapezoidMean(xs: readonly number[], ys: readonly number[]): number {
  let area = 0;
  for (let k = 1; k < xs.length; k++) area += (((xs[k] as number) - (xs[k - 1] as number)) * ((ys[k] as number) + (ys[k - 1] as number))) / 2;
  return area;
}

export interface RouterFigures {
  cpt50: number;
  cpt80: number;
  apgr: number;
  /** Quality at shares 0, 0.1, ..., 1. */
  qualityAt: number[];
  /** Share of strong calls and cost saved vs all-strong at 95% of the strong model's quality. */
  share95: number;
  saved95: number;
}

export interface PairEvaluation {
  n: number;
  cheapQuality: number;
  strongQuality: number;
  classifier: RouterFigures;
  random: RouterFigures;
  oracle: RouterFigures;
  /** Total cost of all-cheap and all-strong on this split, USD. */
  cheapCost: number;
  strongCost: number;
}

export const CURVE_SHARES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

function figures(curve: Curve, qc: number, qs: number, strongCost: number): RouterFigures {
  const gap = qs - qc;
  const pgr = curve.quality.map((q) => (q - qc) / gap);
  const target = 0.95 * qs;
  const share95 = firstReach(curve.share, curve.quality, target);
  const cost95 = interpolate(curve.share, curve.cost, share95);
  return {
    cpt50: firstReach(curve.share, pgr, 0.5),
    cpt80: firstReach(curve.share, pgr, 0.8),
    apgr: trapezoidMean(curve.share, pgr),
    qualityAt: CURVE_SHARES.map((s) => interpolate(curve.share, curve.quality, s)),
    share95,
    saved95: 1 - cost95 / strongCost,
  };
}

/** All figures for one pair on one split. Requires strong quality above cheap quality. */
export function evaluatePair(rows: readonly Row[]): PairEvaluation {
  const n = rows.length;
  const qc = rows.reduce((s, r) => s + r.cheap, 0) / n;
  const qs = rows.reduce((s, r) => s + r.strong, 0) / n;
  const cheapCost = rows.reduce((s, r) => s + r.cheapCost, 0);
  const strongCost = rows.reduce((s, r) => s + r.strongCost, 0);
  if (!(qs > qc)) throw new Error(`strong quality ${qs} is not above cheap quality ${qc}: the pair has no gap to recover`);
  const randomCurve: Curve = { share: [0, 1], quality: [qc, qs], cost: [cheapCost, strongCost] };
  return {
    n,
    cheapQuality: qc,
    strongQuality: qs,
    classifier: figures(routingCurve(rows, (r) => r.score), qc, qs, strongCost),
    random: figures(randomCurve, qc, qs, strongCost),
    oracle: figures(routingCurve(rows, (r) => r.strong - r.cheap), qc, qs, strongCost),
    cheapCost,
    strongCost,
  };
}

/**
 * 95% bootstrap interval of the classifier's APGR (prompts resampled with replacement, seeded).
 * Random routing's APGR is 0.5 in expectation, so a lower bound above 0.5 means the margin is not luck.
 */
export function bootstrapApgr(rows: readonly Row[], samples = 200, seed = 1): [number, number] {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = rows.length;
  const values: number[] = [];
  for (let b = 0; b < samples; b++) {
    const sample: Row[] = [];
    for (let i = 0; i < n; i++) sample.push(rows[Math.floor(rand() * n)] as Row);
    const qc = sample.reduce((s, r) => s + r.cheap, 0) / n;
    const qs = sample.reduce((s, r) => s + r.strong, 0) / n;
    if (!(qs > qc)) continue;
    const curve = routingCurve(sample, (r) => r.score);
    values.push(trapezoidMean(curve.share, curve.quality.map((q) => (q - qc) / (qs - qc))));
  }
  values.sort((x, y) => x - y);
  const at = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
  return [at(0.025), at(0.975)];
}
