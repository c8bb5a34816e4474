import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "./default-config";
import { seedConfig } from "./seed";
import { validateConfig } from "./validate";

describe("the default config", () => {
  it("is valid and serves Claude and Gemini models from their native providers", () => {
    const result = validateConfig(DEFAULT_CONFIG);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { providers, models } = result.config;
    expect(providers.anthropic).toMatchObject({ type: "anthropic", keySecret: "ANTHROPIC_API_KEY", baseUrl: "https://api.anthropic.com/v1", version: "2023-06-01" });
    expect(providers.google).toMatchObject({ type: "gemini", keySecret: "GEMINI_API_KEY", baseUrl: "https://generativelanguage.googleapis.com/v1beta" });
    for (const [alias, m] of Object.entries(models)) {
      if (alias.startsWith("claude-")) expect(m.provider, alias).toBe("anthropic");
      if (alias.startsWith("gemini-")) expect(m.provider, alias).toBe("google");
    }
  });

  it("falls back to the simulator, provider by provider, for keys that are not set", () => {
    const { config, simulated } = seedConfig(DEFAULT_CONFIG, new Set(["ANTHROPIC_API_KEY"]));
    expect(config.models["claude-sonnet-4-6"]?.provider).toBe("anthropic");
    expect(config.models["gemini-2.5-pro"]?.provider).toBe("sim");
    expect(simulated).toEqual(expect.arrayContaining(["gpt-4o", "gemini-2.0-flash"]));
    expect(simulated).not.toContain("claude-haiku-4-5");
    expect(validateConfig(config).ok).toBe(true);
  });
});
