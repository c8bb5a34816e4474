/**
 * Request fields that change what a provider bills: a `service_tier` other than the default
 * (priority, flex), web search (`web_search_options`; /v1/messages' web search tool and the
 * Responses API's web_search tool are carried as it), audio output (`modalities` with "audio", or
 * `audio`; core/billable-ask.ts). A model takes them only when its entry lists them under `billable`
 * (access/billable.ts refuses the rest); this prices a request's calls to a model with them.
 */
import { billableAsk } from "../core/billable-ask";
import type { ChatRequest } from "../core/chat-request";
import type { Config } from "../config/schema";
import type { BilledPrice } from "./cost";

type Model = Config["models"][string];

/** The model's price for this request: tier multiplier on every token price, audio output rate, web search fee per call. */
export function billedPrice(request: ChatRequest, model: Model): BilledPrice {
  const ask = billableAsk(request);
  const b = model.billable;
  const tier = ask.serviceTier === "priority" || ask.serviceTier === "flex" ? (b?.serviceTier?.[ask.serviceTier] ?? 1) : 1;
  const base = model.price;
  const output = ask.audioOutput && b?.audioOutput ? b.audioOutput.outputPerMillion : base.output;
  const price: BilledPrice = { ...base, input: base.input * tier, output: output * tier };
  if (base.cachedInput !== undefined) price.cachedInput = base.cachedInput * tier;
  if (base.cacheWrite !== undefined) price.cacheWrite = base.cacheWrite * tier;
  if (ask.webSearch && b?.webSearch) price.perCallUsd = b.webSearch.perCallUsd;
  return price;
}
