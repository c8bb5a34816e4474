/**
 * Which fields of a request change what a provider bills: a `service_tier` other than the default,
 * web search (`web_search_options`), audio output (`modalities` with "audio", or `audio`).
 * Read by the door (access/billable.ts), pricing (pricing/billed-price.ts) and the Anthropic wire.
 */
import type { ChatRequest } from "./chat-request";

export interface BillableAsk {
  /** "priority", "flex", … (absent for no tier, "auto" and "default"). */
  serviceTier?: string;
  webSearch: boolean;
  audioOutput: boolean;
}

const DEFAULT_TIERS = new Set(["auto", "default"]);

export function billableAsk(request: ChatRequest): BillableAsk {
  const r = request as ChatRequest & { service_tier?: unknown; web_search_options?: unknown; modalities?: unknown; audio?: unknown };
  const tier = typeof r.service_tier === "string" && !DEFAULT_TIERS.has(r.service_tier) ? r.service_tier : undefined;
  const audio = (Array.isArray(r.modalities) && r.modalities.includes("audio")) || (r.audio !== undefined && r.audio !== null);
  return { ...(tier !== undefined ? { serviceTier: tier } : {}), webSearch: r.web_search_options !== undefined && r.web_search_options !== null, audioOutput: audio };
}
