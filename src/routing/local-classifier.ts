/**
 * The `local` classifier: the built-in learned score (src/classifier, no network) mapped to a
 * tier by two thresholds — given directly, or derived from target shares of traffic using the
 * classifier's calibration on held-out prompts.
 */
import type { ChatRequest } from "../core/chat-request";
import type { ClassifierSpec } from "../config/schema";
import { complexityScore, expectedStrongShare, thresholdForStrongShare } from "../classifier";

export type Tier = 1 | 2 | 3;
type LocalSpec = Extract<ClassifierSpec, { type: "local" }>;

/** Without a knob: 10% of traffic to tier 3, the next 30% to tier 2, 60% stays on tier 1 (on the evaluation data). */
export const DEFAULT_SHARES = { "2": 0.3, "3": 0.1 } as const;

export interface LocalCalibration {
  thresholds: { "2": number; "3": number };
  /** Expected share of requests at tier 3, and at tier 2 or above, on the classifier's evaluation data. */
  expected: { "2": number; "3": number };
}

export function localCalibration(spec: Pick<LocalSpec, "thresholds" | "shares">): LocalCalibration {
  let thresholds: { "2": number; "3": number };
  if (spec.thresholds) thresholds = { ...spec.thresholds };
  else {
    const s = { ...DEFAULT_SHARES, ...spec.shares };
    thresholds = { "2": thresholdForStrongShare(s["2"] + s["3"]), "3": thresholdForStrongShare(s["3"]) };
  }
  return { thresholds, expected: { "2": round(expectedStrongShare(thresholds["2"])), "3": round(expectedStrongShare(thresholds["3"])) } };
}

export function scoreComplexity(messages: ChatRequest["messages"]): number {
  return complexityScore(messages);
}

export function tierForScore(score: number, thresholds: { "2": number; "3": number }): Tier {
  if (score >= thresholds["3"]) return 3;
  if (score >= thresholds["2"]) return 2;
  return 1;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
