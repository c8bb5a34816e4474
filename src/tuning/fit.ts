/**
 * Fits a classifier route's threshold from the route's own labelled outcomes (issue 13, tuning).
 *
 * A label says whether the CHEAP model's answer was good enough for one request whose prior score is known:
 *   1. a reviewer's label (`label` "cheap_ok" / "cheap_failed", or the review table's good_enough / tier),
 *   2. a cascade or exploration verdict: the cheap step passed its checks (no escalation, quality "passed")
 *      or failed them (escalations > 0),
 *   3. client feedback (`feedback_success` 1/0) on an answer the cheap model served.
 * Only rows the route picked without regard to their score carry labels: the exploration share and reviewed
 * samples. A cascade verdict or feedback on a request the route sent cheap because its score was low says
 * nothing about higher scores, and would make the curve look better than it is (counted as `ignored`).
 * Rows without an `explored` field (ledgers from before it) are all taken.
 * Answers of the strong model are assumed good (the labels cannot say otherwise); that makes the quality
 * figures an upper bound where the strong model also fails.
 *
 * For a threshold t (score >= t goes to the strong model): quality(t) = share of labelled requests answered
 * well, cost(t) = mean cost per request. The proposal is the cheapest t whose quality on the OLDER part of
 * the labels meets the target; it is then scored on the NEWER part (time-ordered: fit on older, test on
 * newer), and the report says when there are too few labels (or too few failures) to trust it.
 */

export interface LedgerRow {
  ts: number;
  route: string;
  classifier_score: number | null;
  served_model?: string | null;
  escalations?: number | null;
  quality?: string | null;
  cost_usd?: number | null;
  feedback_success?: number | null;
  label?: string | null;
  /** 1 when the request was in the route's exploration share (migration 0010); absent in older ledgers. */
  explored?: number | boolean | null;
  /** A reviewer's label from the review table: the cheap answer was good enough (1/0), the tier it needed. */
  review_good_enough?: number | null;
  review_tier?: number | null;
  /** The text-free summary (JSON text or parsed), for a per-route head. */
  features?: string | Record<string, number> | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
}

export interface Labelled {
  ts: number;
  score: number;
  cheapOk: boolean;
  source: "review" | "cascade" | "feedback";
  /** The row it came from, for a head's inputs. */
  row?: LedgerRow;
}

/** A reviewer's verdict on the cheap model: the row's own label, or the review table's good_enough / tier. */
function reviewVerdict(row: LedgerRow): boolean | undefined {
  if (row.label === "cheap_ok" || row.label === "cheap_failed") return row.label === "cheap_ok";
  if (row.review_good_enough === 0 || row.review_good_enough === 1) return row.review_good_enough === 1;
  if (typeof row.review_tier === "number") return row.review_tier <= 1;
  return undefined;
}

/** The label a ledger row carries about the cheap model, or undefined when it says nothing about it. */
export function labelOf(row: LedgerRow, cheapModel: string | undefined): Labelled | undefined {
  const score = row.classifier_score;
  if (typeof score !== "number" || !Number.isFinite(score)) return undefined;
  const review = reviewVerdict(row);
  if (review !== undefined) return { ts: row.ts, score, cheapOk: review, source: "review", row };
  if (!unselected(row)) return undefined;
  const esc = row.escalations ?? 0;
  if (esc > 0) return { ts: row.ts, score, cheapOk: false, source: "cascade", row };
  const servedCheap = cheapModel !== undefined && row.served_model === cheapModel;
  if (servedCheap && row.quality === "passed") return { ts: row.ts, score, cheapOk: true, source: "cascade", row };
  if (servedCheap && (row.feedback_success === 0 || row.feedback_success === 1)) return { ts: row.ts, score, cheapOk: row.feedback_success === 1, source: "feedback", row };
  return undefined;
}

/** Picked for a label without regard to its score: explored, or from a ledger that does not say. */
function unselected(row: LedgerRow): boolean {
  return row.explored === undefined || row.explored === null || row.explored === 1 || row.explored === true;
}

/** Rows with a verdict that labelOf leaves out because the route chose them by their score (see the header). */
export function ignoredVerdict(row: LedgerRow, cheapModel: string | undefined): boolean {
  if (unselected(row) || labelOf(row, cheapModel) !== undefined) return false;
  return (row.escalations ?? 0) > 0 || (row.served_model === cheapModel && (row.quality === "passed" || row.feedback_success === 0 || row.feedback_success === 1));
}

export interface OperatingPoint {
  threshold: number;
  strongShare: number;
  quality: number;
  /** Mean cost per request, USD. */
  cost: number;
}

/** Quality and cost of every distinct threshold (plus "nothing strong") on a set of labels. */
export function curve(labels: readonly Labelled[], cheapCost: number, strongCost: number): OperatingPoint[] {
  const sorted = [...labels].sort((a, b) => b.score - a.score);
  const n = sorted.length;
  const cheapOkTotal = sorted.filter((l) => l.cheapOk).length;
  const out: OperatingPoint[] = [{ threshold: 1, strongShare: 0, quality: cheapOkTotal / n, cost: cheapCost }];
  let strong = 0, okKept = cheapOkTotal;
  let i = 0;
  while (i < n) {
    const s = (sorted[i] as Labelled).score;
    while (i < n && (sorted[i] as Labelled).score === s) {
      if ((sorted[i] as Labelled).cheapOk) okKept--;
      strong++;
      i++;
    }
    const share = strong / n;
    out.push({ threshold: s, strongShare: share, quality: (okKept + strong) / n, cost: cheapCost * (1 - share) + strongCost * share });
  }
  return out;
}

/** Quality and cost of one threshold on a set of labels. */
export function pointAt(labels: readonly Labelled[], threshold: number, cheapCost: number, strongCost: number): OperatingPoint {
  const n = labels.length;
  let strong = 0, good = 0;
  for (const l of labels) {
    if (l.score >= threshold) {
      strong++;
      good++;
    } else if (l.cheapOk) good++;
  }
  const share = n === 0 ? 0 : strong / n;
  return { threshold, strongShare: share, quality: n === 0 ? NaN : good / n, cost: cheapCost * (1 - share) + strongCost * share };
}

export interface TuneOptions {
  /** Required share of requests answered well, e.g. 0.95. */
  target: number;
  cheapCost: number;
  strongCost: number;
  /** Share of labels (oldest first) to fit on; the rest test. Default 0.7. */
  fitShare?: number;
  /** The threshold in force now, to compare with. */
  currentThreshold?: number;
  /** Fewer labels than this (or fewer than minFailures cheap failures) in either part: not trustworthy. Default 200 / 20. */
  minLabels?: number;
  minFailures?: number;
}

export interface TuneResult {
  labels: number;
  bySource: Record<string, number>;
  fit: { n: number; from: number; to: number };
  test: { n: number; from: number; to: number };
  /** Cheapest threshold meeting the target on the fit part (1 = everything stays cheap: scores are < 1). */
  proposed: { fit: OperatingPoint; test: OperatingPoint };
  current?: { fit: OperatingPoint; test: OperatingPoint };
  /** The test part's curve, for printing. */
  testCurve: OperatingPoint[];
  warnings: string[];
  trustworthy: boolean;
}

export function tuneThreshold(all: readonly Labelled[], opt: TuneOptions): TuneResult {
  const labels = [...all].sort((a, b) => a.ts - b.ts);
  const warnings: string[] = [];
  const minLabels = opt.minLabels ?? 200, minFailures = opt.minFailures ?? 20;
  const cut = Math.floor(labels.length * (opt.fitShare ?? 0.7));
  const fit = labels.slice(0, cut), test = labels.slice(cut);
  const bySource: Record<string, number> = {};
  for (const l of labels) bySource[l.source] = (bySource[l.source] ?? 0) + 1;
  if (fit.length === 0 || test.length === 0) throw new Error(`too few labels to tune: ${labels.length} (need some to fit on and some newer ones to test on)`);
  for (const [name, part, need] of [["fit (older)", fit, Math.ceil(minLabels * 0.7)], ["test (newer)", test, Math.ceil(minLabels * 0.3)]] as const) {
    const failures = part.filter((l) => !l.cheapOk).length;
    if (part.length < need) warnings.push(`too few labels to trust: ${part.length} in the ${name} part (want >= ${need})`);
    if (failures < Math.ceil(minFailures / 2)) warnings.push(`too few cheap-model failures to trust: ${failures} in the ${name} part (want >= ${Math.ceil(minFailures / 2)})`);
  }
  const fitCurve = curve(fit, opt.cheapCost, opt.strongCost);
  const meeting = fitCurve.filter((p) => p.quality >= opt.target);
  const best = meeting.reduce<OperatingPoint | undefined>((b, p) => (b === undefined || p.cost < b.cost ? p : b), undefined) ?? (fitCurve.at(-1) as OperatingPoint);
  if (meeting.length === 0) warnings.push(`no threshold meets quality ${opt.target} on the fit part even with every request strong (labels assume strong answers are good)`);
  const testPoint = pointAt(test, best.threshold, opt.cheapCost, opt.strongCost);
  if (testPoint.quality < opt.target) warnings.push(`the proposed threshold gives quality ${testPoint.quality.toFixed(3)} on the newer labels, below the target ${opt.target}`);
  const result: TuneResult = {
    labels: labels.length,
    bySource,
    fit: { n: fit.length, from: (fit[0] as Labelled).ts, to: (fit.at(-1) as Labelled).ts },
    test: { n: test.length, from: (test[0] as Labelled).ts, to: (test.at(-1) as Labelled).ts },
    proposed: { fit: best, test: testPoint },
    testCurve: curve(test, opt.cheapCost, opt.strongCost),
    warnings,
    trustworthy: warnings.length === 0,
  };
  if (opt.currentThreshold !== undefined) {
    result.current = { fit: pointAt(fit, opt.currentThreshold, opt.cheapCost, opt.strongCost), test: pointAt(test, opt.currentThreshold, opt.cheapCost, opt.strongCost) };
  }
  return result;
}
