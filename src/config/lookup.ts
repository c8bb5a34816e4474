/**
 * Lookups in the config by a name that may come from a client (`model`, a route name, a query
 * parameter): own properties only, so `constructor`, `toString` or `__proto__` are unknown names
 * (404), never Object.prototype's members.
 */
import type { Config, ModelEntry, ProviderConfig } from "./schema";

export function ownEntry<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

export function modelNamed(config: Pick<Config, "models">, name: string): ModelEntry | undefined {
  return ownEntry(config.models, name);
}

export function providerNamed(config: Pick<Config, "providers">, name: string): ProviderConfig | undefined {
  return ownEntry(config.providers, name);
}

export function hasModel(config: Pick<Config, "models">, name: string): boolean {
  return Object.hasOwn(config.models, name);
}
