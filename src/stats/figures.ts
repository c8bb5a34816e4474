/** Every figure of one group in one period, computed from its cells (definitions in ./definitions.ts). */
import { addCell, emptyTotals, type StatsCell } from "./cell";
import { percentile } from "./histogram";
import { type RoutingConfusion, routingConfusion } from "./routing-accuracy";

export type TierOf = (model: string | null) => 1 | 2 | 3 | null;

export interface TierFigures {
  requests: number;
  trafficShare: number | null;
  costUsd: number;
  costShare: number | null;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Figures {
  requests: number;
  share: number | null;
  tokens: { input: number; output: number };
  costUsd: number;
  baselineCostUsd: number;
  savingsUsd: number;
  savingsPct: number | null;
  tiers: Record<string, TierFigures>;
  quality: { checked: number; passed: number; checkPassRate: number | null; escalated: number; escalationRate: number | null; servedFailed: number; servedFailedRate: number | null };
  feedback: { count: number; successRate: number | null; meanScore: number | null };
  routingAccuracy: { classified: number; judged: number; agreed: number; rate: number | null } & RoutingConfusion;
  latencyMs: Percentiles;
  ttfbMs: Percentiles;
  fallbackRate: number | null;
  errorRate: number | null;
  partialStreamRate: number | null;
  recoveredStreamRate: number | null;
  abortedRate: number | null;
  shadow: { requests: number; actualCostUsd: number; projectedCostUsd: number; projectedSavingsUsd: number; projectedSavingsPct: number | null } | null;
}

/** a ÷ b, null when b is 0, rounded to 6 decimals (rates) so JSON stays readable. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 1e6) / 1e6;
}

/** Money to 1e-9 USD: summing floats in D1 and in JS must not show as different figures. */
export const usd = (v: number): number => Math.round(v * 1e9) / 1e9;

const pcts = (h: Record<number, number>): Percentiles => ({ p50: percentile(h, 0.5), p95: percentile(h, 0.95), p99: percentile(h, 0.99) });

/** `periodRequests`: all requests of the period (every group, after filters), for `share`. */
export function computeFigures(cells: readonly StatsCell[], periodRequests: number, tierOf: TierOf): Figures {
  const t = emptyTotals();
  const tiers: Record<string, TierFigures> = {};
  for (const cell of cells) {
    addCell(t, cell);
    const tier = String(tierOf(cell.dims.model) ?? "unknown");
    const slot = (tiers[tier] ??= { requests: 0, trafficShare: null, costUsd: 0, costShare: null });
    slot.requests += cell.sums.requests;
    slot.costUsd += cell.sums.costUsd;
  }
  const s = t.sums;
  for (const slot of Object.values(tiers)) {
    slot.trafficShare = ratio(slot.requests, s.requests);
    slot.costShare = ratio(slot.costUsd, s.costUsd);
    slot.costUsd = usd(slot.costUsd);
  }
  const checked = s.checkPassed + s.checkFailed;
  const savings = s.baselineCostUsd - s.costUsd;
  const shadowSavings = s.shadowActualCostUsd - s.shadowCostUsd;
  return {
    requests: s.requests,
    share: ratio(s.requests, periodRequests),
    tokens: { input: s.inputTokens, output: s.outputTokens },
    costUsd: usd(s.costUsd),
    baselineCostUsd: usd(s.baselineCostUsd),
    savingsUsd: usd(savings),
    savingsPct: s.baselineCostUsd === 0 ? null : Math.round((savings / s.baselineCostUsd) * 1e6) / 1e4,
    tiers,
    quality: {
      checked,
      passed: s.checkPassed,
      checkPassRate: ratio(s.checkPassed, checked),
      escalated: s.escalated,
      escalationRate: ratio(s.escalated, s.requests),
      servedFailed: s.checkFailed,
      servedFailedRate: ratio(s.checkFailed, checked),
    },
    feedback: { count: s.feedbackCount, successRate: ratio(s.feedbackSuccess, s.feedbackRated), meanScore: ratio(s.feedbackScoreSum, s.feedbackScored) },
    routingAccuracy: { classified: s.classified, judged: s.tier1Judged, agreed: s.tier1Agreed, rate: ratio(s.tier1Agreed, s.tier1Judged), ...routingConfusion(t.routing) },
    latencyMs: pcts(t.latency),
    ttfbMs: pcts(t.ttfb),
    fallbackRate: ratio(s.withFallback, s.requests),
    errorRate: ratio(s.errors, s.requests),
    partialStreamRate: ratio(s.partialStreams, s.streams),
    recoveredStreamRate: ratio(s.recoveredStreams, s.streams),
    abortedRate: ratio(s.aborted, s.requests),
    shadow: s.shadowRequests === 0 ? null : {
      requests: s.shadowRequests,
      actualCostUsd: usd(s.shadowActualCostUsd),
      projectedCostUsd: usd(s.shadowCostUsd),
      projectedSavingsUsd: usd(shadowSavings),
      projectedSavingsPct: s.shadowActualCostUsd === 0 ? null : Math.round((shadowSavings / s.shadowActualCostUsd) * 1e6) / 1e4,
    },
  };
}
