// The simulator's pure code in the Workers runtime: a replayed traffic log gets exactly the plans
// POST /admin/explain gives for the same requests and config; and GET /admin/stats/traffic over
// ledger rows written by real requests through the gateway (simulator provider).
import { beforeEach, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { sha256Hex } from "../../src/core/hash";
import { clearLlmTierCache } from "../../src/execution/llm-classifier";
import { validateConfig } from "../../src/config/validate";
import { lineMeta, Replay } from "../../src/simulate/replay";
import { parseTrafficLine } from "../../src/simulate/traffic-log";
import type { TrafficMixReport } from "../../src/simulate/traffic-mix";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, uniq, userMessage } from "../support/gateway";

beforeEach(() => {
  clearLlmTierCache();
});

const PARTNER_KEY = "sk-partner-0123456789";

async function explainConfig(): Promise<ConfigInput> {
  const routes: ConfigInput["routes"] = [
    { name: "remap", match: { model: ["gpt-4"] }, model: "cheap" },
    { name: "vip", match: { userTier: "enterprise" }, model: "strong" },
    { name: "partner", match: { key: "partner" }, model: "strong", fallbacks: ["cheap"] },
    { name: "extract", match: { feature: "extract" }, steps: [{ model: "cheap", checks: [{ type: "json_schema" }, { type: "finish" }] }, { model: "strong" }] },
    { name: "tools", match: { hasTools: true }, model: "strong" },
    { name: "json", match: { hasResponseFormat: true }, model: "cheap" },
    { name: "translate", match: { lastUserMessage: { pattern: "^translate\\b", flags: "i" } }, model: "cheap" },
    { name: "long", match: { minPromptChars: 2_000 }, model: "strong" },
    { name: "ab", match: { feature: "chat", split: { percent: 50, by: "user" } }, model: "strong" },
    { name: "rate", match: { feature: "rate" }, classifier: { type: "llm", model: "cheap", defaultTier: 2, tiers: { "1": "cheap", "2": "strong", "3": { steps: [{ model: "strong", checks: [{ type: "length", min: 1 }] }, { model: "cheap" }] } } } },
    { name: "measure", match: { feature: "shadow" }, shadow: true, classifier: { type: "local", tiers: { "1": "cheap", "3": "strong" } } },
    { name: "default", match: {}, classifier: { type: "local", shares: { "2": 0.25, "3": 0.05 }, tiers: { "1": ["cheap", "strong"], "2": "strong", "3": { steps: [{ model: "strong" }] } } } },
  ];
  const doc = baseConfig({ cheap: fake(`echo:${uniq()}`, { input: 0.15, output: 0.6 }), strong: fake(`echo:${uniq()}`, { input: 3, output: 15 }) }, routes);
  doc.access = { requireKey: false, keys: [{ name: "partner", keySha256: await sha256Hex(PARTNER_KEY), team: "bd", userTier: "pro" }] };
  return doc;
}

/** A traffic log as a user would write it, one request per line. */
const LOG = [
  { id: "extract", feature: "extract", prompt: "Extract the total from: Invoice 12, total $40", response_format: "json_object", input_tokens: 300, output_tokens: 40 },
  { id: "tools", prompt: "What's the weather in Oslo?", has_tools: true, input_tokens: 120, output_tokens: 30 },
  { id: "json", prompt: "List three colours", response_format: "json_schema", input_tokens: 20, output_tokens: 30 },
  { id: "translate", prompt: "Translate to French: good morning", input_tokens: 12, output_tokens: 6 },
  { id: "long", prompt: "lorem ipsum ".repeat(250), input_tokens: 750, output_tokens: 100 },
  { id: "long-length-only", prompt_chars: 2_500, input_tokens: 625, output_tokens: 100 },
  ...["u-1", "u-2", "u-3", "u-4", "u-5", "u-6"].map((user) => ({ id: `chat-${user}`, feature: "chat", user, prompt: "hello again", input_tokens: 5, output_tokens: 9 })),
  { id: "rate-labelled", feature: "rate", prompt: "Prove the four colour theorem", labels: { tier: 3 }, input_tokens: 10, output_tokens: 2_000 },
  { id: "rate-unlabelled", feature: "rate", prompt: "What day is it?", input_tokens: 8, output_tokens: 5 },
  { id: "remap", model: "gpt-4", prompt: "an old client", input_tokens: 6, output_tokens: 20 },
  { id: "named", model: "strong", prompt: "asked by name", input_tokens: 6, output_tokens: 20 },
  { id: "by-route", model: "route:extract", prompt: "routed by name", input_tokens: 6, output_tokens: 20 },
  { id: "vip", user_tier: "enterprise", prompt: "vip request", input_tokens: 6, output_tokens: 20 },
  { id: "partner", key: "partner", prompt: "from a partner", input_tokens: 6, output_tokens: 20 },
  { id: "shadow", feature: "shadow", prompt: "Design a lock-free hash map and prove it linearizable", input_tokens: 20, output_tokens: 900 },
  { id: "simple", prompt: "What is the capital of France?", input_tokens: 10, output_tokens: 5 },
  { id: "medium", prompt: "Summarise this paragraph in one sentence: the cat sat on the mat.", input_tokens: 20, output_tokens: 15 },
  { id: "hard", prompt: [{ role: "system", content: "Be rigorous." }, { role: "user", content: "Prove that there are infinitely many primes of the form 4k+3, and explain each step rigorously." }], input_tokens: 40, output_tokens: 700 },
] as const;

type LogLine = { id: string; prompt?: unknown; prompt_chars?: number; model?: string; feature?: string; user?: string; user_tier?: string; key?: string; has_tools?: boolean; response_format?: string; labels?: { tier?: number } };

/** The same request as a client would send it, for /admin/explain. */
function explainDoc(line: LogLine): Record<string, unknown> {
  const messages = line.prompt_chars !== undefined ? userMessage("x".repeat(line.prompt_chars)) : typeof line.prompt === "string" ? userMessage(line.prompt) : line.prompt;
  const body: Record<string, unknown> = { model: line.model ?? "auto", messages };
  if (line.has_tools) body.tools = [{ type: "function", function: { name: "weather" } }];
  if (line.response_format) body.response_format = line.response_format === "json_schema" ? { type: "json_schema", json_schema: { name: "answer" } } : { type: line.response_format };
  if (line.user) body.user = line.user;
  const headers: Record<string, string> = {};
  if (line.feature) headers["x-tiergate-feature"] = line.feature;
  if (line.user_tier) headers["x-tiergate-user-tier"] = line.user_tier;
  if (line.key) headers.authorization = `Bearer ${PARTNER_KEY}`;
  const doc: Record<string, unknown> = { body, headers };
  if (line.labels?.tier) doc.signals = { llmTier: { tier: line.labels.tier, source: "llm" } };
  return doc;
}

async function explain(doc: unknown) {
  const res = await gw("/admin/explain", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(doc) });
  expect(res.status).toBe(200);
  return (await res.json()) as { plan: { route: string; strategy: string; steps: unknown[] }; request: Record<string, unknown> };
}

describe("a replayed traffic log", () => {
  it("gets the plan /admin/explain gives for the same request and config, line by line", async () => {
    const doc = await explainConfig();
    await putConfig(doc);
    const v = validateConfig(doc);
    if (!v.ok) throw new Error(v.message);
    const config = v.config;
    const replay = new Replay(config, "big");
    const routes = new Set<string>();
    for (const [i, raw] of LOG.entries()) {
      const parsed = parseTrafficLine(JSON.stringify(raw), i + 1);
      if (!parsed.ok || !parsed.value) throw new Error(`line ${i + 1}: ${parsed.ok ? "blank" : parsed.message}`);
      const outcome = replay.add(parsed.value);
      if (!outcome.ok) throw new Error(`line ${i + 1}: ${outcome.message}`);
      expect(outcome.decisions, raw.id).toHaveLength(1);
      const decision = outcome.decisions[0]!;
      const explained = await explain(explainDoc(raw as LogLine));
      expect(decision.plan, raw.id).toEqual(explained.plan);
      routes.add(decision.plan.route);

      // The metadata routing saw is the gateway's too (tools add their JSON to the gateway's prompt text).
      const meta = lineMeta(parsed.value, config);
      const seen = { feature: meta.feature ?? null, userTier: meta.userTier ?? null, team: meta.team ?? null, key: meta.keyName ?? null, hasTools: meta.hasTools, hasResponseFormat: meta.hasResponseFormat };
      expect(explained.request, raw.id).toMatchObject(seen);
      if (!("has_tools" in raw)) expect(meta.promptChars, raw.id).toBe(explained.request.promptChars);
    }
    // Every route of the config was exercised, the A/B split on both sides.
    expect([...routes].sort()).toEqual(["ab", "default", "direct", "extract", "json", "long", "measure", "partner", "rate", "remap", "tools", "translate", "vip"].sort());
    const chats = LOG.filter((l) => "feature" in l && l.feature === "chat").length;
    expect(replay.report().byRoute?.find((r) => r.key === "ab")?.requests).toBeLessThan(chats);
  });
});

// ---- GET /admin/stats/traffic --------------------------------------------------------------

type Stats = TrafficMixReport;

async function stats(query: string): Promise<Response> {
  return gw(`/admin/stats/traffic${query}`, { headers: ADMIN });
}

describe("GET /admin/stats/traffic", () => {
  it("reports the traffic mix and the budget share of rows written by real requests", async () => {
    const models = {
      "sim-small": { provider: "sim", id: "small", tier: 1 as const, price: { input: 0.15, output: 0.6 } },
      "sim-big": { provider: "sim", id: "big", tier: 2 as const, price: { input: 3, output: 15 } },
    };
    await putConfig(
      baseConfig(models, [
        { name: "classify", match: { feature: "classify" }, model: "sim-small" },
        { name: "extract", match: { feature: "extract" }, steps: [{ model: "sim-small", checks: [{ type: "contains", terms: ["zzz-never"] }] }, { model: "sim-big" }] },
        // Shadow mode: sim-big serves; the classifier (thresholds no score reaches) rates every request tier 1.
        { name: "measure", match: { feature: "chat" }, shadow: { serve: "sim-big" }, classifier: { type: "local", thresholds: { "2": 0.999, "3": 0.9999 }, tiers: { "1": "sim-small", "2": "sim-big" } } },
        { name: "default", match: {}, model: "sim-big" },
      ]),
    );
    const from = Date.now();
    const send = async (feature: string, content: string) => {
      const res = await chat({ messages: userMessage(content) }, { "x-tiergate-feature": feature });
      expect(res.status).toBe(200);
      const id = res.headers.get("x-tiergate-request-id");
      await ledger(id);
      return id as string;
    };
    const classify = [];
    for (let i = 0; i < 4; i++) classify.push(await send("classify", `Is this spam? ${i}`));
    await send("extract", "Extract the fields");
    await send("chat", "hello");
    await send("chat", "x".repeat(2_400)); // ~600 input tokens
    await send("code", "Write a parser");
    // A client says one classify answer did not work: that request no longer counts as taken.
    expect((await gw("/v1/feedback", { method: "POST", body: JSON.stringify({ request_id: classify[0], success: false }) })).status).toBe(201);
    // A body the gateway rejects is in the ledger as an error, not in the mix.
    const bad = await chat("{not json", { "x-tiergate-feature": "classify" });
    expect(bad.status).toBe(400);
    await ledger(bad.headers.get("x-tiergate-request-id"));
    const to = Date.now() + 1;

    const res = await stats(`?from=${from}&to=${new Date(to).toISOString()}`);
    expect(res.status).toBe(200);
    const r = (await res.json()) as Stats;
    expect(r.requests).toBe(8);
    expect(r.excluded).toEqual({ error: 1 });
    const byFeature = Object.fromEntries(r.byFeature.map((f) => [f.key, f]));
    expect(byFeature.classify).toMatchObject({ requests: 4, share: 0.5, budgetTaken: 3, budgetCouldTake: 0, budgetShare: 0.75 });
    expect(byFeature.chat).toMatchObject({ requests: 2, share: 0.25, budgetTaken: 0, budgetCouldTake: 2, budgetShare: 1 });
    expect(byFeature.extract).toMatchObject({ requests: 1, budgetTaken: 0, budgetCouldTake: 0 }); // escalated
    expect(byFeature.code).toMatchObject({ requests: 1, budgetTaken: 0, budgetCouldTake: 0 });
    expect(r.byPromptLength.map((b) => b.key)).toEqual(["0-99", "100-499", "500-1999", "2000-7999", "8000-31999", "32000+"]);
    expect(r.byPromptLength.reduce((s, b) => s + b.requests, 0)).toBe(8);
    expect(r.byPromptLength.find((b) => b.key === "500-1999")?.requests).toBe(1);
    expect(r.budget.tier1Models).toContain("sim-small");
    expect(r.budget.taken).toMatchObject({ requests: 3, share: 3 / 8 });
    expect(r.budget.couldTake).toMatchObject({ requests: 2, share: 2 / 8, model: "sim-small" });
    expect(r.budget.couldTake.onBudgetCostUsd).toBeLessThan(r.budget.couldTake.costUsd);
    expect(r.budget.total).toEqual({ requests: 5, share: 5 / 8 });
    expect(r.budget.definition).toMatch(/tier-1 model/);

    // The costs are the ledger's.
    const chatCost = r.byFeature.find((f) => f.key === "chat")?.costUsd ?? 0;
    expect(r.budget.couldTake.costUsd).toBeCloseTo(chatCost, 12);

    // A period with nothing in it.
    const empty = (await (await stats(`?from=2001-01-01&to=2001-02-01`)).json()) as Stats;
    expect(empty).toMatchObject({ requests: 0, excluded: {}, byFeature: [] });
  });

  it("needs the admin token and names a bad parameter", async () => {
    await putConfig(baseConfig());
    expect((await gw("/admin/stats/traffic")).status).toBe(401);
    const bad = await stats("?from=last-tuesday");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_parameter", param: "from" } });
    const reversed = await stats("?from=2026-05-01&to=2026-04-01");
    expect(reversed.status).toBe(400);
    expect(await reversed.json()).toMatchObject({ error: { param: "from" } });
    const budget = await stats("?budget=gpt-9");
    expect(budget.status).toBe(400);
    expect(await budget.json()).toMatchObject({ error: { param: "budget", message: expect.stringContaining("unknown model") } });
  });
});
