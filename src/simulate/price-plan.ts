/**
 * What a plan costs for given tokens, under the assumptions the simulator states:
 * - each step's first model answers (no provider errors, so no fallbacks);
 * - a checked step passes unless the request's labels say its check failed (`escalations`): then the
 *   next step answers too and both are paid, as the gateway pays them;
 * - a self-consistency check's extra samples are paid on the step's model;
 * - every call reads the request's input tokens and writes its output tokens.
 */
import type { Config } from "../config/schema";
import { baselineCostUsd, costUsd, type TokenCounts } from "../pricing/cost";
import type { PlanStep } from "../routing/plan";
import { modelNamed } from "../config/lookup";

export interface PricedPlan {
  /** Models called, in order (samples included). */
  calls: string[];
  /** The model whose answer is returned. */
  served: string;
  escalations: number;
  costUsd: number;
}

export function tokenCounts(input: number, output: number, cachedInput = 0): TokenCounts {
  return { input, output, cachedInput, cacheWrite: 0, reasoning: 0, estimated: false };
}

export function modelPrice(config: Config, model: string) {
  const entry = modelNamed(config, model);
  if (!entry) throw new Error(`model "${model}" is not in the price table`); // plans only name configured models
  return entry.price;
}

/**
 * @param escalate how many checked steps fail their checks (from the request's labels or the ledger)
 * @param cachedFor prompt-cache reads apply only on this model (the one that really answered, in ledger mode)
 */
export function pricePlan(steps: PlanStep[], tokens: { input: number; output: number; cachedInput?: number; cachedFor?: string }, escalate: number, config: Config): PricedPlan {
  const calls: string[] = [];
  let remaining = escalate;
  let escalations = 0;
  let served = steps[0]?.model as string;
  for (const [i, step] of steps.entries()) {
    const samples = Math.max(1, ...step.checks.map((c) => (c.type === "self_consistency" ? c.samples : 1)));
    for (let s = 0; s < samples; s++) calls.push(step.model);
    served = step.model;
    const isLast = i === steps.length - 1;
    if (step.checks.length > 0 && !isLast && remaining > 0) {
      remaining--;
      escalations++;
      continue;
    }
    break;
  }
  let cost = 0;
  for (const model of calls) {
    const cached = tokens.cachedFor === model ? (tokens.cachedInput ?? 0) : 0;
    cost += costUsd(tokenCounts(tokens.input, tokens.output, cached), modelPrice(config, model));
  }
  return { calls, served, escalations, costUsd: cost };
}

export function baselineCost(config: Config, baseline: string, input: number, output: number): number {
  return baselineCostUsd(tokenCounts(input, output), modelPrice(config, baseline));
}

export function tierOf(config: Config, model: string): number | null {
  return modelNamed(config, model)?.tier ?? null;
}
