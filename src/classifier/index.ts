/**
 * Built-in learned complexity classifier (issue 6): scores a request, from its text alone, by how likely a
 * cheap model is to fail where a stronger one succeeds. Pure, synchronous, no network, deterministic.
 * See README.md in this folder for how routes use it.
 */
import { shareFromQuantiles, thresholdFromQuantiles } from "./calibration";
import { HEAD_CHARS, NUM_BINS, TAIL_CHARS } from "./features";
import { LinearScorer, type ModelFile } from "./model";
import modelJson from "./model.json";
import { promptText, type PromptInput } from "./prompt-text";

export type { PromptInput } from "./prompt-text";
export { promptText } from "./prompt-text";

const MODEL: ModelFile = modelJson as ModelFile;
const scorer = new LinearScorer(MODEL);

/** Score in (0,1); higher = more likely the cheap model fails where a strong one succeeds. */
export function complexityScore(input: PromptInput): number {
  return scorer.score(promptText(input));
}

/** Threshold t such that, on the held-out evaluation prompts, the share with score >= t is `share` (clamped to 0..1). */
export function thresholdForStrongShare(share: number): number {
  return thresholdFromQuantiles(MODEL.calibration.quantiles, share);
}

/** Expected share of strong calls (score >= threshold) on the held-out evaluation prompts. */
export function expectedStrongShare(threshold: number): number {
  return shareFromQuantiles(MODEL.calibration.quantiles, threshold);
}

export interface ClassifierInfo {
  version: string;
  features: string;
  trainedOn: string;
  model: string;
  hashBits: number;
  weightCount: number;
  calibration: { source: string; n: number };
  [key: string]: unknown;
}

export const CLASSIFIER_INFO: ClassifierInfo = {
  ...MODEL.info,
  version: MODEL.version,
  features: `hashed word unigrams+bigrams (2^${MODEL.hashBits} buckets, digits folded, head ${HEAD_CHARS}/tail ${TAIL_CHARS} chars) + ${NUM_BINS} one-hot bins of text statistics (length, lines, digits, LaTeX/code markers, option lists, question marks)`,
  trainedOn: String(MODEL.info.trainedOn ?? ""),
  model: "logistic regression (L2, L-BFGS) on soft labels 0.5 + (strong - cheap quality, centred per dataset) / 2, int8 weights",
  hashBits: MODEL.hashBits,
  weightCount: (1 << MODEL.hashBits) + NUM_BINS,
  calibration: { source: MODEL.calibration.source, n: MODEL.calibration.n },
};
