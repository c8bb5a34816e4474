/**
 * Routing accuracy as a confusion table per classifier route: the tier the classifier chose against
 * what the gateway later learned about the request. A cell keeps the joint counts of four values per
 * classified request, as an additive map (like the latency histograms, so rollups merge exactly):
 *
 *   chosen  — the classifier's tier, 1 | 2 | 3;
 *   outcome — how the chosen tier's answer did: `bad` when it escalated, failed a cascade check or got
 *             negative feedback; `good` otherwise when a check passed or feedback said success; `-` unknown;
 *   label   — the tier a reviewer said the request needed (review_labels.tier), `-` when not labelled;
 *   enough  — the reviewer's "the cheap tier's answer was good enough": `1` | `0` | `-`.
 *
 * Labels count: the combined agreement judges a labelled request by its label (agreed when the label's
 * tier is the chosen one) and an unlabelled tier-1 request by its outcome (agreed when good).
 */
export type RoutingCounts = Record<string, number>;

export const TIERS = ["1", "2", "3"] as const;
export type TierName = (typeof TIERS)[number];

export function routingKey(chosen: number, outcome: "good" | "bad" | null, label: number | null, enough: 0 | 1 | null): string {
  return `${chosen}|${outcome ?? "-"}|${label ?? "-"}|${enough ?? "-"}`;
}

export function mergeCounts(into: RoutingCounts, from: RoutingCounts): RoutingCounts {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
  return into;
}

export interface RoutingConfusion {
  /** Per chosen tier: how its answers did by the gateway's own signals. */
  outcome: Record<TierName, { good: number; bad: number; unknown: number }>;
  /** Per chosen tier: reviewer labels — the tier they said was needed, and whether the cheap answer was good enough. */
  review: Record<TierName, { labelled: Record<TierName, number>; goodEnough: number; notGoodEnough: number }>;
  reviewed: number;
  reviewAgreed: number;
  reviewRate: number | null;
  /** Labelled requests judged by their label, unlabelled tier-1 requests by their outcome. */
  combined: { judged: number; agreed: number; rate: number | null };
}

const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1e6) / 1e6);

export function routingConfusion(counts: RoutingCounts): RoutingConfusion {
  const outcome = Object.fromEntries(TIERS.map((t) => [t, { good: 0, bad: 0, unknown: 0 }])) as RoutingConfusion["outcome"];
  const review = Object.fromEntries(TIERS.map((t) => [t, { labelled: { "1": 0, "2": 0, "3": 0 }, goodEnough: 0, notGoodEnough: 0 }])) as RoutingConfusion["review"];
  let reviewed = 0;
  let reviewAgreed = 0;
  let judged = 0;
  let agreed = 0;
  for (const [key, n] of Object.entries(counts)) {
    const [chosen, oc, label, enough] = key.split("|") as [TierName, string, string, string];
    if (!(chosen in outcome)) continue;
    const o = outcome[chosen];
    if (oc === "good") o.good += n;
    else if (oc === "bad") o.bad += n;
    else o.unknown += n;
    if (label !== "-") {
      const r = review[chosen];
      if (label in r.labelled) r.labelled[label as TierName] += n;
      if (enough === "1") r.goodEnough += n;
      if (enough === "0") r.notGoodEnough += n;
      reviewed += n;
      judged += n;
      if (label === chosen) {
        reviewAgreed += n;
        agreed += n;
      }
    } else if (chosen === "1" && oc !== "-") {
      judged += n;
      if (oc === "good") agreed += n;
    }
  }
  return { outcome, review, reviewed, reviewAgreed, reviewRate: rate(reviewAgreed, reviewed), combined: { judged, agreed, rate: rate(agreed, judged) } };
}
