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
