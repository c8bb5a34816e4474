/**
 * Routing metrics on a held-out split for one cheap/strong pair.
 *
 * Routing the k highest-scored prompts to the strong model gives quality Q(k) (mean per-prompt quality).
 * Ties in score are routed as a block; inside a block the curve is the expected value under random
 * tie-breaking (linear interpolation). PGR(share) = (Q - Q_cheap) / (Q_strong - Q_cheap).
 * CPT(x) = smallest share of strong calls with PGR >= x; APGR = mean over shares 0..1 of min(PGR, 1)
 * (exact area under the piecewise-linear curve, capped at 1).
 * Random routing has PGR(share) = share: CPT(50%) = 0.5, CPT(80%) = 0.8, APGR = 0.5.
 * The length baseline routes the longest prompts (characters of the prompt text) first.
 * The oracle routes exactly the prompts where the strong model is better, best gain first.
 *
 * Why the cap: the oracle picks, per prompt, the better of the two answers, so its quality rises ABOVE the
 * strong model's (it also avoids the prompts the strong model gets wrong and the cheap one right). Uncapped,
 * its "APGR" was 0.9–2.3 depending on how small the pair's gap is (a 0.055 gap made the oracle 2.3), which
 * reads as nonsense beside a 0..1 scale. Capped, APGR is "the share of the cheap→strong gap recovered,
 * averaged over all strong-call shares" for every router alike, and the oracle is the ceiling (<= 1).
 */

export interface Row {
  score: number;
  cheap: number;
  strong: number;
  /** Cost in USD of answering this prompt with each model. */
  cheapCost: number;
  strongCost: number;
  /** Length of the prompt text in characters (the length baseline's score). */
  length: number;
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

/** Exact area under min(y, 1) of a piecewise-linear curve over ascending xs (segments split where they cross 1). */
export function cappedArea(xs: readonly number[], ys: readonly number[]): number {
  let area = 0;
  for (let k = 1; k < xs.length; k++) {
    const x0 = xs[k - 1] as number, x1 = xs[k] as number, y0 = ys[k - 1] as number, y1 = ys[k] as number;
    const w = x1 - x0;
    if (w <= 0) continue;
    if (y0 <= 1 && y1 <= 1) area += (w * (y0 + y1)) / 2;
    else if (y0 >= 1 && y1 >= 1) area += w;
    else {
      const t = (1 - y0) / (y1 - y0); // fraction of the segment before the crossing
      const lo = y0 < 1 ? y0 : y1; // the end below 1
      const below = y0 < 1 ? t : 1 - t;
      area += w * (below * (lo + 1) / 2 + (1 - below));
    }
  }
  return area;
}

/** APGR of a quality curve for a pair with all-cheap quality qc and all-strong quality qs (see the header). */
export function apgrOf(curve: Curve, qc: number, qs: number): number {
  return cappedArea(curve.share, curve.quality.map((q) => (q - qc) / (qs - qc)));
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
  /** Longest prompts first. */
  length: RouterFigures;
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
    apgr: cappedArea(curve.share, pgr),
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
    length: figures(routingCurve(rows, (r) => r.length), qc, qs, strongCost),
    oracle: figures(routingCurve(rows, (r) => r.strong - r.cheap), qc, qs, strongCost),
    cheapCost,
    strongCost,
  };
}

export interface BootstrapIntervals {
  /** 95% intervals (2.5th and 97.5th percentile) over the resamples. */
  classifier: [number, number];
  length: [number, number];
  /** APGR(classifier) - APGR(length) on the same resample: paired, so it is far tighter than the two intervals. */
  classifierMinusLength: [number, number];
  /** Share of resamples where the classifier's APGR is above the length baseline's. */
  classifierAboveLength: number;
  samples: number;
}

/**
 * Seeded bootstrap over prompts (resampled with replacement) of the classifier's and the length baseline's
 * APGR and of their paired difference. Random routing's APGR is 0.5 on every resample, so a classifier
 * lower bound above 0.5 means the margin over random is not luck; a difference interval above 0 means the
 * same against length. Resamples whose strong model is not better than the cheap one are skipped.
 */
export function bootstrapRouters(rows: readonly Row[], samples = 200, seed = 1): BootstrapIntervals {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = rows.length;
  const cls: number[] = [], len: number[] = [], diff: number[] = [];
  for (let b = 0; b < samples; b++) {
    const sample: Row[] = [];
    for (let i = 0; i < n; i++) sample.push(rows[Math.floor(rand() * n)] as Row);
    const qc = sample.reduce((s, r) => s + r.cheap, 0) / n;
    const qs = sample.reduce((s, r) => s + r.strong, 0) / n;
    if (!(qs > qc)) continue;
    const c = apgrOf(routingCurve(sample, (r) => r.score), qc, qs);
    const l = apgrOf(routingCurve(sample, (r) => r.length), qc, qs);
    cls.push(c);
    len.push(l);
    diff.push(c - l);
  }
  const interval = (values: number[]): [number, number] => {
    const v = [...values].sort((x, y) => x - y);
    const at = (q: number): number => v[Math.min(v.length - 1, Math.floor(q * v.length))] as number;
    return [at(0.025), at(0.975)];
  };
  return {
    classifier: interval(cls),
    length: interval(len),
    classifierMinusLength: interval(diff),
    classifierAboveLength: diff.filter((d) => d > 0).length / Math.max(1, diff.length),
    samples: diff.length,
  };
}
