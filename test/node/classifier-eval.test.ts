// Runs the held-out evaluation (quick split: a fixed third of MMLU-Pro's held-out questions + all of
// LLMRouter test.json) with the committed weights, and checks the classifier beats random routing.
// Needs ../shared/data/routing (or $TIERGATE_SHARED); skipped with a plain message when it is absent.
import { describe, expect, it } from "vitest";
import { complexityScore, thresholdForStrongShare } from "../../src/classifier/index";
import { prepare } from "../../scripts/router/dataset";
import { runEval, type EvalReport } from "../../scripts/router/eval";
import { missingRoutingData, routingDataDir } from "../../scripts/lib/shared-dir";

const dir = routingDataDir();
if (dir === null) console.log(`classifier-eval: skipped, ${missingRoutingData() ?? ""}`);

describe.skipIf(dir === null)("held-out routing evaluation (quick split)", () => {
  let report: EvalReport;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

  it("runs on every held-out split with the split the model was trained with", () => {
    report = runEval(dir as string, { quick: true, command: "vitest classifier-eval" });
    expect(report.splits.map((s) => s.split)).toEqual(["MMLU-Pro held-out (quick third)", "LLMRouter test.json"]);
    for (const s of report.splits) expect(s.pairs.length).toBeGreaterThanOrEqual(2);
    for (const s of report.splits) {
      for (const p of s.pairs) {
        const c = p.classifier;
        console.log(
          `${s.split} | ${p.pair} | n=${p.n} | CPT50 ${c.cpt50.toFixed(3)} (random 0.5, margin ${(0.5 - c.cpt50).toFixed(3)})` +
            ` | CPT80 ${c.cpt80.toFixed(3)} (random 0.8, margin ${(0.8 - c.cpt80).toFixed(3)})` +
            ` | APGR ${c.apgr.toFixed(3)} (random 0.5, margin ${(c.apgr - 0.5).toFixed(3)}) | saved@95% ${(100 * c.saved95).toFixed(1)}% vs random ${(100 * p.random.saved95).toFixed(1)}%`,
        );
      }
    }
  });

  it("beats random on each held-out split: pair-averaged CPT(50%) < 0.5 and APGR > 0.5", () => {
    for (const s of report.splits) {
      const apgr = mean(s.pairs.map((p) => p.classifier.apgr));
      const cpt50 = mean(s.pairs.map((p) => p.classifier.cpt50));
      console.log(`${s.split}: mean APGR ${apgr.toFixed(3)} (margin ${(apgr - 0.5).toFixed(3)}), mean CPT50 ${cpt50.toFixed(3)} (margin ${(0.5 - cpt50).toFixed(3)})`);
      expect(apgr, s.split).toBeGreaterThan(0.5);
      expect(cpt50, s.split).toBeLessThan(0.5);
    }
  });

  it("is not materially worse than random on any single pair (some pairs are only at random level; see BENCHMARKS.md)", () => {
    for (const s of report.splits) {
      for (const p of s.pairs) {
        expect(p.classifier.apgr, `${s.split} ${p.pair}`).toBeGreaterThan(0.47);
        expect(p.classifier.cpt50, `${s.split} ${p.pair}`).toBeLessThan(0.55);
      }
    }
  });

  it("beats random clearly on the Gemini Flash -> Pro and both LLMRouter pairs", () => {
    const find = (split: string, pair: string) => report.splits.find((s) => s.split.startsWith(split))?.pairs.find((p) => p.pair === pair);
    for (const [split, pair] of [["MMLU-Pro", "gemini-1.5-flash→gemini-1.5-pro"], ["LLMRouter", "llama-3.1-8b→nemotron-51b"], ["LLMRouter", "mistral-7b→nemotron-51b"]] as const) {
      const p = find(split, pair);
      expect(p, `${split} ${pair}`).toBeDefined();
      expect(p?.classifier.apgr, `${split} ${pair}`).toBeGreaterThan(0.55);
    }
  });

  it("prints random, length-only and the oracle beside the classifier on every held-out pair, and the verdict", () => {
    for (const s of report.splits) {
      for (const p of s.pairs) {
        const name = `${s.split} ${p.pair}`;
        expect(p.random.apgr, name).toBeCloseTo(0.5, 12);
        expect(p.length.apgr, name).toBeGreaterThan(0);
        // the oracle is the ceiling of every router and, with PGR capped at 1, at most 1
        expect(p.oracle.apgr, name).toBeLessThanOrEqual(1);
        expect(p.oracle.apgr, name).toBeGreaterThanOrEqual(Math.max(p.classifier.apgr, p.length.apgr));
        const b = p.bootstrap;
        expect(b.classifier[0], name).toBeLessThanOrEqual(b.classifier[1]);
        expect(b.classifierMinusLength[0], name).toBeLessThanOrEqual(b.classifierMinusLength[1]);
        console.log(`${name}: APGR classifier ${p.classifier.apgr.toFixed(3)} [${b.classifier.map((x) => x.toFixed(3)).join(", ")}] | length ${p.length.apgr.toFixed(3)} | random 0.500 | oracle ${p.oracle.apgr.toFixed(3)} | cls-len [${b.classifierMinusLength.map((x) => x.toFixed(3)).join(", ")}]`);
      }
    }
    const v = report.verdict;
    const all = report.splits.flatMap((s) => s.pairs);
    expect(v.meanLength).toBeCloseTo(mean(all.map((p) => p.length.apgr)), 12);
    console.log(`verdict: classifier ${v.meanClassifier.toFixed(3)} vs length ${v.meanLength.toFixed(3)} -> ${v.beatsLength ? "beats" : "does NOT beat"} length; below random on: ${v.belowRandom.join(", ") || "none"}`);
  });

  it("no held-out prompt is, after normalisation, also a training or validation prompt of ANY source", () => {
    const prep = prepare(dir as string);
    const norm = (t: string): string => (t.toLowerCase().match(/[a-z0-9]+/g) ?? []).join(" ");
    const trained = new Set<string>();
    prep.items.forEach((it, i) => {
      if (prep.split[i] === "train" || prep.split[i] === "val") {
        trained.add(norm(it.stem));
        trained.add(norm(it.text));
      }
    });
    const leaks = prep.items.filter((it, i) => prep.split[i] === "test" && (trained.has(norm(it.stem)) || trained.has(norm(it.text))));
    expect(leaks.map((it) => it.key)).toEqual([]);
    // MMLU-Pro and LLMRouter do overlap: the overlapping LLMRouter training prompts were kept out of training
    expect(report.dedup.excludedFromTraining).toBeGreaterThan(0);
  });

  it("calibration: thresholdForStrongShare(s) sends share s of all held-out prompts to the strong model", () => {
    const prep = prepare(dir as string);
    const scores = prep.items.filter((_, i) => prep.split[i] === "test").map((it) => complexityScore(it.text));
    for (const s of [0.1, 0.3, 0.5, 0.8]) {
      const t = thresholdForStrongShare(s);
      const actual = scores.filter((x) => x >= t).length / scores.length;
      console.log(`strongShare ${s}: threshold ${t.toFixed(4)} -> ${(100 * actual).toFixed(1)}% of ${scores.length} held-out prompts`);
      expect(Math.abs(actual - s)).toBeLessThan(0.01);
    }
    // per split the share differs (LLMRouter prompts score higher), but it grows with the target everywhere
    for (const sp of report.splits) for (let k = 1; k < sp.actualShare.length; k++) expect(sp.actualShare[k]).toBeGreaterThanOrEqual(sp.actualShare[k - 1] as number);
  });
});
