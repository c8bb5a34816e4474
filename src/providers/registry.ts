/** Provider type → adapter. The one place that knows which provider types exist. */
import type { ModelEntry, ProviderConfig } from "../config/schema";
import { anthropicAdapter } from "./anthropic/adapter";
import { geminiAdapter } from "./gemini/adapter";
import { openAICompatibleAdapter } from "./openai-compatible/adapter";
import { simulatorAdapter } from "./simulator/adapter";
import type { EmbeddingRequest } from "../core/embedding";
import type { EmbedOptions, ProviderAdapter, ProviderCapabilities, UpstreamTarget } from "./types";

/** The adapter for this provider entry, bound to it: the switch narrows the entry to the adapter's own type. */
export function adapterFor(provider: ProviderConfig): ProviderAdapter {
  switch (provider.type) {
    case "openai":
      return bound(openAICompatibleAdapter, provider);
    case "anthropic":
      return bound(anthropicAdapter, provider);
    case "gemini":
      return bound(geminiAdapter, provider);
    case "simulator":
      return bound(simulatorAdapter, provider);
  }
}

function bound<P extends ProviderConfig>(adapter: ProviderAdapter<P>, provider: P): ProviderAdapter {
  const embed = adapter.embed;
  return {
    kind: adapter.kind,
    simulated: adapter.simulated,
    call: (request, target, options) => adapter.call(request, { ...target, provider }, options),
    capabilities: ({ model }) => adapter.capabilities({ model, provider }),
    ...(embed ? { embed: (request: EmbeddingRequest, target: UpstreamTarget, options: EmbedOptions) => embed(request, { ...target, provider }, options) } : {}),
    continuation: ({ model }) => adapter.continuation({ model, provider }),
  };
}

/**
 * What a configured model can do: the provider's answer, narrowed by the model entry (an entry
 * can say a capable provider's model lacks logprobs; it cannot give them to a provider without).
 */
export function modelCapabilities(model: ModelEntry, provider: ProviderConfig): ProviderCapabilities {
  const offered = adapterFor(provider).capabilities({ model, provider });
  return { logprobs: offered.logprobs && model.capabilities?.logprobs !== false };
}
