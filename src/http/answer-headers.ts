/** Headers that explain each answer: which route, which model, how many attempts, what it cost. */
import type { Served } from "../execution/types";
import type { AttemptRecord, Quality } from "../ledger/attempt";
import type { Plan } from "../routing/plan";

export const EXPOSED_HEADERS = [
  "x-tiergate-request-id", "x-tiergate-route", "x-tiergate-model", "x-tiergate-provider", "x-tiergate-attempts",
  "x-tiergate-attempt-chain", "x-tiergate-cost-usd", "x-tiergate-simulated", "x-tiergate-quality", "x-tiergate-escalations", "x-tiergate-tier",
  "x-tiergate-cache", "x-tiergate-cache-source", "age",
];

export function answerHeaders(plan: Plan | null, attempts: AttemptRecord[], served?: Served, costUsd?: number, verdict?: { quality: Quality; escalations: number }): Record<string, string> {
  const h: Record<string, string> = {};
  if (plan) h["x-tiergate-route"] = plan.route;
  if (served) {
    h["x-tiergate-model"] = served.model;
    h["x-tiergate-provider"] = served.provider;
    if (served.simulated) h["x-tiergate-simulated"] = "true";
  }
  h["x-tiergate-attempts"] = String(attempts.length);
  if (attempts.length > 0) h["x-tiergate-attempt-chain"] = attempts.map((a) => `${a.model}:${a.ok ? "ok" : (a.httpStatus ?? a.errorClass)}`).join(",");
  if (costUsd !== undefined) h["x-tiergate-cost-usd"] = costUsd.toFixed(8);
  if (verdict) {
    h["x-tiergate-quality"] = verdict.quality;
    h["x-tiergate-escalations"] = String(verdict.escalations);
  }
  if (plan?.classifier) h["x-tiergate-tier"] = String(plan.classifier.tier);
  return h;
}
