import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "./default-config";
import { seedConfig } from "./seed";
import { formatPath, validateConfig, validateConfigText } from "./validate";

describe("the default config", () => {
  it("is valid, has the article's prices and a default route", () => {
    const v = validateConfig(DEFAULT_CONFIG);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const price = (m: string) => v.config.models[m]?.price;
    expect(price("gpt-4o-mini")).toMatchObject({ input: 0.15, output: 0.6 });
    expect(price("claude-haiku-4-5")).toMatchObject({ input: 0.8, output: 4 });
    expect(price("claude-sonnet-4-6")).toMatchObject({ input: 3, output: 15 });
    expect(price("gpt-4o")).toMatchObject({ input: 2.5, output: 10 });
    expect(price("claude-opus-4-6")).toMatchObject({ input: 15, output: 75 });
    expect(price("gpt-4.5")).toMatchObject({ input: 75, output: 150 });
    expect(v.config.routes.at(-1)?.match).toEqual({});
  });

  it("seeds to a config where providers without a key are simulated", () => {
    const { config, simulated } = seedConfig(DEFAULT_CONFIG, new Set());
    expect(validateConfig(config).ok).toBe(true);
    expect(simulated).toContain("gpt-4o-mini");
    expect(Object.values(config.models).every((m) => m.provider === "sim")).toBe(true);
    const withKey = seedConfig(DEFAULT_CONFIG, new Set(["OPENAI_API_KEY"]));
    expect(withKey.config.models["gpt-4o"]?.provider).toBe("openai");
  });
});

describe("validation errors", () => {
  it("formats paths as JSONPath", () => {
    expect(formatPath(["routes", 2, "steps", 0, "model"])).toBe("$.routes[2].steps[0].model");
    expect(formatPath(["models", "gpt-4o-mini", "price"])).toBe('$.models["gpt-4o-mini"].price');
  });

  it("reports JSON syntax errors at $", () => {
    const v = validateConfigText("{");
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v).toMatchObject({ code: "invalid_json", issues: [{ path: "$" }] });
  });

  it.each([
    [{ ...DEFAULT_CONFIG, baseline: "nope" }, "$.baseline", "unknown model"],
    [{ ...DEFAULT_CONFIG, routes: [{ name: "r", match: {}, model: "x" }] }, "$.routes[0].model", "unknown model"],
    [{ ...DEFAULT_CONFIG, routes: [{ name: "r", match: {} }] }, "$.routes[0]", "exactly one of"],
    [{ ...DEFAULT_CONFIG, routes: [{ name: "r", match: { featur: "x" }, model: "gpt-4o" }] }, "$.routes[0].match", "featur"],
    [{ ...DEFAULT_CONFIG, routes: [{ name: "r", model: "gpt-4o" }, { name: "r", model: "gpt-4o" }] }, "$.routes[1].name", "duplicate"],
    [{ ...DEFAULT_CONFIG, providers: { ...DEFAULT_CONFIG.providers, openai: { type: "openai", keySecret: "sk-live-oops" } } }, "$.providers.openai.keySecret", "UPPER_SNAKE_CASE"],
    [{ ...DEFAULT_CONFIG, providers: { ...DEFAULT_CONFIG.providers, anthropic: { type: "anthropic", keySecret: "ADMIN_TOKEN", baseUrl: "https://collector.example" } } }, "$.providers.anthropic.keySecret", "_API_KEY"],
    [{ ...DEFAULT_CONFIG, providers: { ...DEFAULT_CONFIG.providers, google: { type: "gemini", keySecret: "DASHBOARD_TOKEN" } } }, "$.providers.google.keySecret", "ADMIN_TOKEN, DASHBOARD_TOKEN"],
  ])("%#: %s", (doc, path, message) => {
    const v = validateConfig(doc);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const issue = v.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(v.issues)).toBeDefined();
    expect(issue?.message).toContain(message);
  });
});

describe("model aliases and rule-naming messages", () => {
  const model = DEFAULT_CONFIG.models["gpt-4o"];

  it("accepts aliases with '/', ':' and '.' (openai/gpt-4o, …:free)", () => {
    const doc = { ...DEFAULT_CONFIG, models: { ...DEFAULT_CONFIG.models, "openai/gpt-4o": model, "meta-llama/llama-3.1-8b:free": model } };
    expect(validateConfig(doc).ok).toBe(true);
  });

  it("names the rule in every message, never zod's generic ones", () => {
    const broken: unknown[] = [
      { ...DEFAULT_CONFIG, models: { ...DEFAULT_CONFIG.models, "bad name!": model } },
      { ...DEFAULT_CONFIG, models: { ...DEFAULT_CONFIG.models, "route:x": model } },
      { ...DEFAULT_CONFIG, providers: { ...DEFAULT_CONFIG.providers, "bad/provider": { type: "simulator" } } },
      { ...DEFAULT_CONFIG, providers: { ...DEFAULT_CONFIG.providers, x: { type: "nope" } } },
      { ...DEFAULT_CONFIG, routes: [{ name: "r", classifier: { type: "local", tiers: { "1": 5 } } }] },
      { ...DEFAULT_CONFIG, routes: [{ name: "r", model: "gpt-4o", shadow: 3 }] },
      { ...DEFAULT_CONFIG, routes: [{ name: "r", model: "gpt-4o", checks: [{ type: "nope" }] }] },
      { ...DEFAULT_CONFIG, routes: [{ name: "r", model: "gpt-4o", match: { featur: "x" } }] },
      { ...DEFAULT_CONFIG, routes: "x" },
      { ...DEFAULT_CONFIG, models: { ...DEFAULT_CONFIG.models, "gpt-4o": { ...model, price: { input: -1, output: "x" } } } },
    ];
    for (const doc of broken) {
      const v = validateConfig(doc);
      expect(v.ok).toBe(false);
      if (v.ok) continue;
      for (const issue of v.issues) {
        expect(issue.message, issue.path).not.toMatch(/^(Invalid key in record|Invalid input)$/);
        expect(issue.message.length).toBeGreaterThan(15);
      }
    }
    const key = validateConfig(broken[0]);
    if (!key.ok) expect(key.issues[0]).toEqual({ path: '$.models["bad name!"]', message: expect.stringContaining("model aliases are 1-128 letters") });
    const union = validateConfig(broken[4]);
    if (!union.ok) expect(union.issues[0]?.message).toContain("expected string");
    const strict = validateConfig(broken[7]);
    if (!strict.ok) expect(strict.issues[0]?.message).toContain('unknown key "featur"');
  });
});

describe("embedding models in the config", () => {
  const emb = { provider: "openai", id: "text-embedding-3-small", kind: "embedding" as const, price: { input: 0.02, output: 0 } };
  it.each([
    [{ ...DEFAULT_CONFIG, models: { ...DEFAULT_CONFIG.models, e: { ...emb, fallbacks: ["gpt-4o"] } } }, '$.models.e.fallbacks[0]', "of its model's kind"],
    [{ ...DEFAULT_CONFIG, routes: [{ name: "r", model: "gpt-4o", fallbacks: ["text-embedding-3-small"] }] }, "$.routes[0]", "must all be chat models or all embedding models"],
    [{ ...DEFAULT_CONFIG, baseline: "text-embedding-3-small" }, "$.baseline", "must be a chat model"],
  ])("%#: refuses mixing kinds (%s)", (doc, path, message) => {
    const v = validateConfig(doc);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.find((i) => i.path === path)?.message, JSON.stringify(v.issues)).toContain(message);
  });
});

describe("keys added after the first start", () => {
  it("are noticed when the stored config still simulates their provider's models, and --use-keys switches them", async () => {
    const { unusedKeys, useKeys } = await import("./seed");
    const stored = seedConfig(DEFAULT_CONFIG, new Set()).config;
    expect(unusedKeys(stored, DEFAULT_CONFIG, new Set())).toEqual([]);
    const unused = unusedKeys(stored, DEFAULT_CONFIG, new Set(["OPENAI_API_KEY", "ADMIN_TOKEN"]));
    expect(unused.map((u) => [u.provider, u.keySecret])).toEqual([["openai", "OPENAI_API_KEY"]]);
    expect(unused[0]?.models).toContain("gpt-4o-mini");
    expect(unused[0]?.models).toContain("text-embedding-3-small");
    const switched = useKeys(stored, DEFAULT_CONFIG, unused);
    expect(validateConfig(switched).ok).toBe(true);
    expect(switched.models["gpt-4o"]?.provider).toBe("openai");
    expect(switched.models["claude-haiku-4-5"]?.provider).toBe("sim");
    expect(unusedKeys(switched, DEFAULT_CONFIG, new Set(["OPENAI_API_KEY"]))).toEqual([]);
  });
});
