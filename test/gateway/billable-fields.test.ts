/**
 * Fields that change what a provider bills — `service_tier` (priority, flex), web search
 * (`web_search_options`, Anthropic's web search tool, the Responses API's web_search tool) and
 * audio output (`modalities: ["audio"]`, `audio`) — pass only to models whose entry lists them
 * under `billable` (else 400 naming the field, nothing sent), and are priced in the ledger when
 * they do (tier multiplier, per-call web search fee, audio output rate) and in the reservation.
 */
import { describe, expect, it } from "vitest";
import { ADMIN, baseConfig, chat, fake, fakeAnthropic, gw, lastUpstreamRequest, ledger, messages, putConfig, uniq, upstreamRequests, userMessage } from "../support/gateway";

const billable = { serviceTier: { priority: 2, flex: 0.5 }, webSearch: { perCallUsd: 0.01 }, audioOutput: { outputPerMillion: 80 } };
const price = { input: 1, output: 2 };

function setup() {
  const run = uniq();
  const ids = { plain: `echo:plain:${run}`, rich: `echo:rich:${run}`, claude: `echo:claude:${run}`, lean: `echo:lean:${run}` };
  const config = baseConfig(
    {
      plain: fake(ids.plain, price),
      rich: fake(ids.rich, price, { billable }),
      claude: fakeAnthropic(ids.claude, price, { billable: { webSearch: { perCallUsd: 0.01 } } }),
      "rich-then-plain": fake(ids.lean, price, { billable, fallbacks: ["plain"] }),
    },
    [{ name: "default", match: {}, model: "plain" }],
  );
  return { ids, config };
}
const ask = (model: string, extra: Record<string, unknown> = {}) => chat({ model, max_tokens: 8, messages: userMessage("price these words please"), ...extra });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; param?: string } }).error;
const costOf = async (res: Response) => (await ledger(res.headers.get("x-tiergate-request-id"))).request.cost_usd as number;

describe("billable fields are refused unless the model allows them", () => {
  it("service_tier, web_search_options and audio output → 400 naming the field and the model; nothing is sent", async () => {
    const { ids, config } = setup();
    await putConfig(config);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ service_tier: "priority" }, "service_tier", "billable.serviceTier.priority"],
      [{ service_tier: "flex" }, "service_tier", "billable.serviceTier.flex"],
      [{ web_search_options: {} }, "web_search_options", "billable.webSearch"],
      [{ modalities: ["text", "audio"], audio: { voice: "alloy", format: "wav" } }, "modalities", "billable.audioOutput"],
      [{ audio: { voice: "alloy", format: "wav" } }, "modalities", "billable.audioOutput"],
    ];
    for (const [extra, param, field] of cases) {
      const res = await ask("plain", extra);
      expect(res.status, JSON.stringify(extra)).toBe(400);
      const err = await errorOf(res);
      expect(err).toMatchObject({ code: "billable_field_not_allowed", param });
      expect(err.message).toContain('model "plain"');
      expect(err.message).toContain(field);
    }
    expect(await upstreamRequests(ids.plain)).toHaveLength(0);
    // The default tier needs no permission; an unknown tier is refused everywhere.
    expect((await ask("plain", { service_tier: "default" })).status).toBe(200);
    expect((await ask("plain", { service_tier: "auto" })).status).toBe(200);
    expect(await errorOf(await ask("rich", { service_tier: "scale" }))).toMatchObject({ code: "billable_field_not_allowed", param: "service_tier" });
  });

  it("every model the plan may call must allow it: a fallback that does not → 400 naming the fallback", async () => {
    const { ids, config } = setup();
    await putConfig(config);
    const res = await ask("rich-then-plain", { service_tier: "priority" });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain('model "plain"');
    expect(await upstreamRequests(ids.lean)).toHaveLength(0);
  });

  it("/v1/messages' web search tool and /v1/responses' web_search tool are refused the same way", async () => {
    const { config } = setup();
    await putConfig(config);
    const tool = { type: "web_search_20250305", name: "web_search", max_uses: 5 };
    const m = await messages({ model: "plain", max_tokens: 8, messages: userMessage(), tools: [tool] });
    expect(m.status).toBe(400);
    expect((await m.json()) as unknown).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("billable.webSearch") } });
    const r = await gw("/v1/responses", { method: "POST", body: JSON.stringify({ model: "plain", input: "hi", max_output_tokens: 8, tools: [{ type: "web_search" }] }) });
    expect(r.status).toBe(400);
    expect(await errorOf(r)).toMatchObject({ code: "billable_field_not_allowed", param: "web_search_options" });
    const tier = await gw("/v1/responses", { method: "POST", body: JSON.stringify({ model: "plain", input: "hi", max_output_tokens: 8, service_tier: "priority" }) });
    expect(await errorOf(tier)).toMatchObject({ code: "billable_field_not_allowed", param: "service_tier" });
  });

  it("the config's billable entry is validated", async () => {
    for (const bad of [{ serviceTier: { priority: 0 } }, { serviceTier: { turbo: 2 } }, { webSearch: {} }, { audioOutput: { outputPerMillion: -1 } }, { video: true }]) {
      const doc = baseConfig({ x: fake("echo", price, { billable: bad } as never) });
      const res = await gw("/admin/config?validate=only", { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(doc) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.stringify(await res.json())).toContain("billable");
    }
  });
});

describe("allowed billable fields pass on and are priced", () => {
  it("service_tier multiplies the token prices (priority ×2, flex ×0.5) and reaches the upstream", async () => {
    const { ids, config } = setup();
    await putConfig(config);
    const base = await ask("rich");
    const priority = await ask("rich", { service_tier: "priority" });
    const flex = await ask("rich", { service_tier: "flex" });
    expect([base.status, priority.status, flex.status]).toEqual([200, 200, 200]);
    expect((await lastUpstreamRequest(ids.rich)).body.service_tier).toBe("flex");
    const [b, p, f] = [await costOf(base), await costOf(priority), await costOf(flex)];
    console.log(`service tier: default $${b}, priority $${p}, flex $${f}`);
    expect(b).toBeGreaterThan(0);
    expect(p).toBeCloseTo(2 * b, 12);
    expect(f).toBeCloseTo(0.5 * b, 12);
  });

  it("web search adds its per-call price; audio output prices the output tokens at the audio rate", async () => {
    const { ids, config } = setup();
    await putConfig(config);
    const base = await ask("rich");
    const search = await ask("rich", { web_search_options: { search_context_size: "low" } });
    const audio = await ask("rich", { modalities: ["text", "audio"], audio: { voice: "alloy", format: "wav" } });
    expect([base.status, search.status, audio.status]).toEqual([200, 200, 200]);
    expect((await lastUpstreamRequest(ids.rich)).body.modalities).toEqual(["text", "audio"]);
    const row = (await ledger(base.headers.get("x-tiergate-request-id"))).request;
    const [input, output] = [row.input_tokens as number, row.output_tokens as number];
    expect(await costOf(search)).toBeCloseTo((input * 1 + output * 2) / 1e6 + 0.01, 12);
    expect(await costOf(audio)).toBeCloseTo((input * 1 + output * 80) / 1e6, 12);
  });

  it("/v1/messages' web search tool reaches an allowing Anthropic model as a one-search server tool, priced per call", async () => {
    const { ids, config } = setup();
    await putConfig(config);
    const res = await messages({ model: "claude", max_tokens: 8, messages: userMessage(), tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 5 }] });
    expect(res.status).toBe(200);
    const sent = await lastUpstreamRequest(ids.claude);
    expect(sent.body.tools).toEqual([{ type: "web_search_20250305", name: "web_search", max_uses: 1 }]);
    const row = (await ledger(res.headers.get("x-tiergate-request-id"))).request;
    expect(row.cost_usd as number).toBeCloseTo(((row.input_tokens as number) * 1 + (row.output_tokens as number) * 2) / 1e6 + 0.01, 12);
  });

  it("the reservation counts the billable price: a web search fee past the key's budget is refused before it is sent", async () => {
    const { ids, config } = setup();
    await putConfig(config);
    const created = await gw("/admin/keys", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ name: `search-${uniq().slice(4)}`, models: ["rich"], budget: { limitUsd: 0.005, period: "day", alerts: [] } }) });
    const { key } = (await created.json()) as { key: string };
    const before = (await upstreamRequests(ids.rich)).length;
    const cheap = await chat({ model: "rich", max_tokens: 8, messages: userMessage("price these words please") }, {}, { key });
    expect(cheap.status).toBe(200);
    const searched = await chat({ model: "rich", max_tokens: 8, messages: userMessage("price these words please"), web_search_options: {} }, {}, { key });
    expect(searched.status).toBe(429);
    expect(await errorOf(searched)).toMatchObject({ code: "budget_exceeded" });
    expect((await upstreamRequests(ids.rich)).length).toBe(before + 1);
  });
});
