/**
 * Drift ("static routing rules that rot"): per route, the last 7 days against the 7 before on
 * escalation rate, fallback rate, negative-feedback rate, error rate and cost per request. A
 * metric is flagged when it rose by more than its threshold: rates by an absolute amount
 * (percentage points as a fraction), cost per request by a relative one.
 */
import type { Config } from "../config/schema";
import type { Figures } from "./figures";

export const DRIFT_WINDOW_MS = 7 * 24 * 3_600_000;

export interface DriftThresholds {
  escalationRate: number;
  fallbackRate: number;
  negativeFeedbackRate: number;
  errorRate: number;
  /** Relative rise of cost per request, 0.25 = +25%. */
  costPerRequest: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { escalationRate: 0.05, fallbackRate: 0.05, negativeFeedbackRate: 0.1, errorRate: 0.02, costPerRequest: 0.25 };

export type DriftMetric = keyof DriftThresholds;

export interface DriftMetricReport {
  previous: number | null;
  current: number | null;
  change: number | null;
  flagged: boolean;
}

export interface RouteDrift {
  route: string;
  flagged: DriftMetric[];
  metrics: Record<DriftMetric, DriftMetricReport>;
}

function values(f: Figures | undefined): Record<DriftMetric, number | null> {
  if (!f || f.requests === 0) return { escalationRate: null, fallbackRate: null, negativeFeedbackRate: null, errorRate: null, costPerRequest: null };
  return {
    escalationRate: f.quality.escalationRate,
    fallbackRate: f.fallbackRate,
    negativeFeedbackRate: f.feedback.successRate === null ? null : Math.round((1 - f.feedback.successRate) * 1e6) / 1e6,
    errorRate: f.errorRate,
    costPerRequest: Math.round((f.costUsd / f.requests) * 1e12) / 1e12,
  };
}

export function routeDrift(route: string, previous: Figures | undefined, current: Figures | undefined, t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): RouteDrift {
  const p = values(previous);
  const c = values(current);
  const metrics = {} as Record<DriftMetric, DriftMetricReport>;
  const flagged: DriftMetric[] = [];
  for (const m of Object.keys(t) as DriftMetric[]) {
    const a = p[m];
    const b = c[m];
    let change: number | null = null;
    if (a !== null && b !== null) change = m === "costPerRequest" ? (a === 0 ? null : Math.round(((b - a) / a) * 1e6) / 1e6) : Math.round((b - a) * 1e6) / 1e6;
    const isFlagged = change !== null && change > t[m];
    if (isFlagged) flagged.push(m);
    metrics[m] = { previous: a, current: b, change, flagged: isFlagged };
  }
  return { route, flagged, metrics };
}

/** The thresholds in force for a route: the defaults, then the config's `drift`, then the route's own. */
export function driftThresholdsFor(config: Config | null, route: string): DriftThresholds {
  const own = config?.routes.find((r) => r.name === route)?.drift;
  return { ...DEFAULT_DRIFT_THRESHOLDS, ...(config?.drift ?? {}), ...(own ?? {}) };
}
