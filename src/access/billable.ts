/**
 * Fields that change what a provider bills (pricing/billed-price.ts) pass only to models whose
 * config entry allows them: every model a plan may call (steps and fallbacks) must, else the
 * request is refused with 400 naming the field and the model, before anything is sent.
 */
import { GatewayError } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import type { Config } from "../config/schema";
import { billableAsk } from "../core/billable-ask";
import type { Plan } from "../routing/plan";

function notAllowed(param: string, message: string): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", code: "billable_field_not_allowed", message, param, errorClass: "bad_request", retryable: false });
}

export function checkBillable(request: ChatRequest, plan: Plan, config: Config): void {
  const ask = billableAsk(request);
  if (ask.serviceTier === undefined && !ask.webSearch && !ask.audioOutput) return;
  const tier = ask.serviceTier;
  if (tier !== undefined && tier !== "priority" && tier !== "flex") throw notAllowed("service_tier", `service_tier "${tier.slice(0, 32)}" is not supported by this gateway (auto, default, priority or flex)`);
  const aliases = new Set(plan.steps.flatMap((s) => [s.model, ...s.fallbacks]));
  for (const alias of aliases) {
    const b = config.models[alias]?.billable;
    const why = (field: string) => `model "${alias}" does not allow it (its config entry has no billable.${field}); the field changes what the provider bills`;
    if (tier !== undefined && b?.serviceTier?.[tier] === undefined) throw notAllowed("service_tier", `service_tier "${tier}": ${why(`serviceTier.${tier}`)}`);
    if (ask.webSearch && !b?.webSearch) throw notAllowed("web_search_options", `web search: ${why("webSearch")}`);
    if (ask.audioOutput && !b?.audioOutput) throw notAllowed("modalities", `audio output: ${why("audioOutput")}`);
  }
}
