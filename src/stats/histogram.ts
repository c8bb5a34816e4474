/**
 * Fixed log-spaced latency histograms: the one way every percentile of the stats API is computed,
 * over raw rows and over rollups alike, so the two always agree and histograms can be summed.
 *
 * Bucket 0 holds values below 1 ms (reported as 0). Bucket i ≥ 1 holds [R^(i-1), R^i) ms with
 * R = 1.1, and is reported as its geometric middle R^(i-0.5): a reported percentile is within
 * HISTOGRAM_RELATIVE_ERROR (√1.1 − 1 ≈ 4.9%) of the exact nearest-rank percentile of the same rows.
 */

export const HISTOGRAM_RATIO = 1.1;
export const HISTOGRAM_RELATIVE_ERROR = Math.sqrt(HISTOGRAM_RATIO) - 1;
const LN_RATIO = Math.log(HISTOGRAM_RATIO);

/** Sparse: bucket index → count. */
export type Histogram = Record<number, number>;

export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.floor(Math.log(ms) / LN_RATIO) + 1;
}

/** The value a bucket reports: 0 for bucket 0, else the geometric middle of its bounds. */
export function bucketValue(bucket: number): number {
  return bucket <= 0 ? 0 : Math.pow(HISTOGRAM_RATIO, bucket - 0.5);
}

export function addValue(h: Histogram, ms: number, count = 1): Histogram {
  const b = bucketOf(ms);
  h[b] = (h[b] ?? 0) + count;
  return h;
}

/** Adds `from` into `into` (histograms are additive, so rollups merge without error). */
export function mergeInto(into: Histogram, from: Histogram): Histogram {
  for (const [b, n] of Object.entries(from)) into[Number(b)] = (into[Number(b)] ?? 0) + n;
  return into;
}

export function histogramCount(h: Histogram): number {
  let n = 0;
  for (const c of Object.values(h)) n += c;
  return n;
}

/**
 * The nearest-rank percentile (p in (0, 1]): the bucket holding the ⌈p·n⌉-th smallest value,
 * reported as bucketValue, rounded to 0.1 ms. Null on an empty histogram.
 */
export function percentile(h: Histogram, p: number): number | null {
  const n = histogramCount(h);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const b of Object.keys(h).map(Number).sort((a, z) => a - z)) {
    seen += h[b] ?? 0;
    if (seen >= rank) return Math.round(bucketValue(b) * 10) / 10;
  }
  return null;
}
