import { describe, expect, it } from "vitest";
import type { Item } from "../../scripts/router/data";
import { bootstrapRouters, cappedArea, evaluatePair, firstReach, routingCurve, type Row } from "../../scripts/router/metrics";
import { assignSplits, nearDuplicateGroups } from "../../scripts/router/splits";

const row = (score: number, cheap: number, strong: number, length = 0): Row => ({ score, cheap, strong, cheapCost: 1, strongCost: 10, length });

describe("routing metrics", () => {
  // 4 prompts: strong helps on two of them (gain 1 each)
  const helpful = [row(0.9, 0, 1), row(0.8, 0, 1), row(0.2, 1, 1), row(0.1, 0, 0)];

  it("gives a perfect ranking CPT(50%) = 1/4 and random 0.5 / 0.8 / 0.5", () => {
    const ev = evaluatePair(helpful);
    expect(ev.cheapQuality).toBe(0.25);
    expect(ev.strongQuality).toBe(0.75);
    expect(ev.classifier.cpt50).toBeCloseTo(0.25, 12);
    expect(ev.classifier.cpt80).toBeCloseTo(0.4, 12); // PGR 0.8 reached 60% of the way from share 1/4 to 2/4
    expect(ev.random.cpt50).toBeCloseTo(0.5, 12);
    expect(ev.random.cpt80).toBeCloseTo(0.8, 12);
    expect(ev.random.apgr).toBeCloseTo(0.5, 12);
    // PGR at shares 0, .25, .5, .75, 1 = 0, .5, 1, 1, 1 -> trapezoid area = .0625 + .1875 + .25 + .25
    expect(ev.classifier.apgr).toBeCloseTo(0.75, 12);
    expect(ev.oracle.apgr).toBeCloseTo(0.75, 12);
  });

  it("a reversed ranking is worse than random", () => {
    const ev = evaluatePair(helpful.map((r) => ({ ...r, score: -r.score })));
    expect(ev.classifier.apgr).toBeLessThan(0.5);
    expect(ev.classifier.cpt50).toBeGreaterThan(0.5);
  });

  it("routes tied scores as one block (expected value of random tie-breaking)", () => {
    const tied = helpful.map((r) => ({ ...r, score: 0.5 }));
    const ev = evaluatePair(tied);
    expect(ev.classifier.apgr).toBeCloseTo(0.5, 12);
    expect(routingCurve(tied, (r) => r.score).share).toEqual([0, 1]);
  });

  it("finds the cheapest share reaching 95% of strong quality and its cost saving", () => {
    const ev = evaluatePair(helpful);
    // perfect ranking: Q(share) = 0.25 + share up to share 0.5; 95% of 0.75 = 0.7125 -> share 0.4625
    expect(ev.classifier.share95).toBeCloseTo(0.4625, 12);
    // cost at that share: 4*1 + 9 * (0.4625 * 4) = 20.65, all-strong 40
    expect(ev.classifier.saved95).toBeCloseTo(1 - 20.65 / 40, 12);
  });

  it("refuses a pair whose strong model is not better", () => {
    expect(() => evaluatePair([row(0.5, 1, 0)])).toThrow(/no gap/);
  });

  it("the length baseline routes the longest prompts first", () => {
    // lengths order the prompts exactly like the perfect scores: same figures; reversed lengths: worse than random
    const byLength = helpful.map((r, i) => ({ ...r, score: 0, length: 100 - 10 * i }));
    const ev = evaluatePair(byLength);
    expect(ev.length.apgr).toBeCloseTo(0.75, 12);
    expect(ev.classifier.apgr).toBeCloseTo(0.5, 12); // all scores tied
    const reversed = evaluatePair(helpful.map((r, i) => ({ ...r, length: 10 * i })));
    expect(reversed.length.apgr).toBeLessThan(0.5);
  });

  it("caps PGR at 1, so an oracle that beats the strong model scores at most 1", () => {
    // cheap right / strong wrong on one prompt: the oracle's quality (1.0) exceeds strong's (2/3)
    const rows = [row(0.9, 0, 1), row(0.1, 1, 0), row(0.5, 0, 1)];
    const ev = evaluatePair(rows);
    // oracle PGR at shares 0, 1/3, 2/3, 1 = 0, 1, 2, 1: uncapped area 7/6, capped 1/6 + 1/3 + 1/3 = 5/6
    expect(ev.oracle.apgr).toBeCloseTo(5 / 6, 12);
    expect(ev.oracle.apgr).toBeLessThanOrEqual(1);
    expect(ev.random.apgr).toBeCloseTo(0.5, 12);
  });

  it("cappedArea splits a segment where it crosses 1", () => {
    expect(cappedArea([0, 1], [0, 2])).toBeCloseTo(0.25 + 0.5, 12);
    expect(cappedArea([0, 1], [2, 0])).toBeCloseTo(0.5 + 0.25, 12);
    expect(cappedArea([0, 0.5, 1], [0, 0.5, 1])).toBeCloseTo(0.5, 12);
    expect(cappedArea([0, 1], [3, 3])).toBeCloseTo(1, 12);
  });

  it("bootstraps classifier, length and their paired difference", () => {
    // 40 prompts: strong helps on the first 20; the score ranks them first, the length ranks them last
    const rows = Array.from({ length: 40 }, (_, i) => row(40 - i, i < 20 ? 0 : 1, 1, i));
    const b = bootstrapRouters(rows, 50, 7);
    expect(b.samples).toBe(50);
    expect(b.classifierMinusLength[0]).toBeGreaterThan(0);
    expect(b.classifierAboveLength).toBe(1);
    expect(b.classifier[0]).toBeGreaterThan(0.5);
    expect(b.length[1]).toBeLessThan(0.5);
  });

  it("firstReach interpolates", () => {
    expect(firstReach([0, 1], [0, 2], 1)).toBe(0.5);
    expect(Number.isNaN(firstReach([0, 1], [0, 1], 2))).toBe(true);
  });
});

describe("splits", () => {
  const item = (key: string, origin: Item["origin"], stem: string): Item => ({
    key,
    dataset: origin === "mmlu" ? "mmlu-pro" : "llmrouter",
    origin,
    text: stem,
    stem,
    quality: {},
    outputChars: {},
  });
  const q = "The hypotenuse of a right triangle measures 10 inches and one angle is 45 degrees. What is the area of the triangle in square inches?";

  it("groups near-duplicates across datasets but not merely similar questions", () => {
    const items = [
      item("mmlu:1", "mmlu", q),
      item("lr-train:1", "lr-train", q + "\nAfter careful thought, put your final answer in \\boxed{...}."),
      item("lr-test:1", "lr-test", q.replace("10 inches", "10  inches")),
      item("mmlu:2", "mmlu", "Which of the following would NOT shift the aggregate demand curve in the short run?"),
      item("mmlu:3", "mmlu", "Which of the following would NOT shift the aggregate supply curve in the long run?"),
    ];
    const g = nearDuplicateGroups(items);
    expect(g[0]).toBe(g[1]);
    expect(g[0]).toBe(g[2]);
    expect(g[3]).not.toBe(g[4]);
  });

  it("keeps every member of a group holding a test prompt out of training", () => {
    const items = [item("mmlu:1", "mmlu", q), item("lr-train:1", "lr-train", q), item("lr-test:1", "lr-test", q)];
    const { split } = assignSplits(items);
    expect(split).toEqual(["test", "excluded", "test"]);
  });
});
