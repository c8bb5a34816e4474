import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLASSIFIER_INFO, complexityScore, expectedStrongShare, promptText, thresholdForStrongShare, type PromptInput } from "../../src/classifier/index";
import { clipText, extractFeatures, HEAD_CHARS, NUM_BINS, TAIL_CHARS } from "../../src/classifier/features";
import { decodeBase64, encodeBase64 } from "../../src/classifier/model";
import { REPO_ROOT } from "../../scripts/lib/shared-dir";

const MODEL_PATH = join(REPO_ROOT, "src", "classifier", "model.json");
const fixture = JSON.parse(readFileSync(join(REPO_ROOT, "test", "fixtures", "classifier-scores.json"), "utf8")) as {
  modelVersion: string;
  cases: { name: string; prompt: PromptInput; score: number }[];
};

describe("shipped weights", () => {
  it("are under 1 MB and hold 2^hashBits + bins int8 weights", () => {
    const bytes = statSync(MODEL_PATH).size;
    console.log(`model.json: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB), ${CLASSIFIER_INFO.weightCount} weights`);
    expect(bytes).toBeLessThan(1024 * 1024);
    const model = JSON.parse(readFileSync(MODEL_PATH, "utf8")) as { weights: string; hashBits: number };
    expect(decodeBase64(model.weights).length).toBe((1 << model.hashBits) + NUM_BINS);
  });

  it("match the score fixture the workerd test compares against (regenerate with npm run train:router)", () => {
    expect(fixture.modelVersion).toBe(CLASSIFIER_INFO.version);
    for (const c of fixture.cases) expect(complexityScore(c.prompt), c.name).toBe(c.score);
  });
});

describe("complexityScore", () => {
  it("is deterministic and in (0,1) for odd inputs", () => {
    for (const p of ["", " ", "\n\n\n", "a".repeat(100_000), "😀".repeat(50), "日本語のテキスト", [{ role: "user" }], []] as PromptInput[]) {
      const s = complexityScore(p);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1);
      expect(complexityScore(p)).toBe(s);
    }
  });

  it("sees a messages array as the text of its messages", () => {
    const msgs: PromptInput = [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Solve x^2 = 2." }, { type: "image_url", image_url: { url: "u" } }] },
      { role: "assistant", content: null },
    ];
    expect(promptText(msgs)).toBe("Be brief.\n\nSolve x^2 = 2.\n[image]");
    expect(complexityScore(msgs)).toBe(complexityScore("Be brief.\n\nSolve x^2 = 2.\n[image]"));
  });

  it("folds digits, so numbers of the same shape score alike", () => {
    expect(complexityScore("What is 12 + 34?")).toBe(complexityScore("What is 56 + 78?"));
    expect(complexityScore("What is 12 + 34?")).not.toBe(complexityScore("What is 12 + 345?"));
  });

  it("reacts to content: a proof scores above a greeting", () => {
    expect(complexityScore("Prove that the square root of 2 is irrational, step by step, using $\\sqrt{2} = p/q$.")).toBeGreaterThan(complexityScore("hello!"));
  });
});

describe("features", () => {
  it("tokenise only the head and tail of long texts", () => {
    const long = "x".repeat(HEAD_CHARS) + "MIDDLE".repeat(1000) + "y".repeat(TAIL_CHARS);
    const clipped = clipText(long);
    expect(clipped.length).toBe(HEAD_CHARS + TAIL_CHARS + 1);
    expect(clipped).not.toContain("MIDDLE");
    const f = extractFeatures(long, 16);
    expect(f.binLen).toBeGreaterThan(0);
    for (let k = 0; k < f.ngramLen; k++) expect(f.ngramIdx[k]).toBeLessThan(1 << 16);
    for (let k = 0; k < f.binLen; k++) expect(f.binIdx[k]).toBeLessThan(NUM_BINS);
  });

  it("round-trip base64", () => {
    const bytes = new Uint8Array([0, 1, 2, 127, 128, 255, 7]);
    for (let n = 0; n <= bytes.length; n++) expect([...decodeBase64(encodeBase64(bytes.slice(0, n)))]).toEqual([...bytes.slice(0, n)]);
  });
});

describe("strong-share calibration", () => {
  it("clamps and is monotone", () => {
    expect(thresholdForStrongShare(0)).toBe(1);
    expect(thresholdForStrongShare(-3)).toBe(1);
    expect(thresholdForStrongShare(1)).toBe(0);
    expect(thresholdForStrongShare(7)).toBe(0);
    expect(expectedStrongShare(0)).toBe(1);
    expect(expectedStrongShare(1)).toBe(0);
    let prev = Infinity;
    for (let s = 0; s <= 1.0001; s += 0.01) {
      const t = thresholdForStrongShare(s);
      expect(t).toBeLessThanOrEqual(prev);
      prev = t;
    }
  });

  it("round-trips share -> threshold -> share", () => {
    for (const s of [0.05, 0.1, 0.3, 0.5, 0.8, 0.95]) expect(expectedStrongShare(thresholdForStrongShare(s))).toBeCloseTo(s, 6);
  });

  it("comes from an ascending quantile table of the held-out prompts", () => {
    const model = JSON.parse(readFileSync(MODEL_PATH, "utf8")) as { calibration: { quantiles: number[]; n: number } };
    const q = model.calibration.quantiles;
    expect(q.length).toBe(101);
    expect(model.calibration.n).toBeGreaterThan(1000);
    for (let k = 1; k < q.length; k++) expect(q[k]).toBeGreaterThanOrEqual(q[k - 1] as number);
    expect(thresholdForStrongShare(0.3)).toBeCloseTo(q[70] as number, 9);
  });
});
