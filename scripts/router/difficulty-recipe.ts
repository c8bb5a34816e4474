/**
 * The issue 13 candidate recipe for the prior: difficulty first, then a small type-gated head.
 *
 * Stage 1 (text -> difficulty): the same hashed n-grams + bins logistic regression as the shipped model,
 *   but trained on sigmoid(b_i - mean theta), b_i the item's Rasch difficulty fitted across every model of
 *   its dataset except the models of the pairs left out (difficulty.ts); the prompt-length bins are left
 *   out of this stage so that length enters only through the head, explicitly.
 * Stage 2 (head): logistic regression on a few dense features — one-hot bins of the stage-1 logit, the
 *   prompt type (prompt-type.ts) and, per type, log2(characters) with a slope constrained >= 0 (longer
 *   never lowers the score) — fitted on the strong-minus-cheap gain of the given pairs, with stage-1
 *   logits that are out of fold (2 folds), so the head sees the stage's real error.
 * Fitted on the train + validation splits, like gainRecipe; the held-out splits are never read.
 */
import { binGroupRange, FeatureBuffer } from "../../src/classifier/features";
import type { Item } from "./data";
import type { Prepared } from "./dataset";
import { fitDenseLogReg, type DenseExample } from "./dense-logreg";
import { fitRasch, modelsOf } from "./difficulty";
import { featurize, linearLogit, trainLogRegLbfgs, type Example } from "./logreg";
import type { Recipe } from "./lopo";
import { PAIRS, type Pair } from "./pairs";
import { PROMPT_TYPES, promptType } from "./prompt-type";
import { unitHash } from "./splits";

export interface DifficultyOptions {
  l2: number;
  hashBits?: number;
  /** Number of quantile bins of the stage-1 logit in the head. */
  zBins?: number;
  headL2?: number;
  /** Sides the recipe fits on (default train + val; model selection uses train only and scores val). */
  sides?: readonly string[];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const NT = PROMPT_TYPES.length;

type Feats = Omit<Example, "target" | "weight">;

function headRow(z: number, edges: readonly number[], type: number, chars: number, nz: number): Float64Array {
  const x = new Float64Array(1 + nz + 2 * NT);
  x[0] = 1;
  let k = 0;
  while (k < edges.length && z >= (edges[k] as number)) k++;
  x[1 + k] = 1;
  x[1 + nz + type] = 1;
  x[1 + nz + NT + type] = Math.log2(chars + 1) - 8;
  return x;
}

export function difficultyRecipe(opt: DifficultyOptions): Recipe {
  const hashBits = opt.hashBits ?? 16, nz = opt.zBins ?? 8, headL2 = opt.headL2 ?? 1e-3;
  const sides = opt.sides ?? ["train", "val"];
  const [lenLo, lenHi] = binGroupRange("log2Chars");
  let cache: { prep: Prepared; feats: Feats[]; types: number[] } | undefined;
  const prepared = (prep: Prepared): { feats: Feats[]; types: number[] } => {
    if (cache?.prep !== prep) {
      const buf = new FeatureBuffer();
      const base = 1 << hashBits;
      const feats = prep.items.map((it) => {
        const f = featurize(it.text, hashBits, buf);
        return { ...f, bins: f.bins.filter((b) => b - base < lenLo || b - base >= lenHi) };
      });
      cache = { prep, feats, types: prep.items.map((it) => PROMPT_TYPES.indexOf(promptType(it.text))) };
    }
    return cache;
  };
  return {
    name: `difficulty (Rasch over all models but the left-out pair's) + type-gated head (${nz} difficulty bins, per-type log-length slope >= 0; l2 ${opt.l2}, head l2 ${headL2})`,
    fit(prep: Prepared, pairs: readonly Pair[]) {
      const { feats, types } = prepared(prep);
      const items = prep.items;
      const trainIdx = items.map((_, i) => i).filter((i) => sides.includes(prep.split[i] as string));
      const excluded = new Set(PAIRS.filter((p) => !pairs.some((q) => q.id === p.id)).flatMap((p) => [p.cheap, p.strong]));
      // stage-1 targets: failure probability of the average model at the item's fitted difficulty
      const target = new Map<number, number>();
      for (const ds of ["mmlu-pro", "llmrouter"] as const) {
        const idx = trainIdx.filter((i) => (items[i] as Item).dataset === ds);
        const its = idx.map((i) => items[i] as Item);
        const fit = fitRasch(its, { models: modelsOf(its).filter((m) => !excluded.has(m)) });
        const tbar = mean([...fit.theta.values()]);
        idx.forEach((i, k) => {
          const b = fit.b[k] as number;
          if (Number.isFinite(b)) target.set(i, 1 / (1 + Math.exp(-(b - tbar))));
        });
      }
      const stage1 = (keep: (i: number) => boolean): ((i: number) => number) => {
        const ex: Example[] = [];
        for (const [i, t] of target) if (keep(i)) ex.push({ ...(feats[i] as Feats), target: t, weight: 1 });
        const model = trainLogRegLbfgs(ex, { hashBits, l2: opt.l2, maxIterations: 100, ngramScale: 1 });
        return (i) => linearLogit(model, feats[i] as Feats);
      };
      const fold = (i: number): boolean => unitHash(`fold:${(items[i] as Item).key}`) < 0.5;
      const a = stage1((i) => fold(i)), b = stage1((i) => !fold(i)), full = stage1(() => true);
      const oof = new Map<number, number>();
      for (const i of trainIdx) oof.set(i, fold(i) ? b(i) : a(i));
      const zs = [...oof.values()].sort((x, y) => x - y);
      const edges = Array.from({ length: nz - 1 }, (_, k) => zs[Math.floor(((k + 1) / nz) * zs.length)] as number);
      // head targets: 0.5 + (gain - the pair's mean gain) / 2, averaged over the given pairs of the item's dataset
      const sum = new Map<number, [number, number]>();
      for (const p of pairs) {
        const idx = trainIdx.filter((i) => (items[i] as Item).dataset === p.dataset && (items[i] as Item).quality[p.cheap] !== undefined && (items[i] as Item).quality[p.strong] !== undefined);
        const g = idx.map((i) => ((items[i] as Item).quality[p.strong] as number) - ((items[i] as Item).quality[p.cheap] as number));
        const gm = mean(g);
        idx.forEach((i, k) => {
          const prev = sum.get(i) ?? [0, 0];
          sum.set(i, [prev[0] + 0.5 + ((g[k] as number) - gm) / 2, prev[1] + 1]);
        });
      }
      const ex: DenseExample[] = [];
      for (const [i, [s, n]] of sum) ex.push({ x: headRow(oof.get(i) as number, edges, types[i] as number, (items[i] as Item).text.length, nz), target: Math.min(1, Math.max(0, s / n)), weight: 1 });
      const dim = 1 + nz + 2 * NT;
      const beta = fitDenseLogReg(ex, dim, { l2: headL2, unpenalised: [0], nonNegative: PROMPT_TYPES.map((_, t) => 1 + nz + NT + t) });
      const index = new Map(items.map((it, i) => [it, i]));
      return (item: Item) => {
        const i = index.get(item);
        if (i === undefined) throw new Error(`item ${item.key} is not in the prepared data`);
        const x = headRow(full(i), edges, types[i] as number, item.text.length, nz);
        let s = 0;
        for (let j = 0; j < dim; j++) s += (x[j] as number) * (beta[j] as number);
        return s;
      };
    },
  };
}
