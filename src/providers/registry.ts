/** Provider type → adapter. The one place that knows which provider types exist. */
import type { ProviderConfig } from "../config/schema";
import { anthropicAdapter } from "./anthropic/adapter";
import { geminiAdapter } from "./gemini/adapter";
import { openAICompatibleAdapter } from "./openai-compatible/adapter";
import { simulatorAdapter } from "./simulator/adapter";
import type { ProviderAdapter } from "./types";

const ADAPTERS: Record<ProviderConfig["type"], ProviderAdapter> = {
  openai: openAICompatibleAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  simulator: simulatorAdapter,
};

export function adapterFor(provider: ProviderConfig): ProviderAdapter {
  return ADAPTERS[provider.type];
}
