/**
 * A proposal evaluated in shadow (issue 13): over the requests that recorded the tier it would have given,
 * the tier mix, cost and quality now against those projected under the proposal. Cost: a request whose
 * tier would change is priced at the proposed tier's model on its own tokens. Quality: on the explored
 * requests among them (their cascade verdict says whether the cheap answer was good enough).
 */
export interface ShadowInputRow {
  classifier_tier: number;
  proposal_tier: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  explored: number;
  escalations: number;
  served_model: string | null;
  quality: string | null;
}

export interface ShadowFigures {
  requests: number;
  tierShares: { current: Record<string, number>; proposed: Record<string, number> };
  costUsd: { current: number; projected: number };
  quality: { labels: number; current: number | null; projected: number | null };
}

export function shadowFigures(rows: readonly ShadowInputRow[], cheapModel: string, tierPrice: (tier: number) => { input: number; output: number } | undefined): ShadowFigures {
  const shares = (pick: (r: ShadowInputRow) => number) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[String(pick(r))] = (out[String(pick(r))] ?? 0) + 1 / rows.length;
    return out;
  };
  let current = 0, projected = 0, labels = 0, okNow = 0, okProposed = 0;
  for (const r of rows) {
    current += r.cost_usd;
    const price = r.proposal_tier === r.classifier_tier ? undefined : tierPrice(r.proposal_tier);
    projected += price ? (r.input_tokens * price.input + r.output_tokens * price.output) / 1e6 : r.cost_usd;
    if (r.explored !== 1) continue;
    const cheapOk = r.escalations > 0 ? false : r.served_model === cheapModel && r.quality === "passed" ? true : undefined;
    if (cheapOk === undefined) continue;
    labels++;
    if (r.classifier_tier >= 2 || cheapOk) okNow++;
    if (r.proposal_tier >= 2 || cheapOk) okProposed++;
  }
  return {
    requests: rows.length,
    tierShares: { current: shares((r) => r.classifier_tier), proposed: shares((r) => r.proposal_tier) },
    costUsd: { current, projected },
    quality: { labels, current: labels ? okNow / labels : null, projected: labels ? okProposed / labels : null },
  };
}
