// The pieces of the issue 13 candidate recipe, on synthetic data with a known answer: the Rasch fit,
// the constrained dense logistic regression of the head, the prompt-type gate, and the eval verdict.
import { describe, expect, it } from "vitest";
import type { Item } from "../../scripts/router/data";
import { fitDenseLogReg, solve, type DenseExample } from "../../scripts/router/dense-logreg";
import { fitRasch, modelsOf } from "../../scripts/router/difficulty";
import { verdictOf, type SplitReport } from "../../scripts/router/eval";
import { promptType } from "../../scripts/router/prompt-type";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const corr = (a: readonly number[], b: readonly number[]): number => {
  const n = a.length, ma = a.reduce((s, x) => s + x, 0) / n, mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
    saa += ((a[i] as number) - ma) ** 2;
    sbb += ((b[i] as number) - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
};

describe("Rasch difficulty (difficulty.ts)", () => {
  const rand = rng(7);
  const abilities = [-2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3];
  const models = abilities.map((_, m) => `m${m}`);
  const b = Array.from({ length: 1500 }, () => 4 * rand() - 2);
  const items: Item[] = b.map((bi, i) => {
    const quality: Record<string, number | undefined> = {};
    abilities.forEach((th, m) => {
      if (rand() < 0.1) return; // a missing cell (model not run)
      quality[`m${m}`] = rand() < 1 / (1 + Math.exp(-(th - bi))) ? 1 : 0;
    });
    return { key: `s:${i}`, dataset: "mmlu-pro", origin: "mmlu", text: "", stem: "", quality, outputChars: {} };
  });

  it("recovers the order of abilities and item difficulties from simulated answers", () => {
    const fit = fitRasch(items, { models });
    expect(modelsOf(items)).toEqual([...models].sort());
    const theta = models.map((m) => fit.theta.get(m) as number);
    for (let m = 1; m < theta.length; m++) expect(theta[m], `m${m}`).toBeGreaterThan(theta[m - 1] as number);
    // ~9 binary answers per item bound how well any fit can recover b (about 0.8 here)
    expect(corr(Array.from(fit.b), b)).toBeGreaterThan(0.75);
  });

  it("ignores the models it is told to leave out (a left-out pair changes nothing else's input)", () => {
    const withOut = fitRasch(items, { models: models.filter((m) => m !== "m9") });
    expect(withOut.theta.has("m9")).toBe(false);
    const changed = items.map((it) => ({ ...it, quality: { ...it.quality, m9: 1 - (it.quality.m9 ?? 0) } }));
    expect(Array.from(fitRasch(changed, { models: models.filter((m) => m !== "m9") }).b)).toEqual(Array.from(withOut.b));
  });
});

describe("dense logistic regression with non-negative coefficients (dense-logreg.ts)", () => {
  it("solves a small linear system", () => {
    const x = solve([[4, 1], [1, 3]], [1, 2]);
    expect(4 * (x[0] as number) + (x[1] as number)).toBeCloseTo(1, 10);
    expect((x[0] as number) + 3 * (x[1] as number)).toBeCloseTo(2, 10);
  });

  it("fits the true coefficients, and holds a constrained one at 0 when the data want it negative", () => {
    const rand = rng(3);
    const ex: DenseExample[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = 2 * rand() - 1, c = 2 * rand() - 1;
      const p = 1 / (1 + Math.exp(-(0.3 + 2 * a - 1.5 * c)));
      ex.push({ x: Float64Array.from([1, a, c]), target: p, weight: 1 });
    }
    const free = fitDenseLogReg(ex, 3, { l2: 0, unpenalised: [0] });
    expect(free[1]).toBeCloseTo(2, 1);
    expect(free[2]).toBeCloseTo(-1.5, 1);
    const constrained = fitDenseLogReg(ex, 3, { l2: 0, unpenalised: [0], nonNegative: [2] });
    expect(constrained[2]).toBe(0);
    expect(constrained[1]).toBeGreaterThan(1);
  });
});

describe("prompt-type gate (prompt-type.ts)", () => {
  it.each([
    ["multiple-choice", "Which of these is a mammal?\n\nOptions:\nA. shark\nB. whale\nC. trout\nD. eel"],
    ["code", "Write a python function that returns the n-th Fibonacci number."],
    ["code", "```js\nconst f = (x) => x + 1;\nconsole.log(f(2));\n```\nWhy does this print 3?"],
    ["math", "A train travels 120 km in 2 hours. How many km does it travel in 5 hours at the same speed?"],
    ["extraction", `Summarize the following text in two sentences.\n\n${"The council met on Tuesday and discussed the new park. ".repeat(10)}`],
    ["chat", "when did the first man land on the moon"],
  ] as const)("%s", (type, text) => {
    expect(promptType(text)).toBe(type);
  });
});

describe("eval verdict (what the CI assertion reads)", () => {
  const pair = (name: string, cls: number, len: number) => ({ pair: name, classifier: { apgr: cls }, length: { apgr: len }, oracle: { apgr: 0.9 } });
  const report = (pairs: ReturnType<typeof pair>[]): SplitReport[] => [{ split: "s", n: 1, pairs, actualShare: [] } as unknown as SplitReport];

  it("beats length only on the mean over pairs, and names every pair below random", () => {
    const v = verdictOf(report([pair("a", 0.7, 0.6), pair("b", 0.49, 0.5)]));
    expect(v.meanClassifier).toBeCloseTo(0.595, 12);
    expect(v.beatsLength).toBe(true);
    expect(v.belowRandom).toEqual(["s b"]);
    expect(verdictOf(report([pair("a", 0.55, 0.6), pair("b", 0.6, 0.56)])).beatsLength).toBe(false);
  });
});
