/**
 * The traffic-mix report: the article's first step. Of the answered requests (status `ok`) in a
 * period: the share by feature and by prompt length (input tokens of the answering call), and how
 * much of it a budget model could take:
 *
 * - taken: a tier-1 model (`tier: 1` in the config) answered, with no escalation, no failed check
 *   and no negative client feedback (`POST /v1/feedback` with success false);
 * - could take: a classifier rated the request tier 1 but a stronger model answered (shadow mode,
 *   a tier 1 with no target, a fallback), with no escalation, no failed check and no negative
 *   feedback — priced here on the budget model (the tier-1 model cheapest for those tokens, or the
 *   one named).
 *
 * The figures come from groups of ledger rows, so the stats API sums in D1 (GROUP BY) and the CLI
 * sums an export in memory, and both report through this same code.
 */
import type { Config } from "../config/schema";
import { costUsd } from "../pricing/cost";
import { tokenCounts } from "./price-plan";
import type { TrafficGroupRow } from "../ledger/traffic-group";
import { modelNamed } from "../config/lookup";

/** Upper bounds (exclusive) of the prompt-length buckets, in input tokens; the last bucket is open. */
export const PROMPT_LENGTH_BOUNDS = [100, 500, 2_000, 8_000, 32_000] as const;

export function lengthBucket(inputTokens: number): number {
  const i = PROMPT_LENGTH_BOUNDS.findIndex((b) => inputTokens < b);
  return i === -1 ? PROMPT_LENGTH_BOUNDS.length : i;
}

/** `0-99`, `100-499`, …, `32000+` (input tokens). */
export function lengthBucketLabel(bucket: number): string {
  const lo = bucket === 0 ? 0 : (PROMPT_LENGTH_BOUNDS[bucket - 1] as number);
  const hi = PROMPT_LENGTH_BOUNDS[bucket];
  return hi === undefined ? `${lo}+` : `${lo}-${hi - 1}`;
}

/** Answered requests sharing a feature, length bucket, answering model and budget verdicts (`clean`: no escalation, no failed check, no negative feedback; `ratedTier1`: a classifier rated them tier 1). */
export type TrafficGroup = TrafficGroupRow;

export interface MixRow {
  key: string;
  requests: number;
  share: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Requests of this row a budget model took / could take, and their share of the row. */
  budgetTaken: number;
  budgetCouldTake: number;
  budgetShare: number;
}

export interface TrafficMixReport {
  period: { from: string | null; to: string | null };
  /** Answered requests (status ok): what the shares are of. */
  requests: number;
  costUsd: number;
  /** Requests in the period left out, by status. */
  excluded: Record<string, number>;
  byFeature: MixRow[];
  byPromptLength: MixRow[];
  /** What the figures could not take into account. */
  notes: string[];
  budget: {
    definition: string;
    tier1Models: string[];
    taken: { requests: number; share: number; costUsd: number };
    couldTake: { requests: number; share: number; costUsd: number; model: string | null; onBudgetCostUsd: number | null; savingsUsd: number | null };
    total: { requests: number; share: number };
  };
}

export const BUDGET_DEFINITION =
  "share of answered requests a budget model took or could take: taken = a tier-1 model (tier: 1 in the config) answered, " +
  "with no escalation, no failed check and no negative feedback; could take = a classifier rated the request tier 1 " +
  "but a stronger model answered, with no escalation, no failed check and no negative feedback (priced on the budget model)";

export interface MixOptions {
  from: number | null;
  to: number | null;
  /** Price "could take" on this model; default: the tier-1 model cheapest for those requests' tokens. */
  budgetModel?: string;
  notes?: string[];
}

/** A period bound: an ISO 8601 date or datetime, or ms since epoch; null when absent, NaN when unreadable. */
export function parseTimeBound(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const v = value.trim();
  return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
}

export function tier1Models(config: Config): string[] {
  return Object.entries(config.models).filter(([, m]) => m.tier === 1 && m.kind !== "embedding").map(([alias]) => alias);
}

interface Acc {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  taken: number;
  couldTake: number;
}

const emptyAcc = (): Acc => ({ requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, taken: 0, couldTake: 0 });

export function trafficMixReport(groups: Iterable<TrafficGroup>, excluded: Record<string, number>, config: Config, opts: MixOptions): TrafficMixReport {
  const tier1 = new Set(tier1Models(config));
  const total = emptyAcc();
  const could = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  let takenCost = 0;
  const byFeature = new Map<string, Acc>();
  // Every bucket, empty ones too: the table and the CSV keep the same rows from one period to the next.
  const byBucket = new Map<number, Acc>(Array.from({ length: PROMPT_LENGTH_BOUNDS.length + 1 }, (_, i) => [i, emptyAcc()]));
  for (const g of groups) {
    const taken = g.clean && g.servedModel !== null && tier1.has(g.servedModel);
    const couldTake = !taken && g.clean && g.ratedTier1;
    for (const acc of [total, at(byFeature, g.feature ?? "(none)"), at(byBucket, g.bucket)]) {
      acc.requests += g.requests;
      acc.inputTokens += g.inputTokens;
      acc.outputTokens += g.outputTokens;
      acc.costUsd += g.costUsd;
      if (taken) acc.taken += g.requests;
      if (couldTake) acc.couldTake += g.requests;
    }
    if (taken) takenCost += g.costUsd;
    if (couldTake) {
      could.inputTokens += g.inputTokens;
      could.outputTokens += g.outputTokens;
      could.costUsd += g.costUsd;
    }
  }
  const row = (key: string, acc: Acc): MixRow => ({
    key,
    requests: acc.requests,
    share: ratio(acc.requests, total.requests),
    inputTokens: acc.inputTokens,
    outputTokens: acc.outputTokens,
    costUsd: acc.costUsd,
    budgetTaken: acc.taken,
    budgetCouldTake: acc.couldTake,
    budgetShare: ratio(acc.taken + acc.couldTake, acc.requests),
  });
  const budgetPrice = (model: string) => costUsd(tokenCounts(could.inputTokens, could.outputTokens), modelNamed(config, model)?.price ?? { input: 0, output: 0 });
  let model: string | null = opts.budgetModel ?? null;
  if (model === null && tier1.size > 0) model = [...tier1].sort((a, b) => budgetPrice(a) - budgetPrice(b) || a.localeCompare(b))[0] as string;
  const onBudget = model === null ? null : budgetPrice(model);
  return {
    period: { from: opts.from === null ? null : new Date(opts.from).toISOString(), to: opts.to === null ? null : new Date(opts.to).toISOString() },
    requests: total.requests,
    costUsd: total.costUsd,
    excluded,
    notes: [...(opts.notes ?? []), ...(tier1.size === 0 ? ["the config has no model with tier: 1, so no request counts as taken by a budget model"] : [])],
    byFeature: [...byFeature.entries()].map(([k, a]) => row(k, a)).sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key)),
    byPromptLength: [...byBucket.entries()].sort(([a], [b]) => a - b).map(([k, a]) => row(lengthBucketLabel(k), a)),
    budget: {
      definition: BUDGET_DEFINITION,
      tier1Models: [...tier1],
      taken: { requests: total.taken, share: ratio(total.taken, total.requests), costUsd: takenCost },
      couldTake: {
        requests: total.couldTake,
        share: ratio(total.couldTake, total.requests),
        costUsd: could.costUsd,
        model,
        onBudgetCostUsd: onBudget,
        savingsUsd: onBudget === null ? null : could.costUsd - onBudget,
      },
      total: { requests: total.taken + total.couldTake, share: ratio(total.taken + total.couldTake, total.requests) },
    },
  };
}

function at<K>(m: Map<K, Acc>, key: K): Acc {
  let acc = m.get(key);
  if (!acc) m.set(key, (acc = emptyAcc()));
  return acc;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

/** Groups exported ledger rows the way the stats query groups them in D1. */
export function groupLedgerRows(
  rows: Iterable<{ ts: number; status: string; feature: string | null; servedModel: string | null; inputTokens: number; outputTokens: number; costUsd: number; escalations: number; quality: string | null; classifierTier: number | null; negativeFeedback: boolean | null }>,
  from: number | null,
  to: number | null,
): { groups: TrafficGroup[]; excluded: Record<string, number>; feedbackKnown: boolean } {
  const groups = new Map<string, TrafficGroup>();
  const excluded: Record<string, number> = {};
  let feedbackKnown = false;
  for (const r of rows) {
    if ((from !== null && r.ts < from) || (to !== null && r.ts >= to)) continue;
    if (r.status !== "ok") {
      excluded[r.status] = (excluded[r.status] ?? 0) + 1;
      continue;
    }
    if (r.negativeFeedback !== null) feedbackKnown = true;
    const clean = r.escalations === 0 && r.quality !== "failed" && r.negativeFeedback !== true;
    const g: TrafficGroup = { feature: r.feature, bucket: lengthBucket(r.inputTokens), servedModel: r.servedModel, clean, ratedTier1: r.classifierTier === 1, requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    const key = JSON.stringify([g.feature, g.bucket, g.servedModel, g.clean, g.ratedTier1]);
    const acc = groups.get(key) ?? g;
    groups.set(key, acc);
    acc.requests++;
    acc.inputTokens += r.inputTokens;
    acc.outputTokens += r.outputTokens;
    acc.costUsd += r.costUsd;
  }
  return { groups: [...groups.values()], excluded, feedbackKnown };
}
