/** Provider type → adapter. The one place that knows which provider types exist. */
import type { ModelEntry, ProviderConfig } from "../config/schema";
import { anthropicAdapter } from "./anthropic/adapter";
import { geminiAdapter } from "./gemini/adapter";
import { openAICompatibleAdapter } from "./openai-compatible/adapter";
import { simulatorAdapter } from "./simulator/adapter";
import type { ProviderAdapter, ProviderCapabilities } from "./types";

const ADAPTERS: Record<ProviderConfig["type"], ProviderAdapter> = {
  openai: openAICompatibleAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  simulator: simulatorAdapter,
};

export function adapterFor(provider: ProviderConfig): ProviderAdapter {
  return ADAPTERS[provider.type];
}

/**
 * What a configured model can do: the provider's answer, narrowed by the model entry (an entry
 * can say a capable provider's model lacks logprobs; it cannot give them to a provider without).
 */
export function modelCapabilities(model: ModelEntry, provider: ProviderConfig): ProviderCapabilities {
  const offered = adapterFor(provider).capabilities({ model, provider });
  return { logprobs: offered.logprobs && model.capabilities?.logprobs !== false };
}
