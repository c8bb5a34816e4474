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
  /** "lopo": one fit per pair without it; "all-pairs": one fit with every pair (what would ship). */
  mode: "lopo" | "all-pairs";
  pairs: LopoPair[];
  meanClassifier: number;
  meanLength: number;
  /** Pairs whose APGR is below random's 0.5. */
  belowRandom: string[];
  ms: number;
}

/** A training recipe: given the pairs it may learn from, a scorer for any item (higher = send to strong). */
export type Recipe = { name: string; fit: (prep: Prepared, pairs: readonly Pair[]) => (item: Item) => number };

/** The shipped (issue 6) recipe: logistic regression on 0.5 + centred mean gain over the given pairs / 2. */
export function gainRecipe(l2: number, hashBits = 16, sides: readonly string[] = ["train", "val"]): Recipe {
  return {
    name: `gain logreg (l2 ${l2}, 2^${hashBits} hashed n-grams + bins)`,
    fit(prep, pairs) {
      const buf = new FeatureBuffer();
      const idx = prep.items.map((_, i) => i).filter((i) => sides.includes(prep.split[i] as string));
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
export function leaveOnePairOut(prep: Prepared, heldOut: readonly Item[], recipe: Recipe, samples = 100, mode: LopoReport["mode"] = "lopo"): LopoReport {
  const t0 = performance.now();
  let shared: ((item: Item) => number) | undefined;
  const pairs = PAIRS.map((pair): LopoPair => {
    const score = mode === "lopo" ? recipe.fit(prep, PAIRS.filter((p) => p.id !== pair.id)) : (shared ??= recipe.fit(prep, PAIRS));
    const its = pairItems(heldOut, pair);
    const rows = pairRows(its, pair, its.map(score), prep.prices);
    const ev = evaluatePair(rows);
    return { pair: pair.id, dataset: pair.dataset, n: its.length, classifier: ev.classifier.apgr, length: ev.length.apgr, oracle: ev.oracle.apgr, bootstrap: bootstrapRouters(rows, samples) };
  });
  const mean = (f: (p: LopoPair) => number): number => pairs.reduce((a, p) => a + f(p), 0) / pairs.length;
  return { recipe: recipe.name, mode, pairs, meanClassifier: mean((p) => p.classifier), meanLength: mean((p) => p.length), belowRandom: pairs.filter((p) => p.classifier < 0.5).map((p) => p.pair), ms: performance.now() - t0 };
}

export function lopoMarkdown(r: LopoReport): string {
  const f3 = (x: number): string => x.toFixed(3);
  const sgn = (x: number): string => `${x < 0 ? "−" : "+"}${Math.abs(x).toFixed(3)}`;
  const out: string[] = [];
  const lopo = r.mode === "lopo";
  out.push(lopo
    ? `Leave-one-pair-out (recipe: ${r.recipe}; each row's model was trained without that pair's outcomes, scored on that pair's held-out prompts; ${(r.ms / 1000).toFixed(0)} s):`
    : `All pairs (recipe: ${r.recipe}; one model trained on every pair, as it would ship, scored on each pair's held-out prompts; ${(r.ms / 1000).toFixed(0)} s):`);
  out.push("");
  out.push(`| ${lopo ? "left-out pair" : "pair"} | n | APGR classifier${lopo ? " (LOPO)" : ""} [95%] | APGR length [95%] | random | cls − len [95%] (P cls > len) | oracle |`);
  out.push("|---|---:|---|---|---:|---|---:|");
  for (const p of r.pairs) {
    const b = p.bootstrap;
    out.push(`| ${p.pair} | ${p.n} | ${f3(p.classifier)} [${f3(b.classifier[0])}, ${f3(b.classifier[1])}] | ${f3(p.length)} [${f3(b.length[0])}, ${f3(b.length[1])}] | 0.500 | ${sgn(p.classifier - p.length)} [${sgn(b.classifierMinusLength[0])}, ${sgn(b.classifierMinusLength[1])}] (${(100 * b.classifierAboveLength).toFixed(0)}%) | ${f3(p.oracle)} |`);
  }
  out.push("");
  out.push(`${lopo ? "LOPO mean" : "Mean"} over pairs: classifier ${f3(r.meanClassifier)}, length ${f3(r.meanLength)} (${sgn(r.meanClassifier - r.meanLength)}), random 0.500: the recipe ${r.meanClassifier > r.meanLength ? "beats" : "does NOT beat"} length${lopo ? " on pairs it never saw" : ""}; below random on ${r.belowRandom.length === 0 ? "no pair" : r.belowRandom.join(", ")}.`);
  return out.join("\n");
}
