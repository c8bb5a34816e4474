// The tuning half of the learning loop, offline: a ledger generated from prompts whose difficulty is known
// (a hidden function of the text), a cheap model that fails exactly the hard prompts, an exploration
// share run as a cascade (labels), and a prior whose score is a noisy view of the difficulty. After
// tuning on the older rows, the threshold's cost at the quality target must be within 10% of the best
// threshold computed from the hidden truth, and cheaper than the untuned default (30% strong).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { labelOf, pointAt, tuneThreshold, type Labelled, type LedgerRow } from "../../scripts/router/tune-fit";
import { fnv1a, unitHash } from "../../scripts/router/splits";

const CHEAP = "cheap-sim", STRONG = "strong-sim";
const CHEAP_COST = 0.0001, STRONG_COST = 0.002;
const TARGET = 0.95;

interface Prompt { text: string; hard: boolean; score: number }

/** Prompt i: its text decides its difficulty (hidden: the hash of the text); the prior sees it with noise. */
function prompt(i: number): Prompt {
  const text = `task ${i}: ${fnv1a(`words-${i}`).toString(36)}`;
  const difficulty = unitHash(`hidden:${text}`); // hidden truth, a function of the text only
  const hard = difficulty > 0.85; // 15% hard: the cheap model fails exactly these
  const noise = unitHash(`noise:${text}`) - 0.5;
  const score = Math.min(0.999, Math.max(0.001, 0.5 * difficulty + 0.5 * (difficulty + 0.6 * noise)));
  return { text, hard, score };
}

/** The ledger of N requests on route "auto": an exploration share ran as a cascade (cheap, checked, escalated). */
function ledger(n: number, explore: number): LedgerRow[] {
  const rows: LedgerRow[] = [];
  for (let i = 0; i < n; i++) {
    const p = prompt(i);
    const exploring = unitHash(`explore:${i}`) < explore;
    const ts = 1_700_000_000_000 + i * 60_000;
    if (exploring) rows.push({ ts, route: "auto", classifier_score: p.score, served_model: p.hard ? STRONG : CHEAP, escalations: p.hard ? 1 : 0, quality: "passed", cost_usd: p.hard ? CHEAP_COST + STRONG_COST : CHEAP_COST });
    else rows.push({ ts, route: "auto", classifier_score: p.score, served_model: CHEAP, escalations: 0, quality: "unchecked", cost_usd: CHEAP_COST });
  }
  return rows;
}

describe("tune:route (threshold from the route's own labels)", () => {
  it("labels: reviewer label, cascade verdict, feedback on a cheap answer; nothing from an unchecked row", () => {
    const base: LedgerRow = { ts: 1, route: "r", classifier_score: 0.4, served_model: CHEAP, escalations: 0, quality: "unchecked" };
    expect(labelOf(base, CHEAP)).toBeUndefined();
    expect(labelOf({ ...base, quality: "passed" }, CHEAP)?.cheapOk).toBe(true);
    expect(labelOf({ ...base, escalations: 1, served_model: STRONG }, CHEAP)?.cheapOk).toBe(false);
    expect(labelOf({ ...base, feedback_success: 0 }, CHEAP)).toMatchObject({ cheapOk: false, source: "feedback" });
    expect(labelOf({ ...base, served_model: STRONG, feedback_success: 0 }, CHEAP)).toBeUndefined(); // says nothing about cheap
    expect(labelOf({ ...base, served_model: STRONG, label: "cheap_ok" }, CHEAP)).toMatchObject({ cheapOk: true, source: "review" });
    expect(labelOf({ ...base, classifier_score: null, quality: "passed" }, CHEAP)).toBeUndefined();
  });

  it("after tuning on older labels, cost at the quality target is within 10% of the hidden-truth best and below the untuned default", () => {
    const rows = ledger(20_000, 0.1);
    const labels = rows.map((r) => labelOf(r, CHEAP)).filter((l): l is Labelled => l !== undefined);
    const res = tuneThreshold(labels, { target: TARGET, cheapCost: CHEAP_COST, strongCost: STRONG_COST });
    expect(res.trustworthy, res.warnings.join("; ")).toBe(true);
    // judge on fresh traffic with the hidden truth: every prompt, not only the explored ones
    const fresh = Array.from({ length: 20_000 }, (_, k) => prompt(100_000 + k)).map((p, k): Labelled => ({ ts: k, score: p.score, cheapOk: !p.hard, source: "review" }));
    const tuned = pointAt(fresh, res.proposed.fit.threshold, CHEAP_COST, STRONG_COST);
    // best threshold from the hidden truth: cheapest meeting the target on the fresh traffic itself
    const scores = [...new Set(fresh.map((l) => l.score))].sort((a, b) => b - a);
    let best = pointAt(fresh, 0, CHEAP_COST, STRONG_COST);
    for (const t of scores) {
      const p = pointAt(fresh, t, CHEAP_COST, STRONG_COST);
      if (p.quality >= TARGET && p.cost < best.cost) best = p;
    }
    const sorted = [...fresh.map((l) => l.score)].sort((a, b) => a - b);
    const defaultThreshold = sorted[Math.floor(0.7 * sorted.length)] as number; // the default 70/25/5 mix: 30% above tier 1
    const untuned = pointAt(fresh, defaultThreshold, CHEAP_COST, STRONG_COST);
    console.log(`labels ${res.labels}; tuned t=${tuned.threshold.toFixed(4)} quality ${tuned.quality.toFixed(4)} cost ${(tuned.cost * 1000).toFixed(4)}/1k; best t=${best.threshold.toFixed(4)} quality ${best.quality.toFixed(4)} cost ${(best.cost * 1000).toFixed(4)}/1k; untuned t=${defaultThreshold.toFixed(4)} quality ${untuned.quality.toFixed(4)} cost ${(untuned.cost * 1000).toFixed(4)}/1k`);
    expect(tuned.quality).toBeGreaterThanOrEqual(TARGET - 0.01);
    expect(tuned.cost).toBeLessThanOrEqual(best.cost * 1.1);
    expect(tuned.cost).toBeLessThan(untuned.cost);
  });

  it("says when there are too few labels to trust", () => {
    const labels = ledger(600, 0.1).map((r) => labelOf(r, CHEAP)).filter((l): l is Labelled => l !== undefined);
    const res = tuneThreshold(labels, { target: TARGET, cheapCost: CHEAP_COST, strongCost: STRONG_COST });
    expect(res.trustworthy).toBe(false);
    expect(res.warnings.join("\n")).toMatch(/too few/);
  });

  it("the CLI prints the curve with the proposed point and writes a proposal", () => {
    const dir = mkdtempSync(join(tmpdir(), "tune-"));
    const file = join(dir, "ledger.jsonl"), out = join(dir, "proposal.json");
    writeFileSync(file, ledger(5_000, 0.2).map((r) => JSON.stringify(r)).join("\n") + "\n");
    const stdout = execFileSync(process.execPath, ["--import", "tsx", "scripts/router/tune.ts", "--route", "auto", "--ledger", file, "--target", "0.95", "--current-threshold", "0.6", "--out", out], { encoding: "utf8" });
    expect(stdout).toMatch(/proposed threshold/);
    expect(stdout).toMatch(/\| proposed/);
    expect(stdout).toMatch(/current  threshold 0\.600/);
    const proposal = JSON.parse(readFileSync(out, "utf8")) as { route: string; threshold: number; tuning: { id: string; cheapModel: string } };
    expect(proposal.route).toBe("auto");
    expect(proposal.tuning.cheapModel).toBe(CHEAP);
    expect(proposal.threshold).toBeGreaterThan(0);
    expect(proposal.threshold).toBeLessThan(1);
  });
});
