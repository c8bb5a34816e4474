/**
 * Fits a route's head (routing/route-head.ts): L2 logistic regression of "the cheap model failed" on the
 * prior's logit and the text-free summary, by Newton's method (12 parameters: a few milliseconds for
 * thousands of labels, in the Worker or the CLI).
 */
import { HEAD_INPUTS, type Head } from "../config/learning-schema";
import type { FeatureSummary } from "../routing/feature-summary";
import { headInputs } from "../routing/route-head";
import type { Labelled, LedgerRow } from "./fit";

export function featuresOf(row: LedgerRow | undefined): FeatureSummary | undefined {
  const f = row?.features;
  if (f === undefined || f === null) return undefined;
  try {
    const v = (typeof f === "string" ? JSON.parse(f) : f) as Record<string, unknown>;
    return typeof v.chars === "number" ? (v as unknown as FeatureSummary) : undefined;
  } catch {
    return undefined;
  }
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f !== 0) for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

/** The head fitted on these labels (those whose row has a summary); undefined when fewer than `min` have one. */
export function fitHead(labels: readonly Labelled[], { l2 = 1, iterations = 30, min = 50 } = {}): Head | undefined {
  const xs: number[][] = [], ys: number[] = [];
  for (const l of labels) {
    const f = featuresOf(l.row);
    if (!f) continue;
    xs.push([1, ...headInputs(l.score, f)]);
    ys.push(l.cheapOk ? 0 : 1);
  }
  if (xs.length < min) return undefined;
  const d = HEAD_INPUTS.length + 1;
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    xs.forEach((x, i) => {
      let z = 0;
      for (let k = 0; k < d; k++) z += (w[k] as number) * (x[k] as number);
      const p = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
      const r = p - (ys[i] as number), v = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        grad[j]! += r * x[j]!;
        for (let k = j; k < d; k++) hess[j]![k]! += v * x[j]! * x[k]!;
      }
    });
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) hess[j]![k] = hess[k]![j]!;
      if (j > 0) { // the bias is not shrunk
        grad[j]! += l2 * w[j]!;
        hess[j]![j]! += l2;
      } else hess[0]![0]! += 1e-6;
    }
    const step = solve(hess, grad);
    w = w.map((v, k) => v - (step[k] as number));
    if (step.reduce((s, v) => s + Math.abs(v), 0) < 1e-8) break;
  }
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return { bias: round(w[0] as number), weights: Object.fromEntries(HEAD_INPUTS.map((k, i) => [k, round(w[i + 1] as number)])) as Head["weights"] };
}
