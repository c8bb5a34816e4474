/**
 * The simulator's result: requests priced one by one (or in weighted lots) and summed per model,
 * tier, feature and route, each against the cost of the same tokens on the baseline model.
 */

export type SimulationKind = "mix" | "replay" | "ledger";

/** One priced request, or a weighted share of one (a mix's lot, a classifier tier split). */
export interface PricedRequest {
  /** How many requests this stands for (1 for a log line; 700,000 for a mix's share; 0.25 for a tier split). */
  weight: number;
  /** The model whose answer the client gets. */
  model: string;
  /** That model's `tier` in the price table, null when it has none. */
  tier: number | null;
  feature: string | null;
  route: string | null;
  /** Tokens of one request. */
  inputTokens: number;
  outputTokens: number;
  /** Cost of one request: every call it makes (a failed cascade step, self-consistency samples, an LLM rating). */
  costUsd: number;
  /** The same tokens on the baseline model, once. */
  baselineCostUsd: number;
  /** True when a cascade check failed and a later tier answered (both were paid). */
  escalated: boolean;
  /** Ledger mode: what the request really cost and which model really answered. */
  actual?: { costUsd: number; model: string };
}

export interface Figures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  baselineCostUsd: number;
  /** Ledger mode only: the recorded cost of the same requests. */
  actualCostUsd?: number;
}

export interface ReportRow extends Figures {
  key: string;
  /** Share of the report's requests. */
  share: number;
  /** baseline − cost (negative: dearer than the baseline). */
  savingsUsd: number;
  /** savings / baseline; null when the baseline cost is 0. */
  savingsPct: number | null;
  /** by-model rows: the model's tier. */
  tier?: number | null;
  /** Ledger mode: what-if cost − actual cost (negative: the what-if config is cheaper). */
  changeUsd?: number;
}

export interface SimulationReport {
  kind: SimulationKind;
  /** What was simulated, in a sentence. */
  description: string;
  baseline: string;
  total: ReportRow;
  byModel: ReportRow[];
  byTier: ReportRow[];
  byFeature?: ReportRow[];
  byRoute?: ReportRow[];
  /** Ledger mode: actual answering model → what-if answering model. */
  byChange?: ReportRow[];
  /** Requests whose cascade check failed, so two tiers were paid. */
  escalated: number;
  /** Lines or rows the config could not route (the gateway would answer them with an error); not in the figures. */
  unroutable: { requests: number; examples: Array<{ line: number; message: string }> };
  /** Rows left out, by reason (ledger mode: rows that were not answered). */
  skipped?: Record<string, number>;
  /** How the figures were obtained: assumptions and what was estimated. */
  notes: string[];
}

interface Acc {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  baselineCostUsd: number;
  actualCostUsd: number;
  tier?: number | null;
}

const NONE = "(none)";

export class Tally {
  private readonly total: Acc = emptyAcc();
  private readonly groups = {
    model: new Map<string, Acc>(),
    tier: new Map<string, Acc>(),
    feature: new Map<string, Acc>(),
    route: new Map<string, Acc>(),
    change: new Map<string, Acc>(),
  };
  escalated = 0;
  private withActual = false;

  add(p: PricedRequest): void {
    const tierKey = p.tier === null ? "-" : String(p.tier);
    addTo(this.total, p);
    addTo(group(this.groups.model, p.model, p.tier), p);
    addTo(group(this.groups.tier, tierKey), p);
    addTo(group(this.groups.feature, p.feature ?? NONE), p);
    addTo(group(this.groups.route, p.route ?? NONE), p);
    if (p.actual) {
      this.withActual = true;
      addTo(group(this.groups.change, p.actual.model === p.model ? `${p.model} (unchanged)` : `${p.actual.model} → ${p.model}`), p);
    }
    if (p.escalated) this.escalated += p.weight;
  }

  get requests(): number {
    return this.total.requests;
  }

  report(meta: { kind: SimulationKind; description: string; baseline: string; notes: string[]; unroutable?: SimulationReport["unroutable"]; skipped?: Record<string, number>; sections: Array<"feature" | "route"> }): SimulationReport {
    const total = this.total.requests;
    const rows = (m: Map<string, Acc>, withTier = false) =>
      [...m.entries()]
        .map(([key, acc]) => toRow(key, acc, total, this.withActual, withTier))
        .sort((a, b) => b.requests - a.requests || b.costUsd - a.costUsd || a.key.localeCompare(b.key));
    const report: SimulationReport = {
      kind: meta.kind,
      description: meta.description,
      baseline: meta.baseline,
      total: toRow("total", this.total, total, this.withActual, false),
      byModel: rows(this.groups.model, true),
      byTier: rows(this.groups.tier).sort((a, b) => a.key.localeCompare(b.key)),
      escalated: this.escalated,
      unroutable: meta.unroutable ?? { requests: 0, examples: [] },
      notes: meta.notes,
    };
    if (meta.sections.includes("feature")) report.byFeature = rows(this.groups.feature);
    if (meta.sections.includes("route")) report.byRoute = rows(this.groups.route);
    if (this.withActual) report.byChange = rows(this.groups.change);
    if (meta.skipped) report.skipped = meta.skipped;
    return report;
  }
}

function emptyAcc(): Acc {
  return { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, baselineCostUsd: 0, actualCostUsd: 0 };
}

function group(m: Map<string, Acc>, key: string, tier?: number | null): Acc {
  let acc = m.get(key);
  if (!acc) {
    acc = emptyAcc();
    if (tier !== undefined) acc.tier = tier;
    m.set(key, acc);
  }
  return acc;
}

function addTo(acc: Acc, p: PricedRequest): void {
  acc.requests += p.weight;
  acc.inputTokens += p.weight * p.inputTokens;
  acc.outputTokens += p.weight * p.outputTokens;
  acc.costUsd += p.weight * p.costUsd;
  acc.baselineCostUsd += p.weight * p.baselineCostUsd;
  if (p.actual) acc.actualCostUsd += p.weight * p.actual.costUsd;
}

function toRow(key: string, acc: Acc, totalRequests: number, withActual: boolean, withTier: boolean): ReportRow {
  const savingsUsd = acc.baselineCostUsd - acc.costUsd;
  const row: ReportRow = {
    key,
    requests: acc.requests,
    share: totalRequests > 0 ? acc.requests / totalRequests : 0,
    inputTokens: acc.inputTokens,
    outputTokens: acc.outputTokens,
    costUsd: acc.costUsd,
    baselineCostUsd: acc.baselineCostUsd,
    savingsUsd,
    savingsPct: acc.baselineCostUsd > 0 ? savingsUsd / acc.baselineCostUsd : null,
  };
  if (withTier) row.tier = acc.tier ?? null;
  if (withActual) {
    row.actualCostUsd = acc.actualCostUsd;
    row.changeUsd = acc.costUsd - acc.actualCostUsd;
  }
  return row;
}
