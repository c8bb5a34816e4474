/**
 * What a tuning run needs from the config, and what it changes in it (issue 13): the route's cheap and
 * strong models with their per-request costs on the route's own token counts, the thresholds in force,
 * and a proposal written into the route's document — applied, or in shadow — with one PUT.
 */
import { tierSteps, type ClassifierSpec, type Config, type Route } from "../config/schema";
import type { Head } from "../config/learning-schema";
import { modelNamed } from "../config/lookup";
import { localCalibration } from "../routing/local-classifier";
import type { LedgerRow } from "./fit";
import type { RouteTuning } from "./run";

type LocalSpec = Extract<ClassifierSpec, { type: "local" }>;

export interface RouteSetup {
  spec: LocalSpec;
  cheapModel: string;
  strongModel: string;
  current: { "2": number; "3": number };
  currentHead?: Head;
}

/** The route's tuning setup, or why it cannot be tuned. */
export function routeSetup(route: Route): RouteSetup | string {
  const spec = route.classifier;
  if (!spec) return `route "${route.name}" has no classifier: only classifier routes are tuned`;
  if (spec.type !== "local") return `route "${route.name}" uses the llm classifier, which has no score to set a threshold on: only local classifier routes are tuned`;
  const cheap = spec.tiers["1"], strong = spec.tiers["2"] ?? spec.tiers["3"];
  if (!cheap || !strong) return `route "${route.name}" needs tier 1 and a higher tier mapped to be tuned`;
  const setup: RouteSetup = { spec, cheapModel: tierSteps(cheap)[0]!.model, strongModel: tierSteps(strong)[0]!.model, current: localCalibration(spec).thresholds };
  if (spec.head) setup.currentHead = spec.head;
  return setup;
}

/** Mean cost per request of a model on these rows' token counts (the route's own traffic), USD. */
export function meanCostOn(config: Config, model: string, rows: readonly LedgerRow[]): number {
  const price = modelNamed(config, model)?.price;
  if (!price || rows.length === 0) return 0;
  let sum = 0;
  for (const r of rows) sum += ((r.input_tokens ?? 0) * price.input + (r.output_tokens ?? 0) * price.output) / 1e6;
  return sum / rows.length;
}

export type ProposalMode = "apply" | "shadow" | "clear";

/**
 * The config document with the tuning's proposal applied to the route (thresholds, head, the run's id and
 * date as their source; shares and any shadow proposal removed), put in shadow, or the shadow cleared.
 * The document is edited as JSON so everything else in it stays as the operator wrote it.
 */
export function withProposal(doc: unknown, routeName: string, t: RouteTuning, mode: ProposalMode): unknown {
  const copy = structuredClone(doc) as { routes?: Array<{ name?: string; classifier?: Record<string, unknown> }> };
  const route = copy.routes?.find((r) => r.name === routeName);
  const c = route?.classifier;
  if (!c) throw new Error(`route "${routeName}" has no classifier in the stored document`);
  const ref = { id: t.id, date: t.date };
  if (mode === "apply") {
    delete c.shares;
    delete c.proposal;
    c.thresholds = { ...t.proposal.thresholds };
    if (t.proposal.head) c.head = t.proposal.head;
    else delete c.head;
    c.tuning = ref;
  } else if (mode === "shadow") {
    c.proposal = { ...ref, thresholds: { ...t.proposal.thresholds }, ...(t.proposal.head ? { head: t.proposal.head } : {}) };
  } else delete c.proposal;
  return copy;
}
