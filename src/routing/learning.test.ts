import { describe, expect, it } from "vitest";
import { ConfigSchema, type ConfigInput } from "../config/schema";
import { validateConfigText } from "../config/validate";
import { planRequest } from "./plan";
import type { RequestMeta } from "./request-meta";
import { summarizeRequest } from "./feature-summary";
import { headScore } from "./route-head";

const m = { provider: "p", id: "x", price: { input: 1, output: 1 } };
const doc = (classifier: Record<string, unknown>) => ({ baseline: "big", providers: { p: { type: "simulator" } }, models: { small: m, mid: m, big: m }, routes: [{ name: "auto", match: {}, classifier }] });
const cfg = (classifier: Record<string, unknown>) => ConfigSchema.parse(doc(classifier) as unknown as ConfigInput);
const meta: RequestMeta = { requestId: "req-1", receivedAt: 0, promptChars: 10, promptTokens: 3 };
const ask = (content: string) => ({ model: "auto", messages: [{ role: "user" as const, content }] });
const tiers = { "1": { steps: [{ model: "small", checks: [{ type: "finish" }] }] }, "2": "mid", "3": "big" };

describe("text-free feature summary", () => {
  it("counts and flags only: no word of the prompt is in it", () => {
    const secret = "Zanzibar quokka 12345? Which is it?\nA) one\nB) two\n```js\nx = 1;\n```";
    const f = summarizeRequest({ messages: [{ role: "system", content: "be brief" }, { role: "user", content: secret }], response_format: { type: "json_object" } });
    expect(f).toMatchObject({ messages: 2, digits: 6, questions: 2, options: 1, code: 1, json: 1, tools: 0 });
    expect(f.chars).toBe("be brief".length + 2 + secret.length);
    expect(f.lines).toBe(8);
    const text = JSON.stringify(f);
    for (const word of ["Zanzibar", "quokka", "12345", "brief", "one"]) expect(text).not.toContain(word);
    expect(Object.values(f).every((v) => typeof v === "number")).toBe(true);
  });

  it("is on every classifier decision", () => {
    const plan = planRequest(ask("What is 2+2?"), meta, cfg({ type: "local", tiers }));
    expect(plan.classifier?.features).toMatchObject({ chars: 12, digits: 2, questions: 1 });
  });
});

describe("exploration share", () => {
  const explorePlan = (share: number, id: string, content = "hello") =>
    planRequest(ask(content), { ...meta, requestId: id }, cfg({ type: "local", thresholds: { "2": 0.99, "3": 0.999 }, explore: share, tiers }), { exploreKey: id });

  it("runs that share of requests as a cascade from tier 1, checked, escalating to the chosen tier (at least 2)", () => {
    let explored = 0;
    for (let i = 0; i < 2_000; i++) {
      const plan = explorePlan(0.1, `r${i}`);
      if (plan.classifier?.explored) {
        explored++;
        expect(plan.steps.map((s) => s.model)).toEqual(["small", "mid"]);
        expect(plan.steps[0]?.checks).toEqual([{ type: "finish", allow: ["stop", "tool_calls"] }]);
      } else expect(plan.steps.map((s) => s.model)).toEqual(["small"]);
    }
    expect(explored / 2_000).toBeGreaterThan(0.08);
    expect(explored / 2_000).toBeLessThan(0.12);
  });

  it("is stable per request id and off without one or at 0", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `q${i}`);
    const first = ids.map((id) => explorePlan(0.3, id).classifier?.explored);
    expect(ids.map((id) => explorePlan(0.3, id).classifier?.explored)).toEqual(first);
    expect(ids.every((id) => !explorePlan(0, id).classifier?.explored)).toBe(true);
    const noKey = planRequest(ask("x"), meta, cfg({ type: "local", explore: 1, tiers }));
    expect(noKey.classifier?.explored).toBeUndefined();
  });

  it("a request the classifier sends to tier 3 explores tier 1 first, then tier 3; explore checks join the cheap step", () => {
    const c = cfg({ type: "local", thresholds: { "2": 0, "3": 0 }, explore: { share: 1, checks: [{ type: "length", max: 10 }] }, tiers: { "1": "small", "2": "mid", "3": ["big", "mid"] } });
    const plan = planRequest(ask("x"), meta, c, { exploreKey: "a" });
    expect(plan).toMatchObject({ strategy: "classifier", classifier: { tier: 3, explored: true }, steps: [{ model: "small", checks: [{ type: "length", max: 10 }] }, { model: "big", fallbacks: ["mid"] }] });
  });

  it("config validation: exploration needs a check on the cheap answer and a tier to escalate to", () => {
    const problem = (classifier: Record<string, unknown>) => {
      const r = validateConfigText(JSON.stringify(doc(classifier)));
      return r.ok ? "" : r.message;
    };
    expect(problem({ type: "local", explore: 0.05, tiers: { "1": "small", "2": "mid" } })).toMatch(/exploration needs a check/);
    expect(problem({ type: "local", explore: 0.05, tiers: { "1": tiers["1"] } })).toMatch(/map tier 2 or 3/);
    expect(problem({ type: "local", explore: 1.5, tiers })).toMatch(/explore/);
    expect(problem({ type: "llm", explore: { share: 0.05, checks: [{ type: "finish" }] }, tiers: { "1": "small", "2": "mid" } })).toBe("");
    expect(problem({ type: "local", explore: 0.05, tiers })).toBe("");
  });
});

describe("head, thresholds' source, proposal in shadow", () => {
  const head = { bias: -2, weights: { prior: 0, digits: 8 } };

  it("the source of the thresholds: default, shares, thresholds, or a tuning run with its id and date", () => {
    expect(planRequest(ask("x"), meta, cfg({ type: "local", tiers })).classifier?.thresholdsSource).toEqual({ kind: "default" });
    expect(planRequest(ask("x"), meta, cfg({ type: "local", shares: { "2": 0.2 }, tiers })).classifier?.thresholdsSource).toEqual({ kind: "shares" });
    expect(planRequest(ask("x"), meta, cfg({ type: "local", thresholds: { "2": 0.5, "3": 0.6 }, tiers })).classifier?.thresholdsSource).toEqual({ kind: "thresholds" });
    const tuned = cfg({ type: "local", thresholds: { "2": 0.5, "3": 0.6 }, tuning: { id: "tune-abc", date: "2026-12-02T21:00:00Z" }, tiers });
    expect(planRequest(ask("x"), meta, tuned).classifier?.thresholdsSource).toEqual({ kind: "tuning", id: "tune-abc", date: "2026-12-02T21:00:00Z" });
  });

  it("with a head, its score (not the prior's) meets the thresholds; both are shown", () => {
    const c = cfg({ type: "local", thresholds: { "2": 0.5, "3": 0.99 }, head, tiers });
    const plain = planRequest(ask("tell me about cats"), meta, c).classifier;
    const digits = planRequest(ask("compute 123456789 * 987654321"), meta, c).classifier;
    expect(plain).toMatchObject({ tier: 1 });
    expect(digits).toMatchObject({ tier: 2 });
    expect(digits?.headScore).toBeCloseTo(headScore(head, digits?.score ?? 0, digits!.features!), 3);
    expect(digits?.score).toBeGreaterThan(0);
    expect(digits?.expectedShares).toBeUndefined();
  });

  it("a proposal in shadow records the tier it would give and changes nothing served", () => {
    const base = { type: "local", thresholds: { "2": 0.999, "3": 0.9999 }, tiers };
    const c = cfg({ ...base, proposal: { id: "tune-1", date: "2026-12-02", thresholds: { "2": 0.5, "3": 0.99 }, head } });
    const plan = planRequest(ask("compute 123456789 * 987654321"), meta, c);
    expect(plan.steps.map((s) => s.model)).toEqual(["small"]);
    expect(plan.classifier).toMatchObject({ tier: 1, proposal: { id: "tune-1", tier: 2 } });
  });
});
