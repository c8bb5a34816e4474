import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/schema";
import { GatewayError } from "../core/errors";
import { planRequest } from "./plan";
import type { RequestMeta } from "./request-meta";

const m = { provider: "p", id: "x", price: { input: 1, output: 1 } };
const config = ConfigSchema.parse({
  baseline: "big",
  providers: { p: { type: "simulator" } },
  models: { small: m, mid: m, big: { ...m, fallbacks: ["mid"] } },
  routes: [
    { name: "legacy", match: { model: ["gpt-4", "auto-legacy"] }, model: "mid" },
    { name: "classify", match: { feature: ["classify", "tag"], maxPromptChars: 100 }, model: "small", fallbacks: ["mid"] },
    { name: "long", match: { minPromptChars: 1000 }, model: "big" },
    { name: "default", match: {}, model: "small" },
  ],
});
const meta = (over: Partial<RequestMeta> = {}): RequestMeta => ({ requestId: "r", receivedAt: 0, promptChars: 10, promptTokens: 3, ...over });

describe("planRequest", () => {
  it("takes the first matching route for auto", () => {
    expect(planRequest({ model: "auto" }, meta({ feature: "tag" }), config)).toMatchObject({ route: "classify", strategy: "rules", steps: [{ model: "small", fallbacks: ["mid"] }] });
  });

  it("skips a route whose prompt bound fails, then falls through to later ones", () => {
    expect(planRequest({ model: "auto" }, meta({ feature: "classify", promptChars: 5000 }), config).route).toBe("long");
    expect(planRequest({ model: "auto" }, meta({ feature: "classify", promptChars: 500 }), config).route).toBe("default");
  });

  it("remaps a concrete model only through a route that names it", () => {
    expect(planRequest({ model: "gpt-4" }, meta(), config)).toMatchObject({ route: "legacy", steps: [{ model: "mid" }] });
  });

  it("honours a configured model by name, with the model's own fallbacks", () => {
    expect(planRequest({ model: "big" }, meta({ promptChars: 5000 }), config)).toMatchObject({ route: "direct", strategy: "direct", steps: [{ model: "big", fallbacks: ["mid"] }] });
  });

  it("selects a route by name with route:<name>, whatever its match", () => {
    expect(planRequest({ model: "route:long" }, meta(), config)).toMatchObject({ route: "long", reason: "requested route:long" });
  });

  it("rejects unknown models and routes with 404", () => {
    for (const model of ["gpt-9", "route:nope"]) {
      try {
        planRequest({ model }, meta(), config);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(GatewayError);
        expect((e as GatewayError).status).toBe(404);
      }
    }
  });

  it("rejects auto with 400 when no route matches", () => {
    const noDefault = { ...config, routes: config.routes.filter((r) => r.name !== "default" && r.name !== "long") };
    expect(() => planRequest({ model: "auto" }, meta(), noDefault)).toThrow(/no route matches/);
  });
});
