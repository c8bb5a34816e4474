/**
 * Leave-one-pair-out (LOPO) evaluation: for each cheap/strong pair P, fit the training recipe WITHOUT P's
 * models' outcomes in the target, then score P's held-out prompts. This is what a new route with a pair
 * the classifier never saw gets; scoring on pairs that were also trained on (the plain held-out table)
 * does not predict it. The length baseline is computed on the same prompts for comparison.
 */
import { FeatureBuffer } from "../../src/classifier/features";
import type { Item } from "./data";
import { centredTargets, type Prepared } from "./dataset";
import { featurize, linearLogit, trainLogRegLbfgs, type Example } from "./logreg";
import { bootstrapRouters, evaluatePair, type BootstrapIntervals } from "./metrics";
import { pairItems, pairRows } from "./pair-rows";
import { PAIRS, type Pair } from "./pairs";

export interface LopoPair {
  pair: string;
  dataset: string;
  n: number;
  classifier: number;
  length: number;
  oracle: number;
  bootstrap: BootstrapIntervals;
}

export interface LopoReport {
  recipe: string;
  pairs: LopoPair[];
  meanClassifier: number;
  meanLength: number;
  ms: number;
}

/** A training recipe: given the pairs it may learn from, a scorer for any item (higher = send to strong). */
export type Recipe = { name: string; fit: (prep: Prepared, pairs: readonly Pair[]) => (item: Item) => number };

/** The shipped (issue 6) recipe: logistic regression on 0.5 + centred mean gain over the given pairs / 2. */
export function gainRecipe(l2: number, hashBits = 16): Recipe {
  return {
    name: `gain logreg (l2 ${l2}, 2^${hashBits} hashed n-grams + bins)`,
    fit(prep, pairs) {
      const buf = new FeatureBuffer();
      const idx = prep.items.map((_, i) => i).filter((i) => prep.split[i] === "train" || prep.split[i] === "val");
      const targets = centredTargets(idx.map((i) => prep.items[i] as Item), pairs);
      const ex: Example[] = [];
      idx.forEach((i, k) => {
        const t = targets[k];
        if (t !== undefined) ex.push({ ...featurize((prep.items[i] as Item).text, hashBits, buf), target: t, weight: 1 });
      });
      const model = trainLogRegLbfgs(ex, { hashBits, l2, maxIterations: 100, ngramScale: 1 });
      return (item) => linearLogit(model, featurize(item.text, hashBits, buf));
    },
  };
}

/** LOPO over every pair, on the held-out items `heldOut` (items of every dataset; each pair takes its own). */
export function leaveOnePairOut(prep: Prepared, heldOut: readonly Item[], recipe: Recipe, samples = 100): LopoReport {
  const t0 = performance.now();
  const pairs = PAIRS.map((pair): LopoPair => {
    const score = recipe.fit(prep, PAIRS.filter((p) => p.id !== pair.id));
    const its = pairItems(heldOut, pair);
    const rows = pairRows(its, pair, its.map(score), prep.prices);
    const ev = evaluatePair(rows);
    return { pair: pair.id, dataset: pair.dataset, n: its.length, classifier: ev.classifier.apgr, length: ev.length.apgr, oracle: ev.oracle.apgr, bootstrap: bootstrapRouters(rows, samples) };
  });
  const mean = (f: (p: LopoPair) => number): number => pairs.reduce((a, p) => a + f(p), 0) / pairs.length;
  return { recipe: recipe.name, pairs, meanClassifier: mean((p) => p.classifier), meanLength: mean((p) => p.length), ms: performance.now() - t0 };
}

export function lopoMarkdown(r: LopoReport): string {
  const f3 = (x: number): string => x.toFixed(3);
  const sgn = (x: number): string => `${x < 0 ? "−" : "+"}${Math.abs(x).toFixed(3)}`;
  const out: string[] = [];
  out.push(`Leave-one-pair-out (recipe: ${r.recipe}; each row's model was trained without that pair's outcomes, scored on that pair's held-out prompts; ${(r.ms / 1000).toFixed(0)} s):`);
  out.push("");
  out.push("| left-out pair | n | APGR classifier (LOPO) [95%] | APGR length [95%] | cls − len [95%] (P cls > len) | oracle |");
  out.push("|---|---:|---|---|---|---:|");
  for (const p of r.pairs) {
    const b = p.bootstrap;
    out.push(`| ${p.pair} | ${p.n} | ${f3(p.classifier)} [${f3(b.classifier[0])}, ${f3(b.classifier[1])}] | ${f3(p.length)} [${f3(b.length[0])}, ${f3(b.length[1])}] | ${sgn(p.classifier - p.length)} [${sgn(b.classifierMinusLength[0])}, ${sgn(b.classifierMinusLength[1])}] (${(100 * b.classifierAboveLength).toFixed(0)}%) | ${f3(p.oracle)} |`);
  }
  out.push("");
  out.push(`LOPO mean over pairs: classifier ${f3(r.meanClassifier)}, length ${f3(r.meanLength)} (${sgn(r.meanClassifier - r.meanLength)}): the recipe ${r.meanClassifier > r.meanLength ? "beats" : "does NOT beat"} length on pairs it never saw.`);
  return out.join("\n");
}
