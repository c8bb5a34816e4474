/**
 * npm run train:router — trains the built-in complexity classifier from ../shared/data/routing and writes
 * src/classifier/model.json. Deterministic: the same data gives byte-identical output.
 *
 * 1. Split by question with near-duplicates grouped (splits.ts); test splits are never read for training.
 * 2. Target per prompt: 0.5 + (mean strong-minus-cheap quality over the chosen pairs, centred per dataset) / 2
 *    (dataset.ts).
 * 3. Choose the L2 penalty by mean APGR over all pairs on the validation split (model fit on train only).
 * 4. Refit on train + validation with that penalty, quantise weights to int8.
 * 5. Calibrate: score quantiles of the held-out prompts' TEXT (no labels) for thresholdForStrongShare.
 * 6. Write test/fixtures/classifier-scores.json (Node scores of fixed prompts, checked in workerd by tests).
 *
 * npm run train:router -- --per-pair   diagnostic only (writes nothing): validation APGR of one model per
 * pair (trained on that pair's gain alone) beside the shared model, to show what one score for all pairs costs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { quantileTable } from "../../src/classifier/calibration";
import { FeatureBuffer, NUM_BINS } from "../../src/classifier/features";
import { promptText } from "../../src/classifier/prompt-text";
import { encodeBase64, LinearScorer, MODEL_FORMAT, type ModelFile } from "../../src/classifier/model";
import { missingRoutingData, REPO_ROOT, routingDataDir } from "../lib/shared-dir";
import { centredTargets, countBy, prepare } from "./dataset";
import { featurize, linearLogit, trainLogRegLbfgs, type Example, type LinearModel } from "./logreg";
import { evaluatePair } from "./metrics";
import { pairItems, pairRows } from "./pair-rows";
import { PAIRS } from "./pairs";
import { writeScoreFixture } from "./score-fixture";
import { fnv1a } from "./splits";

const HASH_BITS = 16;
const L2_GRID = [0.003, 0.01, 0.03];
const MAX_ITERATIONS = 100;
const OUT = join(REPO_ROOT, "src", "classifier", "model.json");

function log(msg: string): void {
  process.stderr.write(msg + "\n");
}

function quantise(model: LinearModel): { bias: number; scale: number; weights: string } {
  let max = 0;
  for (const w of model.weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(model.weights.length);
  for (let j = 0; j < q.length; j++) q[j] = Math.round((model.weights[j] as number) / scale);
  return { bias: model.bias, scale, weights: encodeBase64(new Uint8Array(q.buffer)) };
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function main(): void {
  const dir = routingDataDir();
  if (dir === null) {
    log(`train:router skipped: ${missingRoutingData() ?? ""}`);
    return;
  }
  const t0 = Date.now();
  const prep = prepare(dir);
  const { items, split } = prep;
  log(`data: ${items.length} prompts, ${prep.multiGroups} near-duplicate groups, split ${JSON.stringify(countBy(prep))}, digest ${prep.digest}`);

  const buf = new FeatureBuffer();
  const feats = items.map((it) => featurize(it.text, HASH_BITS, buf));
  const examplesOf = (sides: readonly string[]): Example[] => {
    const idx = items.map((_, i) => i).filter((i) => sides.includes(split[i] as string));
    const targets = centredTargets(idx.map((i) => items[i] as (typeof items)[number]));
    const out: Example[] = [];
    idx.forEach((i, k) => {
      const target = targets[k];
      if (target !== undefined) out.push({ ...(feats[i] as Omit<Example, "target" | "weight">), target, weight: 1 });
    });
    return out;
  };
  const train = examplesOf(["train"]);
  const valIdx = items.map((_, i) => i).filter((i) => split[i] === "val");
  log(`featurised in ${Date.now() - t0} ms; ${train.length} training examples`);

  const validate = (model: LinearModel): { mean: number; perPair: Record<string, { apgr: number; cpt50: number; cpt80: number }> } => {
    const perPair: Record<string, { apgr: number; cpt50: number; cpt80: number }> = {};
    let sum = 0;
    for (const pair of PAIRS) {
      const vi = pairItems(valIdx.map((i) => items[i]!), pair);
      const index = new Map(valIdx.map((i) => [items[i]!, i]));
      const scores = vi.map((it) => linearLogit(model, feats[index.get(it) as number]!));
      const ev = evaluatePair(pairRows(vi, pair, scores, prep.prices)).classifier;
      perPair[pair.id] = { apgr: round(ev.apgr), cpt50: round(ev.cpt50), cpt80: round(ev.cpt80) };
      sum += ev.apgr;
    }
    return { mean: round(sum / PAIRS.length), perPair };
  };

  let best: { l2: number; mean: number; perPair: Record<string, { apgr: number; cpt50: number; cpt80: number }> } | undefined;
  const grid: { l2: number; valMeanApgr: number }[] = [];
  for (const l2 of L2_GRID) {
    const t = Date.now();
    const model = trainLogRegLbfgs(train, { hashBits: HASH_BITS, l2, maxIterations: MAX_ITERATIONS, ngramScale: 1 });
    const v = validate(model);
    grid.push({ l2, valMeanApgr: v.mean });
    log(`l2=${l2}: validation mean APGR ${v.mean} (${Date.now() - t} ms) ${JSON.stringify(v.perPair)}`);
    if (!best || v.mean > best.mean) best = { l2, ...v };
  }
  if (!best) throw new Error("empty grid");

  if (process.argv.includes("--per-pair")) {
    log(`per-pair diagnostic (validation APGR; l2=${best.l2}; shared model in brackets):`);
    for (const pair of PAIRS) {
      const idx = items.map((_, i) => i).filter((i) => split[i] === "train" && items[i]!.dataset === pair.dataset);
      const gains = idx.map((i) => {
        const c = items[i]!.quality[pair.cheap], st = items[i]!.quality[pair.strong];
        return c === undefined || st === undefined ? undefined : st - c;
      });
      const known = gains.filter((g): g is number => g !== undefined);
      const meanGain = known.reduce((a, b) => a + b, 0) / known.length;
      const ex: Example[] = [];
      idx.forEach((i, k) => {
        const g = gains[k];
        if (g !== undefined) ex.push({ ...(feats[i] as Omit<Example, "target" | "weight">), target: Math.min(1, Math.max(0, 0.5 + (g - meanGain) / 2)), weight: 1 });
      });
      const model = trainLogRegLbfgs(ex, { hashBits: HASH_BITS, l2: best.l2, maxIterations: MAX_ITERATIONS, ngramScale: 1 });
      const v = validate(model).perPair[pair.id];
      log(`  ${pair.id}: per-pair model APGR ${v?.apgr} CPT50 ${v?.cpt50} [shared ${best.perPair[pair.id]?.apgr} / ${best.perPair[pair.id]?.cpt50}]`);
    }
    return;
  }

  const trainVal = examplesOf(["train", "val"]);
  const final = trainLogRegLbfgs(trainVal, { hashBits: HASH_BITS, l2: best.l2, maxIterations: MAX_ITERATIONS, ngramScale: 1 });
  const q = quantise(final);

  const heldOut = items.filter((_, i) => split[i] === "test");
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: "",
    hashBits: HASH_BITS,
    numBins: NUM_BINS,
    bias: q.bias,
    scale: q.scale,
    weights: q.weights,
    calibration: { source: "", n: 0, quantiles: [] },
    info: {
      trainedOn: `${trainVal.length} prompts (train+validation splits) of MMLU-Pro (TIGER-AI-Lab, 12,032 questions) and LLMRouter (ulab-uiuc, train.json), split by question with near-duplicates grouped; held-out test prompts never used`,
      target: `0.5 + (g - mean g of the dataset) / 2, g = mean(strong - cheap quality) over the pairs ${PAIRS.map((p) => p.id).join(", ")}`,
      splitDigest: prep.digest,
      l2: best.l2,
      selection: { metric: "mean APGR over pairs on the validation split (fit on train only)", grid, chosen: { l2: best.l2, valMeanApgr: best.mean, perPair: best.perPair } },
    },
  };
  const scorer = new LinearScorer(file);
  const heldOutScores = heldOut.map((it) => scorer.score(it.text));
  file.calibration = {
    source: `score quantiles of the ${heldOut.length} held-out test prompts (MMLU-Pro test split + LLMRouter test.json), text only`,
    n: heldOut.length,
    quantiles: quantileTable(heldOutScores, 100).map((x) => round(x, 6)),
  };
  file.version = `1.${fnv1a(q.weights + JSON.stringify(file.calibration)).toString(16).padStart(8, "0")}`;
  writeFileSync(OUT, JSON.stringify(file, null, 1) + "\n");
  // same path as complexityScore: scorer.score(promptText(input)), with the model just written
  writeScoreFixture((p) => scorer.score(promptText(p)), file.version);
  log(`chose l2=${best.l2} (validation mean APGR ${best.mean}); wrote ${OUT} (${JSON.stringify(file).length} bytes, version ${file.version}) in ${Date.now() - t0} ms`);
}

main();
