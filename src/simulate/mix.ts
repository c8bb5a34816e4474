/**
 * The article's calculation: N requests of fixed size, split across models by percentage, priced
 * under the config's price table and compared with sending everything to the baseline model.
 */
import type { Config } from "../config/schema";
import { inputError, isNonNegativeInt } from "./issues";
import { baselineCost, modelPrice, tierOf, tokenCounts } from "./price-plan";
import { Tally, type SimulationReport } from "./report";
import { costUsd } from "../pricing/cost";
import { hasModel } from "../config/lookup";

export interface MixShare {
  model: string;
  percent: number;
}

export interface MixSpec {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  mix: MixShare[];
  baseline: string;
}

/** Shares must add up to 100 within this (so 33.33,33.33,33.34 is fine). */
const SUM_TOLERANCE = 1e-6;

/** `gpt-4o-mini=70,claude-sonnet-4-6=25,claude-opus-4-6=5` → shares, checked against the config's models. */
export function parseMix(text: string, config: Config, source = "--mix"): MixShare[] {
  const models = Object.keys(config.models);
  const parts = text.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) throw inputError(source, "expected model=percent pairs, e.g. gpt-4o-mini=70,claude-sonnet-4-6=30");
  const shares: MixShare[] = [];
  for (const part of parts) {
    const m = part.match(/^([^=]+)=(.+)$/);
    if (!m) throw inputError(source, `"${part}" is not model=percent`);
    const model = (m[1] as string).trim();
    const percent = Number((m[2] as string).trim().replace(/%$/, ""));
    if (!hasModel(config, model)) throw inputError(source, `unknown model "${model}"; models are: ${models.join(", ")}`);
    if (!Number.isFinite(percent) || percent < 0) throw inputError(source, `the share of ${model} must be a non-negative number, got "${m[2]}"`);
    if (shares.some((s) => s.model === model)) throw inputError(source, `${model} is listed twice`);
    shares.push({ model, percent });
  }
  const sum = shares.reduce((s, x) => s + x.percent, 0);
  if (Math.abs(sum - 100) > SUM_TOLERANCE) throw inputError(source, `shares add up to ${round(sum)}, not 100`);
  return shares;
}

export function checkMixSpec(spec: MixSpec, config: Config): void {
  if (!isNonNegativeInt(spec.requests) || spec.requests === 0) throw inputError("--requests", `must be a positive integer, got ${spec.requests}`);
  if (!isNonNegativeInt(spec.inputTokens)) throw inputError("--input-tokens", `must be a non-negative integer, got ${spec.inputTokens}`);
  if (!isNonNegativeInt(spec.outputTokens)) throw inputError("--output-tokens", `must be a non-negative integer, got ${spec.outputTokens}`);
  if (!hasModel(config, spec.baseline)) throw inputError("--baseline", `unknown model "${spec.baseline}"; models are: ${Object.keys(config.models).join(", ")}`);
}

export function simulateMix(spec: MixSpec, config: Config): SimulationReport {
  checkMixSpec(spec, config);
  const tally = new Tally();
  const baseline = baselineCost(config, spec.baseline, spec.inputTokens, spec.outputTokens);
  for (const { model, percent } of spec.mix) {
    tally.add({
      weight: (spec.requests * percent) / 100,
      model,
      tier: tierOf(config, model),
      feature: null,
      route: null,
      inputTokens: spec.inputTokens,
      outputTokens: spec.outputTokens,
      costUsd: costUsd(tokenCounts(spec.inputTokens, spec.outputTokens), modelPrice(config, model)),
      baselineCostUsd: baseline,
      escalated: false,
    });
  }
  const mixText = spec.mix.map((s) => `${round(s.percent)}% ${s.model}`).join(" / ");
  return tally.report({
    kind: "mix",
    description: `${spec.requests.toLocaleString("en-US")} requests of ${spec.inputTokens} input + ${spec.outputTokens} output tokens: ${mixText}`,
    baseline: spec.baseline,
    notes: ["every request has the same token counts; no prompt-cache discounts"],
    sections: [],
  });
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
