/** Makes a runnable local config: every provider whose key secret is not available is replaced by the simulator. */
import type { ConfigInput } from "./schema";

export const SIMULATOR_PROVIDER = "sim";

export function seedConfig(base: ConfigInput, availableSecrets: ReadonlySet<string>): { config: ConfigInput; simulated: string[] } {
  const config: ConfigInput = structuredClone(base);
  const missing = new Set<string>();
  for (const [name, p] of Object.entries(config.providers)) {
    if ("keySecret" in p && p.keySecret && !availableSecrets.has(p.keySecret)) missing.add(name);
  }
  const simulated: string[] = [];
  for (const [alias, m] of Object.entries(config.models)) {
    if (missing.has(m.provider)) {
      m.provider = SIMULATOR_PROVIDER;
      simulated.push(alias);
    }
  }
  for (const name of missing) delete config.providers[name];
  config.providers[SIMULATOR_PROVIDER] ??= { type: "simulator", latencyMs: 250, tokensPerSecond: 150 };
  return { config, simulated };
}

/** A provider of the default whose key is now available but whose models the stored config still simulates. */
export interface UnusedKey {
  provider: string;
  keySecret: string;
  models: string[];
}

/**
 * Keys present (e.g. added to .dev.vars after the first start) that a stored local config does
 * not use: providers of `base` with their key available whose models the stored config serves
 * with the simulator (as seeding did when the key was missing).
 */
export function unusedKeys(stored: ConfigInput, base: ConfigInput, availableSecrets: ReadonlySet<string>): UnusedKey[] {
  const out: UnusedKey[] = [];
  for (const [name, p] of Object.entries(base.providers)) {
    if (!("keySecret" in p) || !p.keySecret || !availableSecrets.has(p.keySecret)) continue;
    const models = Object.entries(base.models)
      .filter(([alias, m]) => m.provider === name && stored.models[alias] !== undefined && stored.providers[stored.models[alias]?.provider ?? ""]?.type === "simulator")
      .map(([alias]) => alias);
    if (models.length > 0) out.push({ provider: name, keySecret: p.keySecret, models });
  }
  return out;
}

/** The stored config with those providers back (their entry from `base`) and their models served by them again. */
export function useKeys(stored: ConfigInput, base: ConfigInput, unused: readonly UnusedKey[]): ConfigInput {
  const config: ConfigInput = structuredClone(stored);
  for (const u of unused) {
    const entry = base.providers[u.provider];
    if (entry) config.providers[u.provider] = structuredClone(entry);
    for (const alias of u.models) {
      const m = config.models[alias];
      if (m) m.provider = u.provider;
    }
  }
  return config;
}
