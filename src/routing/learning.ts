/**
 * Routes that learn (issue 13), the routing side: which requests explore, the cascade an exploring
 * request runs, and where a classifier's thresholds came from. Pure.
 */
import { exploreShare, tierSteps, type ClassifierSpec, type StepSpec } from "../config/schema";
import { fnv1a } from "../core/hash";
import type { Tier } from "./local-classifier";

/** Where the thresholds in force came from: the default shares, shares or thresholds set in the config, or a tuning run. */
export interface ThresholdsSource {
  kind: "default" | "shares" | "thresholds" | "tuning";
  id?: string;
  date?: string;
}

export function thresholdsSource(spec: ClassifierSpec): ThresholdsSource {
  if (spec.type !== "local") return { kind: "default" };
  if (spec.tuning) return { kind: "tuning", id: spec.tuning.id, date: spec.tuning.date };
  if (spec.thresholds) return { kind: "thresholds" };
  if (spec.shares) return { kind: "shares" };
  return { kind: "default" };
}

/** The ledger's one-string form: default | shares | thresholds | tuning:<id>@<date>. */
export function sourceLabel(s: ThresholdsSource): string {
  return s.kind === "tuning" ? `tuning:${s.id ?? ""}@${s.date ?? ""}` : s.kind;
}

/** Whether this request explores: a stable bucket of the request id within the route's share. */
export function explores(spec: ClassifierSpec, routeName: string, key: string | undefined): boolean {
  const share = exploreShare(spec);
  if (share <= 0 || key === undefined) return false;
  return unit(fnv1a(`explore:${routeName}:${key}`)) < share;
}

/** FNV-1a's high bits are uneven on similar keys: finish with murmur3's mixer, then map to [0, 1). */
function unit(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * An exploring request's cascade: tier 1's steps (the explore checks added to its first step),
 * then the steps of the tier the classifier chose — or, when it chose tier 1, the next mapped tier above.
 */
export function exploreSteps(spec: ClassifierSpec, usedTier: Tier): StepSpec[] {
  const tiers = spec.tiers;
  const cheap = tiers["1"];
  const upper = usedTier > 1 ? tiers[String(usedTier) as "2" | "3"] : (tiers["2"] ?? tiers["3"]);
  if (cheap === undefined || upper === undefined) return [];
  const extra = typeof spec.explore === "object" ? (spec.explore.checks ?? []) : [];
  const first = tierSteps(cheap).map((s, i) => ({ model: s.model, fallbacks: [...s.fallbacks], checks: i === 0 ? [...s.checks, ...extra] : [...s.checks] }));
  return [...first, ...tierSteps(upper)];
}
