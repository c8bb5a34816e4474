/**
 * npm run eval:router [-- --quick] [--json] [--write-benchmarks]
 *
 * Scores every held-out prompt with complexityScore (the Worker's code and the committed weights) and
 * reports, per held-out split and cheap/strong pair: quality of cheap and strong, the routing curve beside
 * random and oracle, CPT(50%), CPT(80%), APGR, and cost saved at 95% of the strong model's quality.
 *   --quick             MMLU-Pro held-out subsample (a fixed third, by hash) + all of LLMRouter test (CI)
 *   --json              print the figures as JSON instead of tables
 *   --write-benchmarks  replace the classifier-eval block of BENCHMARKS.md with these figures, and the
 *                       calibration table of src/classifier/README.md
 */
import { CLASSIFIER_INFO, complexityScore, expectedStrongShare, thresholdForStrongShare } from "../../src/classifier/index";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { machineLine, writeBlock } from "../lib/benchmarks-md";
import { missingRoutingData, REPO_ROOT, routingDataDir } from "../lib/shared-dir";
import type { Item } from "./data";
import { prepare } from "./dataset";
import { bootstrapApgr, CURVE_SHARES, evaluatePair, type PairEvaluation } from "./metrics";
import { pairItems, pairRows, CHARS_PER_TOKEN } from "./pair-rows";
import { LLMROUTER_OUTPUT_TOKENS, PAIRS, type Pair } from "./pairs";
import { unitHash } from "./splits";

export interface PairReport extends PairEvaluation {
  pair: string;
  /** 95% bootstrap interval of the classifier's APGR. */
  apgrInterval: [number, number];
  cheap: string;
  strong: string;
  prices: { cheap: string; strong: string };
}

export interface SplitReport {
  split: string;
  n: number;
  pairs: PairReport[];
  /** Share of this split's prompts at or above thresholdForStrongShare(s), for s in CALIBRATION_SHARES. */
  actualShare: number[];
}

export interface EvalReport {
  command: string;
  date: string;
  machine: string;
  quick: boolean;
  model: { version: string; splitDigest: string };
  splits: SplitReport[];
  calibration: { share: number; threshold: number }[];
  scoring: { prompts: number; ms: number };
}

export const CALIBRATION_SHARES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const QUICK_SHARE = 1 / 3;

export function runEval(dataDir: string, opts: { quick: boolean; command: string }): EvalReport {
  const prep = prepare(dataDir);
  const trainedDigest = String(CLASSIFIER_INFO.splitDigest ?? "");
  if (trainedDigest !== prep.digest) {
    throw new Error(`the split computed now (${prep.digest}) differs from the one the model was trained with (${trainedDigest}): retrain with npm run train:router`);
  }
  const heldOut = (origin: Item["origin"]): Item[] =>
    prep.items.filter((it, i) => prep.split[i] === "test" && it.origin === origin && (!opts.quick || origin !== "mmlu" || unitHash(`quick:${it.key}`) < QUICK_SHARE));
  const splits: [string, Item[]][] = [
    [opts.quick ? "MMLU-Pro held-out (quick third)" : "MMLU-Pro held-out", heldOut("mmlu")],
    ["LLMRouter test.json", heldOut("lr-test")],
  ];
  const t0 = performance.now();
  const scoreOf = new Map<Item, number>();
  for (const [, items] of splits) for (const it of items) scoreOf.set(it, complexityScore(it.text));
  const ms = performance.now() - t0;
  const thresholds = CALIBRATION_SHARES.map((s) => thresholdForStrongShare(s));
  const reports: SplitReport[] = splits.map(([name, items]) => {
    const pairs = PAIRS.filter((p) => p.dataset === items[0]?.dataset).map((pair: Pair): PairReport => {
      const its = pairItems(items, pair);
      const rows = pairRows(its, pair, its.map((it) => scoreOf.get(it) as number), prep.prices);
      const ev = evaluatePair(rows);
      const apgrInterval = bootstrapApgr(rows, opts.quick ? 100 : 300);
      const price = (k: string): string => {
        const p = prep.prices[k];
        return p ? `$${p.input}/$${p.output} (${p.source})` : "?";
      };
      return { pair: pair.id, apgrInterval, cheap: pair.cheap, strong: pair.strong, prices: { cheap: price(pair.cheapPrice), strong: price(pair.strongPrice) }, ...ev };
    });
    const scores = items.map((it) => scoreOf.get(it) as number);
    const actualShare = thresholds.map((t) => scores.filter((s) => s >= t).length / scores.length);
    return { split: name, n: items.length, pairs, actualShare };
  });
  return {
    command: opts.command,
    date: new Date().toISOString(),
    machine: machineLine(),
    quick: opts.quick,
    model: { version: CLASSIFIER_INFO.version, splitDigest: trainedDigest },
    splits: reports,
    calibration: CALIBRATION_SHARES.map((share, i) => ({ share, threshold: thresholds[i] as number })),
    scoring: { prompts: scoreOf.size, ms },
  };
}

const f2 = (x: number): string => x.toFixed(2);
const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The strongShare table for src/classifier/README.md. */
export function calibrationMarkdown(r: EvalReport): string {
  const out: string[] = [];
  out.push(`Generated by \`${r.command}\` on ${r.date} (model ${r.model.version}). "all held-out" = expectedStrongShare(threshold), the share on the pooled held-out prompts the calibration was computed from; the other columns show the share the same threshold gives on each held-out split${r.quick ? " (quick subsample)" : ""}.`);
  out.push("");
  out.push(`| strongShare | threshold = thresholdForStrongShare(strongShare) | all held-out | ${r.splits.map((s) => s.split).join(" | ")} |`);
  out.push(`|---:|---:|---:|${r.splits.map(() => "---:").join("|")}|`);
  r.calibration.forEach((c, i) => {
    out.push(`| ${c.share.toFixed(2)} | ${c.threshold.toFixed(4)} | ${pct(expectedStrongShare(c.threshold))} | ${r.splits.map((s) => pct(s.actualShare[i] as number)).join(" | ")} |`);
  });
  return out.join("\n");
}

export function markdown(r: EvalReport): string {
  const out: string[] = [];
  out.push(`Held-out evaluation — command: \`${r.command}\`; date ${r.date}; machine: ${r.machine}; model ${r.model.version} (split digest ${r.model.splitDigest}).`);
  out.push("");
  out.push("Margins over random routing (random: CPT(50%) = 0.50, CPT(80%) = 0.80, APGR = 0.500; lower CPT and higher APGR are better):");
  out.push("");
  out.push("| held-out split | pair (cheap → strong) | n | quality cheap / strong | CPT(50%) classifier (random 0.50) | CPT(80%) classifier (random 0.80) | APGR classifier [95% bootstrap] / random / oracle | strong share for 95% of strong quality: classifier / random | cost saved at 95% quality: classifier / random |");
  out.push("|---|---|---:|---|---|---|---|---|---|");
  for (const s of r.splits) {
    for (const p of s.pairs) {
      const c = p.classifier, rd = p.random;
      out.push(`| ${s.split} | ${p.pair} | ${p.n} | ${f3(p.cheapQuality)} / ${f3(p.strongQuality)} | ${f2(c.cpt50)} (${c.cpt50 < 0.5 ? "−" : "+"}${f2(Math.abs(c.cpt50 - 0.5))}) | ${f2(c.cpt80)} (${c.cpt80 < 0.8 ? "−" : "+"}${f2(Math.abs(c.cpt80 - 0.8))}) | ${f3(c.apgr)} [${f3(p.apgrInterval[0])}, ${f3(p.apgrInterval[1])}] / 0.500 / ${f3(p.oracle.apgr)} | ${pct(c.share95)} / ${pct(rd.share95)} | ${pct(c.saved95)} / ${pct(rd.saved95)} |`);
    }
  }
  out.push("");
  out.push("Quality kept against share of strong calls (classifier / random / oracle), shares 0, 0.1, …, 1:");
  out.push("");
  out.push(`| split | pair | router | ${CURVE_SHARES.map((s) => s.toFixed(1)).join(" | ")} |`);
  out.push(`|---|---|---|${CURVE_SHARES.map(() => "---:").join("|")}|`);
  for (const s of r.splits) {
    for (const p of s.pairs) {
      for (const [name, fig] of [["classifier", p.classifier], ["random", p.random], ["oracle", p.oracle]] as const) {
        out.push(`| ${s.split} | ${p.pair} | ${name} | ${fig.qualityAt.map(f3).join(" | ")} |`);
      }
    }
  }
  out.push("");
  out.push(`Prices (USD per 1M input/output tokens): ${[...new Set(r.splits.flatMap((s) => s.pairs.flatMap((p) => [`${p.cheap} ${p.prices.cheap}`, `${p.strong} ${p.prices.strong}`])))].join("; ")}. Tokens ≈ characters / ${CHARS_PER_TOKEN}: input from the prompt text as sent (MMLU-Pro: question + options, without the 5-shot exemplars the benchmark used), output from MMLU-Pro's output_chars.csv per model and question; LLMRouter has no output lengths, so ${LLMROUTER_OUTPUT_TOKENS} output tokens are assumed for both models.`);
  out.push("");
  out.push("Calibration (the `strongShare` knob): threshold = thresholdForStrongShare(share) from the pooled held-out prompts, and the share it actually gives on each split:");
  out.push("");
  out.push(`| target share | threshold | ${r.splits.map((s) => s.split).join(" | ")} |`);
  out.push(`|---:|---:|${r.splits.map(() => "---:").join("|")}|`);
  r.calibration.forEach((c, i) => {
    out.push(`| ${pct(c.share)} | ${c.threshold.toFixed(4)} | ${r.splits.map((s) => pct(s.actualShare[i] as number)).join(" | ")} |`);
  });
  out.push("");
  out.push(`Scoring ${r.scoring.prompts} held-out prompts took ${r.scoring.ms.toFixed(0)} ms in total (${((1000 * r.scoring.ms) / r.scoring.prompts).toFixed(1)} µs each, cold start included).`);
  return out.join("\n");
}

function main(): void {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !["--quick", "--json", "--write-benchmarks"].includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`eval:router: unknown option ${unknown.join(" ")} (use --quick, --json, --write-benchmarks)\n`);
    process.exit(2);
  }
  const dir = routingDataDir();
  if (dir === null) {
    process.stderr.write(`eval:router skipped: ${missingRoutingData() ?? ""}\n`);
    return;
  }
  const quick = args.includes("--quick");
  const command = `npm run eval:router${args.length ? " -- " + args.join(" ") : ""}`;
  const report = runEval(dir, { quick, command });
  if (args.includes("--json")) process.stdout.write(JSON.stringify(report, null, 1) + "\n");
  else process.stdout.write(markdown(report) + "\n");
  if (args.includes("--write-benchmarks")) {
    writeBlock("classifier-eval", markdown(report));
    writeBlock("classifier-calibration", calibrationMarkdown(report), join(REPO_ROOT, "src", "classifier", "README.md"), "## Expected share of strong calls per threshold");
    process.stderr.write("wrote the classifier-eval block of BENCHMARKS.md and the calibration table of src/classifier/README.md\n");
  }
}

// run only when executed directly (tests import the exported functions)
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) main();
