import { beforeEach, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { clearLlmTierCache } from "../../src/execution/llm-classifier";
import { resetHealthView } from "../../src/storage/model-health";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, uniq, upstreamRequests, userMessage } from "../support/gateway";

const explain = async (body: unknown) => {
  const res = await gw("/admin/explain", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { plan: Record<string, unknown> & { steps: Array<{ model: string }>; cooling?: string[] }; trace: Array<{ route: string; matched: boolean }> };
};

beforeEach(() => {
  clearLlmTierCache();
});

describe("the llm classifier", () => {
  const tiers = { "1": "t1", "2": "t2", "3": "t3" };
  const models = (rater: string) => ({ rater: fake(rater, { input: 0.01, output: 0.02 }), t1: fake(`echo:${uniq()}`), t2: fake(`echo:${uniq()}`), t3: fake(`echo:${uniq()}`) });

  it("asks the rater for one token, routes by its digit, and records the call's cost on the request", async () => {
    const rater = `echo:reply=3:${uniq()}`;
    await putConfig(baseConfig(models(rater), [{ name: "auto", match: {}, classifier: { type: "llm", model: "rater", tiers } }]));
    const res = await chat({ messages: userMessage("Design a distributed lock service") });
    expect(res.headers.get("x-tiergate-model")).toBe("t3");
    expect(res.headers.get("x-tiergate-tier")).toBe("3");
    const [sent] = await upstreamRequests(rater);
    expect(sent?.body).toMatchObject({ max_tokens: 1, temperature: 0 });
    expect(JSON.stringify(sent?.body.messages)).toContain("Rate this request's complexity 1-3");
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(attempts.map((a) => [a.kind, a.model])).toEqual([["classifier", "rater"], ["primary", "t3"]]);
    expect(request).toMatchObject({ classifier: "llm", classifier_tier: 3, strategy: "classifier", served_model: "t3" });
    expect(Number(request.cost_usd)).toBeCloseTo(Number(attempts[0]?.cost_usd) + Number(attempts[1]?.cost_usd), 12);
    expect(Number(attempts[0]?.cost_usd)).toBeGreaterThan(0);
  });

  it("caches verdicts by prompt: the same prompt is rated once", async () => {
    const rater = `echo:reply=1:${uniq()}`;
    await putConfig(baseConfig(models(rater), [{ name: "auto", match: {}, classifier: { type: "llm", model: "rater", tiers } }]));
    const prompt = userMessage(`What time is it? ${uniq()}`);
    expect((await chat({ messages: prompt })).headers.get("x-tiergate-model")).toBe("t1");
    const second = await chat({ messages: prompt });
    expect(second.headers.get("x-tiergate-model")).toBe("t1");
    expect(await upstreamRequests(rater)).toHaveLength(1);
    const { attempts } = await ledger(second.headers.get("x-tiergate-request-id"));
    expect(attempts.map((a) => a.kind)).toEqual(["primary"]);
  });

  it("uses the default tier when the rater times out or answers nonsense", async () => {
    await putConfig(baseConfig(models(`slow:3000:${uniq()}`), [{ name: "auto", match: {}, classifier: { type: "llm", model: "rater", timeoutMs: 200, defaultTier: 2, tiers } }]));
    const started = Date.now();
    const res = await chat({ messages: userMessage("anything") });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.headers.get("x-tiergate-model")).toBe("t2");
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(attempts[0]).toMatchObject({ kind: "classifier", ok: 0, error_class: "timeout" });
    expect(JSON.parse(String(request.plan))).toMatchObject({ classifier: { source: "default", tier: 2 } });

    await putConfig(baseConfig(models(`echo:reply=banana:${uniq()}`), [{ name: "auto", match: {}, classifier: { type: "llm", model: "rater", defaultTier: 1, tiers } }]));
    expect((await chat({ messages: userMessage("anything else") })).headers.get("x-tiergate-model")).toBe("t1");
  });

  it("defaults to the cheapest configured model as the rater", async () => {
    const rater = `echo:reply=2:${uniq()}`;
    await putConfig(baseConfig({ ...models(rater), rater: fake(rater, { input: 0.001, output: 0.001 }) }, [{ name: "auto", match: {}, classifier: { type: "llm", tiers } }]));
    expect((await chat({ messages: userMessage("rate me") })).headers.get("x-tiergate-model")).toBe("t2");
    expect(await upstreamRequests(rater)).toHaveLength(1);
  });
});

describe("the local classifier", () => {
  it("routes in the Worker with no extra call, recording tier and score", async () => {
    const t1 = `echo:${uniq()}`;
    await putConfig(baseConfig({ t1: fake(t1), t3: fake(`echo:${uniq()}`) }, [{ name: "auto", match: {}, classifier: { type: "local", thresholds: { "2": 0.99, "3": 0.995 }, tiers: { "1": "t1", "3": "t3" } } }]));
    const res = await chat({ messages: userMessage("hello") });
    expect(res.headers.get("x-tiergate-model")).toBe("t1");
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(attempts).toHaveLength(1);
    expect(request).toMatchObject({ classifier: "local", classifier_tier: 1 });
    expect(Number(request.classifier_score)).toBeGreaterThan(0);
    expect(Number(request.classifier_score)).toBeLessThan(1);
  });
});

describe("shadow mode", () => {
  it("serves the requested model and records the route's choice with its projected cost", async () => {
    await putConfig(
      baseConfig({ "gpt-4o": fake(`echo:${uniq()}`, { input: 2.5, output: 10 }), mini: fake(`echo:${uniq()}`, { input: 0.15, output: 0.6 }) }, [
        { name: "measure", match: {}, shadow: true, model: "mini" },
      ]),
    );
    const res = await chat({ model: "gpt-4o", messages: userMessage("what would routing do") });
    expect(res.headers.get("x-tiergate-model")).toBe("gpt-4o");
    expect(res.headers.get("x-tiergate-route")).toBe("measure");
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ strategy: "shadow", served_model: "gpt-4o", shadow_model: "mini" });
    const tokens = { in: Number(request.input_tokens), out: Number(request.output_tokens) };
    expect(Number(request.shadow_cost_usd)).toBeCloseTo((tokens.in * 0.15 + tokens.out * 0.6) / 1e6, 12);
    expect(Number(request.cost_usd)).toBeCloseTo((tokens.in * 2.5 + tokens.out * 10) / 1e6, 12);
  });
});

describe("the circuit breaker", () => {
  it("cools a failing model down across requests: later requests try the healthy one first", async () => {
    resetHealthView();
    const primary = `status:500:${uniq()}`;
    const base = baseConfig({ primary: fake(primary), backup: fake(`echo:${uniq()}`) }, [{ name: "default", match: {}, model: "primary", fallbacks: ["backup"] }]);
    // A model alias of its own, so no other test's failures count.
    const alias = `primary-${uniq().slice(4)}`;
    const doc: ConfigInput = { ...base, defaults: { ...base.defaults, breaker: { failures: 2, windowMs: 60_000, cooldownMs: 30_000 } }, models: { ...base.models, [alias]: fake(primary) }, routes: [{ name: "default", match: {}, model: alias, fallbacks: ["backup"] }] };
    await putConfig(doc);
    for (let i = 0; i < 2; i++) expect((await chat({ messages: userMessage("x") })).headers.get("x-tiergate-attempts")).toBe("2");
    // The breaker's view reaches this isolate in the background; wait for it through explain.
    let cooling: string[] | undefined;
    for (let i = 0; i < 60 && !cooling?.includes(alias); i++) {
      cooling = (await explain({ messages: userMessage("x") })).plan.cooling;
      if (!cooling?.includes(alias)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(cooling).toContain(alias);
    const res = await chat({ messages: userMessage("x") });
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("backup:ok");
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(JSON.parse(String(request.plan))).toMatchObject({ cooling: [alias], steps: [{ model: "backup", fallbacks: [alias] }] });
  });
});

describe("/admin/explain", () => {
  const routes: ConfigInput["routes"] = [
    { name: "extract", match: { feature: "extract" }, steps: [{ model: "cheap", checks: [{ type: "contains", terms: ["zzz"] }] }, { model: "strong", fallbacks: ["cheap"] }] },
    { name: "tools", match: { hasTools: true }, model: "strong" },
    { name: "local", match: { feature: "auto" }, classifier: { type: "local", tiers: { "1": "cheap", "2": "strong", "3": "strong" } } },
    { name: "default", match: {}, model: "cheap", fallbacks: ["strong"] },
  ];

  it("needs the admin token", async () => {
    expect((await gw("/admin/explain", { method: "POST", body: "{}" })).status).toBe(401);
  });

  it.each([
    ["a cascade that escalates", { messages: userMessage("hello") }, { "x-tiergate-feature": "extract" }, ["cheap", "strong"]],
    ["a rule on tools", { messages: userMessage("hello"), tools: [{ type: "function", function: { name: "f" } }] }, {}, ["strong"]],
    ["the local classifier", { messages: userMessage("Prove Fermat's little theorem.") }, { "x-tiergate-feature": "auto" }, null],
    ["the default route", { messages: userMessage("hello") }, {}, ["cheap"]],
  ])("gives the plan execution then follows: %s", async (_name, body, headers, models) => {
    await putConfig(baseConfig({ cheap: fake(`echo:${uniq()}`), strong: fake(`echo:${uniq()}`) }, routes));
    const explained = await explain({ body, headers });
    const res = await chat(body, headers as Record<string, string>);
    expect(res.status).toBe(200);
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(JSON.parse(String(request.plan))).toEqual(explained.plan);
    const walked = attempts.map((a) => a.model);
    if (models) expect(walked).toEqual(models);
    else expect(walked[0]).toBe(explained.plan.steps[0]?.model);
    expect(explained.trace.at(-1)?.matched).toBe(true);
  });

  it("takes the client headers from this request when the body is a plain chat request", async () => {
    await putConfig(baseConfig({ cheap: fake("echo"), strong: fake("echo") }, routes));
    const res = await gw("/admin/explain", { method: "POST", headers: { ...ADMIN, "x-tiergate-feature": "extract" }, body: JSON.stringify({ messages: userMessage("hi") }) });
    expect(((await res.json()) as { plan: { route: string } }).plan.route).toBe("extract");
  });

  it("answers a bad body with an OpenAI-style 400", async () => {
    const res = await gw("/admin/explain", { method: "POST", headers: ADMIN, body: JSON.stringify({ messages: [] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_request_body" } });
  });
});

describe("/v1/feedback", () => {
  it("stores downstream success for a request, also before its ledger row lands, and rejects bad ids and empty reports", async () => {
    await putConfig(baseConfig());
    const res = await chat({ messages: userMessage("hi") });
    const id = res.headers.get("x-tiergate-request-id") as string;
    await ledger(id);
    const ok = await gw("/v1/feedback", { method: "POST", body: JSON.stringify({ request_id: id, success: true, label: "accepted" }) });
    expect(ok.status).toBe(201);
    const { results } = await (await import("../support/env")).testEnv().LEDGER.prepare("SELECT * FROM feedback WHERE request_id = ?1").bind(id).all();
    expect(results[0]).toMatchObject({ success: 1, label: "accepted" });
    expect((await gw("/v1/feedback", { method: "POST", body: JSON.stringify({ request_id: "nope", success: false }) })).status).toBe(400);
    const pending = await gw("/v1/feedback", { method: "POST", body: JSON.stringify({ request_id: "req_notwrittenyet0000", success: false }) });
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ ok: true, request: "not_yet_recorded" });
    expect((await gw("/v1/feedback", { method: "POST", body: JSON.stringify({ request_id: id }) })).status).toBe(400);
  });
});
