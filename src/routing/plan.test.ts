import { describe, expect, it } from "vitest";
import { ConfigSchema, type ConfigInput } from "../config/schema";
import { GatewayError } from "../core/errors";
import { explainRequest, planRequest } from "./plan";
import type { RequestMeta } from "./request-meta";

const m = { provider: "p", id: "x", price: { input: 1, output: 1 } };
const cfg = (routes: ConfigInput["routes"], extra: Partial<ConfigInput> = {}) =>
  ConfigSchema.parse({ baseline: "big", providers: { p: { type: "simulator" } }, models: { small: m, mid: m, big: { ...m, fallbacks: ["mid"] } }, routes, ...extra });
const meta = (over: Partial<RequestMeta> = {}): RequestMeta => ({ requestId: "req-1", receivedAt: 0, promptChars: 10, promptTokens: 3, hasTools: false, hasResponseFormat: false, lastUserText: "hi", ...over });
const ask = (model = "auto", content = "hi") => ({ model, messages: [{ role: "user" as const, content }] });
const routeOf = (config: ReturnType<typeof cfg>, over: Partial<RequestMeta> = {}, model = "auto") => planRequest(ask(model), meta(over), config).route;

describe("rule matchers", () => {
  const only = (match: ConfigInput["routes"][number]["match"]) => cfg([{ name: "hit", match, model: "big" }, { name: "default", match: {}, model: "small" }]);

  it.each<[string, ConfigInput["routes"][number]["match"], Partial<RequestMeta>, Partial<RequestMeta>]>([
    ["feature (one)", { feature: "classify" }, { feature: "classify" }, { feature: "chat" }],
    ["feature (list)", { feature: ["a", "b"] }, { feature: "b" }, {}],
    ["minPromptChars", { minPromptChars: 100 }, { promptChars: 100 }, { promptChars: 99 }],
    ["maxPromptChars", { maxPromptChars: 100 }, { promptChars: 100 }, { promptChars: 101 }],
    ["minPromptTokens", { minPromptTokens: 50 }, { promptTokens: 50 }, { promptTokens: 49 }],
    ["maxPromptTokens", { maxPromptTokens: 50 }, { promptTokens: 50 }, { promptTokens: 51 }],
    ["userTier", { userTier: ["pro", "team"] }, { userTier: "pro" }, { userTier: "free" }],
    ["team", { team: "search" }, { team: "search" }, { team: "ads" }],
    ["key", { key: "backend" }, { keyName: "backend" }, {}],
    ["hasTools", { hasTools: true }, { hasTools: true }, { hasTools: false }],
    ["hasResponseFormat", { hasResponseFormat: true }, { hasResponseFormat: true }, {}],
    ["lastUserMessage", { lastUserMessage: { pattern: "^translate\\b", flags: "i" } }, { lastUserText: "Translate this" }, { lastUserText: "please translate" }],
    ["all matchers together", { feature: "x", maxPromptChars: 50, userTier: "pro" }, { feature: "x", promptChars: 20, userTier: "pro" }, { feature: "x", promptChars: 20, userTier: "free" }],
  ])("%s", (_name, match, yes, no) => {
    const config = only(match);
    expect(routeOf(config, yes)).toBe("hit");
    expect(routeOf(config, no)).toBe("default");
  });

  it("explains why each earlier route did not match", () => {
    const { trace } = explainRequest(ask(), meta({ feature: "chat", promptChars: 500 }), only({ feature: "chat", maxPromptChars: 100 }));
    expect(trace).toEqual([
      { route: "hit", matched: false, reason: "promptChars 500 > 100" },
      { route: "default", matched: true, reason: "default route (empty match)" },
    ]);
  });
});

describe("rule order and defaults", () => {
  const config = cfg([
    { name: "legacy", match: { model: ["gpt-4", "auto-legacy"] }, model: "mid" },
    { name: "classify", match: { feature: ["classify", "tag"], maxPromptChars: 100 }, model: "small", fallbacks: ["mid"] },
    { name: "long", match: { minPromptChars: 1000 }, model: "big" },
    { name: "default", match: {}, model: "small" },
  ]);

  it("takes the first matching route", () => {
    expect(planRequest(ask(), meta({ feature: "tag" }), config)).toMatchObject({ route: "classify", strategy: "rules", steps: [{ model: "small", fallbacks: ["mid"], checks: [] }] });
    expect(routeOf(config, { feature: "classify", promptChars: 5000 })).toBe("long");
    expect(routeOf(config, { feature: "classify", promptChars: 500 })).toBe("default");
  });

  it("remaps a concrete model only through a route that names it", () => {
    expect(planRequest(ask("gpt-4"), meta(), config)).toMatchObject({ route: "legacy", steps: [{ model: "mid" }] });
  });

  it("honours a configured model by name, with its own fallbacks", () => {
    expect(planRequest(ask("big"), meta({ promptChars: 5000 }), config)).toMatchObject({ route: "direct", strategy: "direct", steps: [{ model: "big", fallbacks: ["mid"] }] });
  });

  it("selects a route by name with route:<name>, whatever its match", () => {
    expect(planRequest(ask("route:long"), meta(), config)).toMatchObject({ route: "long", reason: "requested route:long" });
  });

  it("rejects unknown models and routes with 404, and auto with no matching route with 400", () => {
    for (const model of ["gpt-9", "route:nope"]) {
      const err = (() => { try { planRequest(ask(model), meta(), config); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).status).toBe(404);
    }
    const noDefault = cfg([{ name: "only", match: { feature: "x" }, model: "small" }]);
    expect(() => planRequest(ask(), meta(), noDefault)).toThrow(/no route matches/);
  });
});

describe("A/B splits", () => {
  const config = cfg([
    { name: "b-arm", match: { feature: "chat", split: { percent: 20, by: "user" } }, model: "big" },
    { name: "a-arm", match: { feature: "chat" }, model: "small" },
    { name: "default", match: {}, model: "mid" },
  ]);

  it("is sticky per user", () => {
    for (let i = 0; i < 20; i++) {
      const u = `user-${i}`;
      const first = routeOf(config, { feature: "chat", user: u, requestId: "r1" });
      expect(routeOf(config, { feature: "chat", user: u, requestId: "r2" })).toBe(first);
    }
  });

  it("sends about the configured share", () => {
    let hits = 0;
    const n = 10_000;
    for (let i = 0; i < n; i++) if (routeOf(config, { feature: "chat", user: `u${i}` }) === "b-arm") hits++;
    expect(hits / n).toBeGreaterThan(0.18);
    expect(hits / n).toBeLessThan(0.22);
  });

  it("takes its share only of traffic the other matchers accept", () => {
    for (let i = 0; i < 50; i++) expect(routeOf(config, { feature: "other", user: `u${i}` })).not.toBe("b-arm");
  });

  it("0% and 100% are never and always", () => {
    const never = cfg([{ name: "x", match: { split: { percent: 0, by: "request" } }, model: "big" }, { name: "d", match: {}, model: "small" }]);
    const always = cfg([{ name: "x", match: { split: { percent: 100, by: "request" } }, model: "big" }, { name: "d", match: {}, model: "small" }]);
    for (let i = 0; i < 50; i++) {
      expect(routeOf(never, { requestId: `r${i}` })).toBe("d");
      expect(routeOf(always, { requestId: `r${i}` })).toBe("x");
    }
  });
});

describe("cascades and classifiers", () => {
  it("a route with checks or several steps is a cascade, steps and checks in order", () => {
    const config = cfg([{ name: "extract", match: {}, steps: [{ model: "small", checks: [{ type: "json_schema" }] }, { model: "big", fallbacks: ["mid"] }] }]);
    expect(planRequest(ask(), meta(), config)).toMatchObject({
      strategy: "cascade",
      steps: [{ model: "small", fallbacks: [], checks: [{ type: "json_schema" }] }, { model: "big", fallbacks: ["mid"], checks: [] }],
    });
  });

  const easyText = "What is the capital of France?";
  const hardText = "Prove step by step that the algorithm's complexity is optimal. Derive the recurrence, analyze the trade-offs, and compare with the theorem. Why does the integral converge? ".repeat(4);

  it("local: scores with the built-in classifier; a harder request scores higher and lands on a higher tier", () => {
    const probe = cfg([{ name: "auto", match: {}, classifier: { type: "local", tiers: { "1": "small", "2": "mid", "3": "big" } } }]);
    const easyScore = planRequest(ask("auto", easyText), meta(), probe).classifier?.score ?? NaN;
    const hardScore = planRequest(ask("auto", hardText), meta(), probe).classifier?.score ?? NaN;
    expect(hardScore).toBeGreaterThan(easyScore);
    const between = (easyScore + hardScore) / 2;
    const local = cfg([{ name: "auto", match: {}, classifier: { type: "local", thresholds: { "2": between, "3": 0.99 }, tiers: { "1": "small", "2": ["mid", "big"], "3": { steps: [{ model: "big" }] } } } }]);
    expect(planRequest(ask("auto", easyText), meta(), local)).toMatchObject({ strategy: "classifier", classifier: { type: "local", tier: 1, usedTier: 1 }, steps: [{ model: "small" }] });
    expect(planRequest(ask("auto", hardText), meta(), local)).toMatchObject({ classifier: { tier: 2 }, steps: [{ model: "mid", fallbacks: ["big"] }] });
  });

  it("local: shares become thresholds with the expected share on the evaluation data stated", () => {
    const shares = cfg([{ name: "auto", match: {}, classifier: { type: "local", shares: { "2": 0.3, "3": 0.1 }, tiers: { "1": "small", "2": "mid", "3": "big" } } }]);
    const c = planRequest(ask("auto", easyText), meta(), shares).classifier;
    expect(c?.expectedShares?.["3"]).toBeCloseTo(0.1, 2);
    expect(c?.expectedShares?.["2"]).toBeCloseTo(0.4, 2);
    expect(c?.thresholds?.["3"]).toBeGreaterThan(c?.thresholds?.["2"] ?? 1);
  });

  it("local: thresholds decide the tier", () => {
    const all3 = cfg([{ name: "auto", match: {}, classifier: { type: "local", thresholds: { "2": 0, "3": 0 }, tiers: { "1": "small", "3": "big" } } }]);
    expect(planRequest(ask(), meta(), all3)).toMatchObject({ classifier: { tier: 3 }, steps: [{ model: "big" }] });
  });

  it("a tier without a target uses the nearest higher one, else the lower", () => {
    const gappy = cfg([{ name: "auto", match: {}, classifier: { type: "llm", tiers: { "1": "small", "3": "big" } } }]);
    expect(planRequest(ask(), meta(), gappy, { llmTier: { tier: 2, source: "llm" } })).toMatchObject({ classifier: { tier: 2, usedTier: 3 }, steps: [{ model: "big" }] });
    const lowOnly = cfg([{ name: "auto", match: {}, classifier: { type: "llm", tiers: { "1": "small" } } }]);
    expect(planRequest(ask(), meta(), lowOnly, { llmTier: { tier: 3, source: "llm" } })).toMatchObject({ classifier: { usedTier: 1 }, steps: [{ model: "small" }] });
  });

  it("llm: uses the verdict signal, else the default tier", () => {
    const llm = cfg([{ name: "auto", match: {}, classifier: { type: "llm", defaultTier: 2, tiers: { "1": "small", "2": "mid", "3": "big" } } }]);
    expect(planRequest(ask(), meta(), llm, { llmTier: { tier: 3, source: "cache" } })).toMatchObject({ classifier: { type: "llm", tier: 3, source: "cache" }, steps: [{ model: "big" }] });
    expect(planRequest(ask(), meta(), llm)).toMatchObject({ classifier: { tier: 2, source: "default" }, steps: [{ model: "mid" }] });
  });
});

describe("shadow mode", () => {
  const config = cfg([{ name: "measure", match: { feature: "chat" }, shadow: true, model: "small" }, { name: "default", match: {}, model: "mid" }]);

  it("serves the model the client asked for and records what the route would do", () => {
    expect(planRequest(ask("big"), meta({ feature: "chat" }), config)).toMatchObject({
      route: "measure",
      strategy: "shadow",
      steps: [{ model: "big", fallbacks: ["mid"] }],
      shadow: { strategy: "rules", steps: [{ model: "small" }] },
    });
  });

  it("serves `serve` (else the baseline) for model auto", () => {
    expect(planRequest(ask(), meta({ feature: "chat" }), config).steps[0]?.model).toBe("big");
    const withServe = cfg([{ name: "measure", match: {}, shadow: { serve: "mid" }, model: "small" }]);
    expect(planRequest(ask(), meta(), withServe).steps[0]?.model).toBe("mid");
  });
});

describe("cooldowns", () => {
  const config = cfg([{ name: "default", match: {}, model: "small", fallbacks: ["mid", "big"] }]);

  it("move cooling models to the back of their step, and say so", () => {
    const plan = planRequest(ask(), meta(), config, { cooldowns: { small: 5_000 }, now: 1_000 });
    expect(plan.steps[0]).toMatchObject({ model: "mid", fallbacks: ["big", "small"] });
    expect(plan.cooling).toEqual(["small"]);
  });

  it("are ignored once expired", () => {
    const plan = planRequest(ask(), meta(), config, { cooldowns: { small: 5_000 }, now: 6_000 });
    expect(plan.steps[0]?.model).toBe("small");
    expect(plan.cooling).toBeUndefined();
  });
});
