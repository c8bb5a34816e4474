// Runs inside workerd (vitest "workers" project): the classifier must work in the Worker runtime and give
// exactly the scores Node gives. The expected values come from test/fixtures/classifier-scores.json, which
// npm run train:router writes with Node; test/node/classifier.test.ts checks Node still matches it.
import { describe, expect, it } from "vitest";
import fixture from "../../test/fixtures/classifier-scores.json";
import { CLASSIFIER_INFO, complexityScore, expectedStrongShare, thresholdForStrongShare, type PromptInput } from "./index";

const cases = fixture.cases as { name: string; prompt: PromptInput; score: number }[];

describe("complexity classifier in workerd", () => {
  it("uses the model the fixture was generated with", () => {
    expect(CLASSIFIER_INFO.version).toBe(fixture.modelVersion);
  });

  it.each(cases.map((c) => [c.name, c] as const))("scores %s exactly as Node does", (_name, c) => {
    expect(complexityScore(c.prompt)).toBe(c.score);
  });

  it("orders an easy greeting below a proof and a coding task", () => {
    const s = Object.fromEntries(cases.map((c) => [c.name, complexityScore(c.prompt)]));
    expect(s["greeting"]).toBeLessThan(s["math proof"] as number);
    expect(s["trivia"]).toBeLessThan(s["code"] as number);
  });

  it("is deterministic, in (0,1), and the same for a string and the equivalent messages array", () => {
    const text = "Explain why the sky is blue.";
    const a = complexityScore(text);
    expect(complexityScore(text)).toBe(a);
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(1);
    expect(complexityScore([{ role: "user", content: text }])).toBe(a);
    expect(complexityScore([{ role: "user", content: [{ type: "text", text }] }])).toBe(a);
  });

  it("converts between strong share and threshold in the Worker", () => {
    const t = thresholdForStrongShare(0.3);
    expect(expectedStrongShare(t)).toBeCloseTo(0.3, 6);
  });
});
