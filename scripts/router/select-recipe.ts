/**
 * npm run select:router — model selection for the prior, by leave-one-pair-out on questions never trained
 * on: every candidate recipe is fitted on the TRAIN split only, once per pair without that pair's outcomes,
 * and scored on that pair's VALIDATION prompts (the held-out test split is not read). Prints, per
 * candidate, the LOPO table with random / length / oracle and the verdict. Few candidates on purpose
 * (2 cores shared): 1–2 min each on an idle machine.
 */
import { missingRoutingData, routingDataDir } from "../lib/shared-dir";
import { prepare } from "./dataset";
import { difficultyRecipe } from "./difficulty-recipe";
import { fitRasch, modelsOf } from "./difficulty";
import { evaluatePair } from "./metrics";
import { pairItems, pairRows } from "./pair-rows";
import { PAIRS } from "./pairs";
import type { Item } from "./data";
import type { Prepared } from "./dataset";
import { gainRecipe, leaveOnePairOut, lopoMarkdown, type Recipe } from "./lopo";

/**
 * Diagnostic, not a router: how well would the TRUE difficulty route? Rasch b fitted on the validation
 * items' own outcomes from every model except the pair's two, used as the score. This is the ceiling of
 * any text model trained on the difficulty target; where it is below 0.5 (weak cheap models), "hard"
 * prompts are the ones both models fail, and difficulty alone cannot rank the strong model's gain.
 */
function difficultyCeiling(prep: Prepared, val: readonly Item[]): string {
  const out = ["Ceiling of the difficulty target (validation split; score = Rasch b fitted on the items' own outcomes from all models but the pair's — leaky by design, an upper bound, not a router):", "", "| pair | n | APGR of true difficulty | APGR length | oracle |", "|---|---:|---:|---:|---:|"];
  for (const pair of PAIRS) {
    const its = pairItems(val, pair);
    const fit = fitRasch(its, { models: modelsOf(its).filter((m) => m !== pair.cheap && m !== pair.strong) });
    const ev = evaluatePair(pairRows(its, pair, Array.from(fit.b), prep.prices));
    out.push(`| ${pair.id} | ${its.length} | ${ev.classifier.apgr.toFixed(3)} | ${ev.length.apgr.toFixed(3)} | ${ev.oracle.apgr.toFixed(3)} |`);
  }
  return out.join("\n");
}

const dir = routingDataDir();
if (dir === null) {
  process.stderr.write(`select:router skipped: ${missingRoutingData() ?? ""}\n`);
} else {
  const prep = prepare(dir);
  const val = prep.items.filter((_, i) => prep.split[i] === "val");
  const train = ["train"];
  const candidates: Recipe[] = [
    gainRecipe(0.01, 16, train),
    difficultyRecipe({ l2: 0.01, sides: train }),
  ];
  const rows: string[] = [];
  for (const r of candidates) {
    const rep = leaveOnePairOut(prep, val, r, 100);
    process.stdout.write(lopoMarkdown(rep).replaceAll("held-out prompts", "VALIDATION prompts") + "\n\n");
    rows.push(`| ${r.name} | ${rep.meanClassifier.toFixed(3)} | ${rep.meanLength.toFixed(3)} | ${Math.min(...rep.pairs.map((p) => p.classifier)).toFixed(3)} |`);
  }
  process.stdout.write(difficultyCeiling(prep, val) + "\n\n");
  process.stdout.write(["Selection summary (LOPO on the validation split, fitted on train only):", "", "| recipe | mean APGR (LOPO) | mean length | worst pair |", "|---|---:|---:|---:|", ...rows].join("\n") + "\n");
}
