/** Turns the decision flags counted over a replay into the report's notes: what was assumed, and for how many requests. */
import type { DecisionFlag } from "./decide";

const TEXT: Record<DecisionFlag, (n: string, what: string) => string> = {
  "llm-tier-given": (n) => `${n}: an llm classifier route with a known tier (labels.tier / classifier_tier); its rating call is priced on each (no cache hits)`,
  "llm-default-tier": (n) => `FLAGGED, ${n}: an llm classifier route with no tier known, so the route's defaultTier (give labels.tier for a real verdict); its rating call is priced on each`,
  "local-tier-given": (n, what) => `${n}: no prompt text on a local classifier route, so the ${what} tier was used`,
  "local-score-retiered": (n) => `${n}: the recorded local classifier score, re-tiered under this config's thresholds`,
  "local-tier-split": (n) => `${n}: no prompt text and no tier on a local classifier route, so each is split across tiers by the route's expected shares (measured on the classifier's evaluation prompts)`,
  "escalated": (n, what) => `${n}: a cascade check failed (${what}), so the next tier answered and both tiers are paid`,
  "checks-assumed-passed": (n) => `${n}: a checked cascade step with nothing saying how the check went, assumed to pass (only the first step is paid)`,
  "samples": (n) => `${n}: extra self-consistency samples paid on their step's model`,
  "shadow": (n) => `${n}: a shadow route, priced as served (the requested model, the route's serve model or the baseline), not as the route would choose`,
};

const ORDER: DecisionFlag[] = ["escalated", "checks-assumed-passed", "samples", "llm-tier-given", "llm-default-tier", "local-score-retiered", "local-tier-given", "local-tier-split", "shadow"];

export class FlagCounter {
  private readonly counts = new Map<DecisionFlag, number>();

  add(flags: Iterable<DecisionFlag>): void {
    for (const f of new Set(flags)) this.counts.set(f, (this.counts.get(f) ?? 0) + 1);
  }

  count(flag: DecisionFlag): number {
    return this.counts.get(flag) ?? 0;
  }

  /** @param unit "lines" or "rows"; @param source where tiers and check outcomes come from ("labels", "ledger") */
  notes(unit: string, source: "labels" | "ledger"): string[] {
    const what = source === "labels" ? "given" : "recorded";
    const cause = source === "labels" ? "labels" : "recorded escalations";
    const n = (f: DecisionFlag) => `${this.count(f).toLocaleString("en-US")} ${this.count(f) === 1 ? unit.replace(/s$/, "") : unit}`;
    return ORDER.filter((f) => this.count(f) > 0).map((f) => TEXT[f](n(f), f === "escalated" ? cause : what));
  }
}

export const COMMON_NOTES = [
  "each step's first model answers: provider errors, fallbacks and retries are not simulated",
  "baseline = the same input and output tokens on the baseline model, once per request",
];
