/** Resolves a model alias to everything one upstream call needs (key from secrets, timeout, adapter). */
import { GatewayError } from "../core/errors";
import type { Config } from "../config/schema";
import { adapterFor } from "../providers/registry";
import type { ProviderAdapter, UpstreamTarget } from "../providers/types";
import { modelNamed, providerNamed } from "../config/lookup";

export interface ResolvedTarget {
  target: UpstreamTarget;
  adapter: ProviderAdapter;
  timeoutMs: number;
}

export interface KeyAccess {
  secret(name: string): string | undefined;
  keyHosts(name: string): readonly string[];
}

export function resolveTarget(alias: string, config: Config, keys: KeyAccess): ResolvedTarget {
  const model = modelNamed(config, alias);
  const provider = model ? providerNamed(config, model.provider) : undefined;
  if (!model || !provider) {
    // Validation guarantees both exist; this guards a config changed under a running request.
    throw new GatewayError({ status: 500, type: "config_error", code: "unknown_model", message: `model "${alias}" is not in the active config`, errorClass: "config", retryable: true });
  }
  let apiKey: string | undefined;
  let keyHosts: readonly string[] | undefined;
  if ("keySecret" in provider && provider.keySecret) {
    apiKey = keys.secret(provider.keySecret);
    keyHosts = keys.keyHosts(provider.keySecret);
    if (apiKey === undefined || apiKey === "") {
      throw new GatewayError({
        status: 500,
        type: "config_error",
        code: "missing_provider_key",
        message: `provider "${model.provider}" needs the Worker secret ${provider.keySecret}, which is not set`,
        errorClass: "config",
        provider: model.provider,
        retryable: true,
      });
    }
  }
  return {
    target: { alias, model, providerName: model.provider, provider, apiKey, ...(keyHosts ? { keyHosts } : {}) },
    adapter: adapterFor(provider),
    timeoutMs: model.timeoutMs ?? provider.timeoutMs ?? config.defaults.timeoutMs,
  };
}
