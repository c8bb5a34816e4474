/**
 * The routing decision: a pure function of (request, metadata, config, signals) returning a
 * Plan. No I/O. The plan is what `/admin/explain` shows, what execution carries out and what
 * the ledger records.
 *
 * A plan is a list of steps (tiers). Errors walk a step's model and fallbacks; a failed quality
 * check moves to the next step; the last step's answer is returned.
 */
import type { ChatRequest } from "../core/chat-request";
import { tierSteps, type CheckSpec, type ClassifierSpec, type Config, type Route, type StepSpec, type TierTarget } from "../config/schema";
import { localCalibration, scoreComplexity, tierForScore, type Tier } from "./local-classifier";
import { DIRECT_ROUTE } from "./names";
import type { RequestMeta } from "./request-meta";
import { selectRoute, type RouteSelection, type RouteTrace } from "./select-route";
import type { Signals } from "./signals";
import { hasModel, modelNamed } from "../config/lookup";
import { summarizeRequest, type FeatureSummary, type SummaryInput } from "./feature-summary";
import { headScore } from "./route-head";
import { exploreSteps, explores, thresholdsSource, type ThresholdsSource } from "./learning";

export interface PlanStep {
  model: string;
  fallbacks: string[];
  checks: CheckSpec[];
}

export type Strategy = "direct" | "rules" | "cascade" | "classifier" | "shadow";

export interface ClassifierDecision {
  type: "local" | "llm";
  /** The tier computed, and the tier whose target was used (the nearest mapped one). */
  tier: Tier;
  usedTier: Tier;
  score?: number;
  thresholds?: { "2": number; "3": number };
  /** Local: expected share of traffic at tier 3 and at tier ≥ 2 on the classifier's evaluation data. */
  expectedShares?: { "2": number; "3": number };
  source?: "llm" | "cache" | "default";
  detail?: string;
  /** Local with a per-route head: the head's score (P(cheap fails)), which the thresholds compared instead of `score`. */
  headScore?: number;
  /** Local: where the thresholds in force came from (default shares, the config, a tuning run with id and date). */
  thresholdsSource?: ThresholdsSource;
  /** The request's text-free summary (what a per-route head learns from; never the prompt). */
  features?: FeatureSummary;
  /** This request is in the route's exploration share: it runs as a cascade from tier 1. */
  explored?: boolean;
  /** A tuning proposal in shadow: the tier (and score) it would have given. Nothing is served by it. */
  proposal?: { id: string; tier: Tier; score: number };
}

export interface ShadowDecision {
  strategy: Exclude<Strategy, "shadow" | "direct">;
  steps: PlanStep[];
  classifier?: ClassifierDecision;
}

export interface Plan {
  route: string;
  strategy: Strategy;
  reason: string;
  requestedModel: string;
  steps: PlanStep[];
  classifier?: ClassifierDecision;
  /** Shadow mode: what the route would have done; the steps above serve what the client asked for. */
  shadow?: ShadowDecision;
  /** Models moved to the back of their step because their circuit is open. */
  cooling?: string[];
}

export interface Explained {
  plan: Plan;
  trace: RouteTrace[];
}

type RoutingRequest = Pick<ChatRequest, "model" | "messages"> & Omit<SummaryInput, "messages">;

export function planRequest(request: RoutingRequest, meta: RequestMeta, config: Config, signals: Signals = {}): Plan {
  return explainRequest(request, meta, config, signals).plan;
}

export function explainRequest(request: RoutingRequest, meta: RequestMeta, config: Config, signals: Signals = {}): Explained {
  return explainSelection(request, selectRoute(request.model, meta, config), config, signals);
}

/** The plan for a route already selected: a request selects its route once, for its signals and its plan. */
export function planSelection(request: RoutingRequest, selection: RouteSelection, config: Config, signals: Signals = {}): Plan {
  return explainSelection(request, selection, config, signals).plan;
}

export function explainSelection(request: RoutingRequest, selection: RouteSelection, config: Config, signals: Signals = {}): Explained {
  const requested = request.model;
  const route = selection.route;
  if (!route) {
    const plan: Plan = { route: DIRECT_ROUTE, strategy: "direct", reason: selection.reason, requestedModel: requested, steps: [directStep(requested, config)] };
    return { plan: withCooldowns(plan, signals), trace: selection.trace };
  }
  const decided = routeDecision(route, request, signals);
  if (route.shadow !== undefined) {
    const serve = hasModel(config, requested) ? requested : (typeof route.shadow === "object" ? route.shadow.serve : undefined) ?? config.baseline;
    const plan: Plan = {
      route: route.name,
      strategy: "shadow",
      reason: `${selection.reason}; shadow mode serves ${serve}`,
      requestedModel: requested,
      steps: [directStep(serve, config)],
      shadow: decided,
    };
    return { plan: withCooldowns(plan, signals), trace: selection.trace };
  }
  const plan: Plan = { route: route.name, strategy: decided.strategy, reason: selection.reason, requestedModel: requested, steps: decided.steps };
  if (decided.classifier) plan.classifier = decided.classifier;
  return { plan: withCooldowns(plan, signals), trace: selection.trace };
}

function directStep(alias: string, config: Config): PlanStep {
  return { model: alias, fallbacks: [...(modelNamed(config, alias)?.fallbacks ?? [])], checks: [] };
}

function copySteps(steps: StepSpec[]): PlanStep[] {
  return steps.map((s) => ({ model: s.model, fallbacks: [...s.fallbacks], checks: [...s.checks] }));
}

function stepsStrategy(steps: PlanStep[]): "rules" | "cascade" {
  return steps.length > 1 || steps.some((s) => s.checks.length > 0) ? "cascade" : "rules";
}

function routeDecision(route: Route, request: RoutingRequest, signals: Signals): ShadowDecision {
  if (route.classifier) {
    const { classifier, steps } = classify(route.classifier, route.name, request, signals);
    return { strategy: "classifier", steps, classifier };
  }
  const steps = route.steps ? copySteps(route.steps) : [{ model: route.model as string, fallbacks: [...(route.fallbacks ?? [])], checks: [...(route.checks ?? [])] }];
  return { strategy: stepsStrategy(steps), steps };
}

function classify(spec: ClassifierSpec, routeName: string, request: RoutingRequest, signals: Signals): { classifier: ClassifierDecision; steps: PlanStep[] } {
  let decision: Omit<ClassifierDecision, "usedTier">;
  const features = summarizeRequest(request);
  if (spec.type === "local") {
    const { thresholds, expected } = localCalibration(spec);
    const score = scoreComplexity(request.messages);
    const head = spec.head ? headScore(spec.head, score, features) : undefined;
    decision = { type: "local", tier: tierForScore(head ?? score, thresholds), score: round(score), thresholds, thresholdsSource: thresholdsSource(spec), features };
    if (head !== undefined) decision.headScore = round(head);
    else decision.expectedShares = expected; // shares on the evaluation data say nothing about a head's scale
    if (spec.proposal) {
      const p = spec.proposal.head ? headScore(spec.proposal.head, score, features) : score;
      decision.proposal = { id: spec.proposal.id, tier: tierForScore(p, spec.proposal.thresholds), score: round(p) };
    }
  } else {
    const s = signals.llmTier;
    decision = s
      ? { type: "llm", tier: s.tier, source: s.source, ...(s.detail ? { detail: s.detail } : {}) }
      : { type: "llm", tier: spec.defaultTier, source: "default", detail: "no classifier verdict (not asked yet)" };
    decision.features = features;
  }
  const [usedTier, target] = nearestTier(spec.tiers, decision.tier);
  if (explores(spec, routeName, signals.exploreKey)) {
    const steps = exploreSteps(spec, usedTier);
    if (steps.length > 1) return { classifier: { ...decision, usedTier, explored: true }, steps: copySteps(steps) };
  }
  return { classifier: { ...decision, usedTier }, steps: copySteps(tierSteps(target)) };
}

/** The tier's own target, else the nearest mapped tier above it (quality first), else below. */
function nearestTier(tiers: ClassifierSpec["tiers"], tier: Tier): [Tier, TierTarget] {
  const order: Tier[] = tier === 1 ? [1, 2, 3] : tier === 2 ? [2, 3, 1] : [3, 2, 1];
  for (const t of order) {
    const target = tiers[String(t) as "1" | "2" | "3"];
    if (target !== undefined) return [t, target];
  }
  throw new Error("classifier has no tiers"); // excluded by config validation
}

/** Cooling models go to the back of their step: tried only after every healthy one. */
function withCooldowns(plan: Plan, signals: Signals): Plan {
  const cooldowns = signals.cooldowns;
  if (!cooldowns) return plan;
  const now = signals.now ?? 0;
  const cooling = new Set<string>();
  const isCool = (m: string) => (cooldowns[m] ?? 0) > now;
  plan.steps = plan.steps.map((step) => {
    const candidates = [step.model, ...step.fallbacks];
    if (!candidates.some(isCool)) return step;
    const ordered = [...candidates.filter((m) => !isCool(m)), ...candidates.filter(isCool)];
    candidates.filter(isCool).forEach((m) => cooling.add(m));
    return { ...step, model: ordered[0] as string, fallbacks: ordered.slice(1) };
  });
  if (cooling.size > 0) plan.cooling = [...cooling];
  return plan;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
