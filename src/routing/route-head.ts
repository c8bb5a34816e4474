/**
 * The per-route head (issue 13): a small logistic model over the prior's logit and the text-free
 * summary, fitted by the tuner from the route's own labels. Its score is P(cheap model fails).
 * The inputs are scaled here, in one place, for both scoring (routing) and fitting (tuning).
 */
import { HEAD_INPUTS, type Head, type HeadInput } from "../config/learning-schema";
import type { FeatureSummary } from "./feature-summary";

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/** The head's input vector, in HEAD_INPUTS order. */
export function headInputs(prior: number, f: FeatureSummary): number[] {
  const v: Record<HeadInput, number> = {
    prior: logit(prior),
    chars: Math.log1p(f.chars) / 10,
    lines: Math.log1p(f.lines) / 5,
    digits: Math.log1p(f.digits) / 5,
    questions: Math.log1p(f.questions) / 3,
    messages: Math.log1p(f.messages) / 3,
    code: f.code,
    math: f.math,
    options: f.options,
    tools: f.tools,
    json: f.json,
  };
  return HEAD_INPUTS.map((k) => v[k]);
}

export function headScoreOf(head: Head, x: readonly number[]): number {
  let z = head.bias;
  HEAD_INPUTS.forEach((k, i) => {
    z += (head.weights[k] ?? 0) * (x[i] as number);
  });
  z = Math.max(-30, Math.min(30, z));
  return 1 / (1 + Math.exp(-z));
}

export function headScore(head: Head, prior: number, f: FeatureSummary): number {
  return headScoreOf(head, headInputs(prior, f));
}
