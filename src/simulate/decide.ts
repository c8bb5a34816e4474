/**
 * The routing decision for a simulated request: the gateway's own `selectRoute` and `planSelection`,
 * given what the simulator knows. When the prompt text is known, a `local` classifier scores it for
 * real. When it is not (a length-only log line, a ledger row), the classifier tier comes from what is
 * known — a given or recorded tier, or a recorded score re-tiered under the route's thresholds — and
 * failing that the request is split across tiers by the route's calibrated expected shares. An `llm`
 * classifier route uses the given tier, else its default tier (what `/admin/explain` shows when no
 * verdict is cached).
 */
import { estimateTokensFromChars } from "../core/tokens";
import type { ClassifierSpec, Config, Route } from "../config/schema";
import { CLASSIFIER_PROMPT, cheapestModel, MAX_RATED_CHARS } from "../routing/llm-rating";
import { costUsd } from "../pricing/cost";
import { localCalibration, tierForScore, type Tier } from "../routing/local-classifier";
import { planSelection, type ClassifierDecision, type Plan } from "../routing/plan";
import type { RequestMeta } from "../routing/request-meta";
import { selectRoute } from "../routing/select-route";
import type { Signals } from "../routing/signals";
import type { ChatRequest } from "../core/chat-request";
import { modelPrice, pricePlan, tokenCounts, type PricedPlan } from "./price-plan";

/** Why a decision is not simply "the gateway's plan, first step passes": each becomes a note in the report. */
export type DecisionFlag =
  | "llm-tier-given"
  | "llm-default-tier"
  | "local-tier-given"
  | "local-score-retiered"
  | "local-tier-split"
  | "escalated"
  | "checks-assumed-passed"
  | "samples"
  | "shadow";

export interface DecisionInput {
  request: Pick<ChatRequest, "model" | "messages">;
  meta: RequestMeta;
  /** False when the prompt text is unknown (only its length): a local classifier cannot score it. */
  hasText: boolean;
  /** A tier known from outside: a log line's `labels.tier`, a ledger row's `classifier_tier`. */
  tier?: Tier;
  /** A ledger row's recorded local classifier score, re-tiered under the route's thresholds. */
  localScore?: number;
  /** How many checked cascade steps fail (labels, or the ledger's escalations). */
  escalate: number;
  /** Whether `escalate` was told (a label or a ledger record) rather than assumed 0. */
  escalateKnown: boolean;
  tokens: { input: number; output: number; cachedInput?: number; cachedFor?: string };
  /** Characters an llm classifier would rate (the last user message, at most 4,000). */
  ratedChars: number;
}

export interface Decision {
  /** 1, or the share of this request given to one tier when the tier could not be computed. */
  weight: number;
  plan: Plan;
  priced: PricedPlan;
  /** An `llm` classifier's rating call, paid on every request that reaches its route. */
  ratingCall?: { model: string; inputTokens: number; costUsd: number };
  /** All calls: the plan's and the rating call. */
  costUsd: number;
  flags: DecisionFlag[];
}

/** Thresholds that make a local classifier return a given tier whatever the score (scores are in (0, 1)). */
const FORCED_THRESHOLDS: Record<Tier, { "2": number; "3": number }> = { 1: { "2": 2, "3": 2 }, 2: { "2": -1, "3": 2 }, 3: { "2": -1, "3": -1 } };

type LocalSpec = Extract<ClassifierSpec, { type: "local" }>;
type LlmSpec = Extract<ClassifierSpec, { type: "llm" }>;

const forcedConfigs = new WeakMap<Config, Map<string, Config>>();

/** The config with one local classifier route made to return `tier`: the real plan code then picks that tier's target. */
function forcedTierConfig(config: Config, route: Route, tier: Tier): Config {
  let byKey = forcedConfigs.get(config);
  if (!byKey) forcedConfigs.set(config, (byKey = new Map()));
  const key = `${route.name}\u0000${tier}`;
  let forced = byKey.get(key);
  if (!forced) {
    const spec = route.classifier as LocalSpec;
    const routes = config.routes.map((r) => (r === route ? { ...r, classifier: { type: "local" as const, tiers: spec.tiers, thresholds: FORCED_THRESHOLDS[tier] } } : r));
    forced = { ...config, routes };
    byKey.set(key, forced);
  }
  return forced;
}

function expectedTierShares(spec: LocalSpec): Array<[Tier, number]> {
  const e = localCalibration(spec).expected;
  const shares: Array<[Tier, number]> = [[1, 1 - e["2"]], [2, e["2"] - e["3"]], [3, e["3"]]];
  return shares.filter(([, w]) => w > 0);
}

/** Puts back what the forced thresholds replaced: the plan shows the tier and where it came from, not a made-up score. */
function restoreLocalDecision(plan: Plan, spec: LocalSpec, tier: Tier, detail: string): void {
  const fix = (c: ClassifierDecision | undefined): ClassifierDecision | undefined =>
    c && { type: "local", tier, usedTier: c.usedTier, expectedShares: localCalibration(spec).expected, detail };
  if (plan.classifier) plan.classifier = fix(plan.classifier);
  if (plan.shadow?.classifier) plan.shadow.classifier = fix(plan.shadow.classifier);
}

/** Plans one request; throws the gateway's GatewayError when the config cannot route it. */
export function decide(input: DecisionInput, config: Config): Decision[] {
  const selection = selectRoute(input.request.model, input.meta, config);
  const route = selection.route;
  const classifier = route?.classifier;

  if (route && classifier?.type === "local" && !input.hasText) {
    let tiers: Array<[Tier, number, string, DecisionFlag]>;
    if (input.localScore !== undefined) {
      const tier = tierForScore(input.localScore, localCalibration(classifier).thresholds);
      tiers = [[tier, 1, `recorded score ${input.localScore} under this route's thresholds`, "local-score-retiered"]];
    } else if (input.tier !== undefined) {
      tiers = [[input.tier, 1, "tier given (no prompt text to score)", "local-tier-given"]];
    } else {
      tiers = expectedTierShares(classifier).map(([t, w]) => [t, w, `no prompt text to score: ${round(w * 100)}% of this request at tier ${t}, the route's expected share`, "local-tier-split"]);
    }
    return tiers.map(([tier, weight, detail, flag]) => {
      const forced = forcedTierConfig(config, route, tier);
      const plan = planSelection(input.request, { ...selection, route: forced.routes[config.routes.indexOf(route)] as Route }, forced, {});
      restoreLocalDecision(plan, classifier, tier, detail);
      return finish(plan, weight, [flag], input, config, undefined);
    });
  }

  const signals: Signals = {};
  const flags: DecisionFlag[] = [];
  if (classifier?.type === "llm") {
    if (input.tier !== undefined) {
      // As if the rater had answered this tier: the plan is the one /admin/explain gives with that signal.
      signals.llmTier = { tier: input.tier, source: "llm" };
      flags.push("llm-tier-given");
    } else flags.push("llm-default-tier");
  }
  const plan = planSelection(input.request, selection, config, signals);
  return [finish(plan, 1, flags, input, config, classifier?.type === "llm" ? classifier : undefined)];
}

function finish(plan: Plan, weight: number, flags: DecisionFlag[], input: DecisionInput, config: Config, llm: LlmSpec | undefined): Decision {
  const priced = pricePlan(plan.steps, input.tokens, input.escalate, config);
  const out: Decision = { weight, plan, priced, costUsd: priced.costUsd, flags: [...flags] };
  if (llm) {
    const model = llm.model ?? cheapestModel(config);
    const inputTokens = estimateTokensFromChars(CLASSIFIER_PROMPT.length + Math.min(input.ratedChars, MAX_RATED_CHARS));
    const cost = costUsd(tokenCounts(inputTokens, 1), modelPrice(config, model));
    out.ratingCall = { model, inputTokens, costUsd: cost };
    out.costUsd += cost;
  }
  const checked = plan.steps.length > 1 && plan.steps.slice(0, -1).some((s) => s.checks.length > 0);
  if (priced.escalations > 0) out.flags.push("escalated");
  else if (checked && !input.escalateKnown) out.flags.push("checks-assumed-passed");
  if (priced.calls.length > priced.escalations + 1) out.flags.push("samples");
  if (plan.strategy === "shadow") out.flags.push("shadow");
  return out;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
