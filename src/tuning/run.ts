/**
 * One tuning run over a classifier route's ledger rows (issue 13): labels (fit.ts), the tier-1/2 threshold
 * on the prior fitted on the older labels and tested on the newer ones, optionally a per-route head
 * (head-fit.ts) whose threshold is fitted the same way, and the proposal: thresholds (tier 3 keeps its
 * share of traffic), the head when it earns its place, and the figures to judge it by. Pure: the Worker's
 * POST /admin/routes/:name/tune and the CLI both run it.
 */
import type { Head } from "../config/learning-schema";
import { headScore } from "../routing/route-head";
import { ignoredVerdict, labelOf, tuneThreshold, type Labelled, type LedgerRow, type OperatingPoint, type TuneResult } from "./fit";
import { featuresOf, fitHead } from "./head-fit";

export interface RouteTuneInput {
  route: string;
  rows: readonly LedgerRow[];
  /** The tier-1 model (labels are about it). */
  cheapModel: string;
  /** Mean cost per request on the cheap tier and on the strong tier (USD). */
  cheapCost: number;
  strongCost: number;
  /** Thresholds in force (on the prior, or on the head's score when `currentHead`). */
  current: { "2": number; "3": number };
  currentHead?: Head;
  target: number;
  fitShare?: number;
  minLabels?: number;
  minFailures?: number;
  /** Fit a head: "auto" keeps it only when it is cheaper at the target on the newer labels. Default "auto". */
  head?: "auto" | "on" | "off";
  now: Date;
  id: string;
}

export interface RouteTuning {
  id: string;
  route: string;
  date: string;
  target: number;
  cheapModel: string;
  costs: { cheap: number; strong: number };
  labels: number;
  bySource: Record<string, number>;
  /** Verdicts left out because the route chose those requests by their score (not exploration or review). */
  ignored: number;
  prior: TuneResult;
  head?: { fitted: Head; result: TuneResult };
  chosen: "prior" | "head";
  proposal: { thresholds: { "2": number; "3": number }; head?: Head };
  /** Proposed and current operating points on the newer labels, and the curve they sit on. */
  proposed: { fit: OperatingPoint; test: OperatingPoint };
  current?: { fit: OperatingPoint; test: OperatingPoint };
  curve: OperatingPoint[];
  warnings: string[];
  trustworthy: boolean;
}

/** The score a row's request would be compared with under this head (the prior's score without one). */
export function scoreUnder(row: LedgerRow, head: Head | undefined): number | undefined {
  const prior = row.classifier_score;
  if (typeof prior !== "number") return undefined;
  if (!head) return prior;
  const f = featuresOf(row);
  return f ? headScore(head, prior, f) : undefined;
}

function rescored(labels: readonly Labelled[], head: Head | undefined): Labelled[] {
  return labels.flatMap((l) => {
    const s = l.row ? scoreUnder(l.row, head) : head ? undefined : l.score;
    return s === undefined ? [] : [{ ...l, score: s }];
  });
}

/** The threshold above which `share` of the scores lie. */
function thresholdForShare(scores: number[], share: number): number {
  if (share <= 0 || scores.length === 0) return 1;
  const sorted = [...scores].sort((a, b) => b - a);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] as number;
}

export function tuneRoute(input: RouteTuneInput): RouteTuning {
  const labels = input.rows.map((r) => labelOf(r, input.cheapModel)).filter((l): l is Labelled => l !== undefined).sort((a, b) => a.ts - b.ts);
  const ignored = input.rows.filter((r) => ignoredVerdict(r, input.cheapModel)).length;
  const opts = { target: input.target, cheapCost: input.cheapCost, strongCost: input.strongCost, ...(input.fitShare !== undefined ? { fitShare: input.fitShare } : {}), ...(input.minLabels !== undefined ? { minLabels: input.minLabels } : {}), ...(input.minFailures !== undefined ? { minFailures: input.minFailures } : {}) };
  // "current" is compared on the score it is applied to: the prior, or the current head's score
  const currentLabels = rescored(labels, input.currentHead);
  const prior = tuneThreshold(labels, opts);
  const currentRun = currentLabels.length > 1 ? tuneThreshold(currentLabels, { ...opts, currentThreshold: input.current["2"] }) : undefined;
  let head: RouteTuning["head"];
  if ((input.head ?? "auto") !== "off") {
    const cut = Math.floor(labels.length * (input.fitShare ?? 0.7));
    const fitted = fitHead(labels.slice(0, cut));
    const withHead = fitted ? rescored(labels, fitted) : [];
    if (fitted && withHead.length === labels.length) head = { fitted, result: tuneThreshold(withHead, opts) };
  }
  const headWins = head !== undefined && (input.head === "on" || (head.result.proposed.test.quality >= Math.min(input.target, prior.proposed.test.quality) && head.result.proposed.test.cost < prior.proposed.test.cost));
  const chosen = headWins && head ? head : undefined;
  const result = chosen ? chosen.result : prior;
  const t2 = result.proposed.fit.threshold;
  // tier 3 keeps the share of traffic it has now
  const scored = input.rows.filter((r) => typeof r.classifier_score === "number");
  const tier3Share = scored.filter((r) => (scoreUnder(r, input.currentHead) ?? -1) >= input.current["3"]).length / Math.max(1, scored.length);
  const newScores = scored.map((r) => scoreUnder(r, chosen?.fitted)).filter((s): s is number => s !== undefined);
  const t3 = Math.max(t2, chosen ? thresholdForShare(newScores, tier3Share) : input.current["3"]);
  const warnings = [...result.warnings];
  if (ignored > 0) warnings.push(`${ignored} verdicts left out: they are on requests the route sent cheap because of their score (only exploration and review labels make an unbiased curve)`);
  const out: RouteTuning = {
    id: input.id,
    route: input.route,
    date: input.now.toISOString(),
    target: input.target,
    cheapModel: input.cheapModel,
    costs: { cheap: input.cheapCost, strong: input.strongCost },
    labels: labels.length,
    bySource: prior.bySource,
    ignored,
    prior,
    ...(head ? { head } : {}),
    chosen: chosen ? "head" : "prior",
    proposal: { thresholds: { "2": t2, "3": t3 }, ...(chosen ? { head: chosen.fitted } : {}) },
    proposed: result.proposed,
    curve: result.testCurve,
    warnings,
    trustworthy: result.trustworthy,
  };
  if (currentRun?.current) out.current = currentRun.current;
  return out;
}
