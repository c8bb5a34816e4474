/**
 * Each quality check both ways, through fake upstreams with real-shaped responses: an answer
 * that passes stays on the cheap tier; one that fails escalates to the next, and every attempt
 * and verdict is in the ledger.
 */
import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { assembleStream, baseConfig, chat, fake, ledger, putConfig, uniq, upstreamRequests, userMessage } from "../support/gateway";

type Check = NonNullable<ConfigInput["routes"][number]["checks"]>[number];

/** Tier 1 = `cheapId` (a fake-upstream scenario) with `check`; tier 2 = a healthy echo. */
async function cascade(cheapId: string, check: Check, cheapProvider = "up") {
  await putConfig(
    baseConfig({ cheap: { provider: cheapProvider, id: cheapId, price: { input: 0.1, output: 0.2 } }, strong: fake(`echo:${uniq()}`, { input: 5, output: 10 }) }, [
      { name: "cascade", match: {}, steps: [{ model: "cheap", checks: [check] }, { model: "strong" }] },
    ]),
  );
}

async function outcome(res: Response) {
  expect(res.status).toBe(200);
  const body = res.headers.get("content-type")?.includes("event-stream") ? await assembleStream(res) : await res.json();
  const entry = await ledger(res.headers.get("x-tiergate-request-id"));
  return { body, model: res.headers.get("x-tiergate-model"), quality: res.headers.get("x-tiergate-quality"), escalations: res.headers.get("x-tiergate-escalations"), ...entry };
}

const verdict = (attempts: Array<Record<string, unknown>>, i = 0) => JSON.parse(String(attempts[i]?.checks ?? "null")) as Array<{ type: string; passed: boolean | null; detail: string }> | null;

async function expectStays(res: Response, type: string) {
  const o = await outcome(res);
  expect(o).toMatchObject({ model: "cheap", quality: "passed", escalations: "0" });
  expect(o.request).toMatchObject({ served_model: "cheap", quality: "passed", escalations: 0, strategy: "cascade" });
  expect(o.attempts).toHaveLength(1);
  expect(verdict(o.attempts)?.[0]).toMatchObject({ type, passed: true });
  return o;
}

async function expectEscalates(res: Response, type: string) {
  const o = await outcome(res);
  expect(o).toMatchObject({ model: "strong", quality: "unchecked", escalations: "1" });
  expect(o.request).toMatchObject({ served_model: "strong", escalations: 1 });
  expect(o.attempts.map((a) => [a.kind, a.model, a.ok])).toEqual([["primary", "cheap", 1], ["escalation", "strong", 1]]);
  expect(verdict(o.attempts)?.[0]).toMatchObject({ type, passed: false });
  // Both tiers are paid for.
  expect(Number(o.request.cost_usd)).toBeCloseTo(Number(o.attempts[0]?.cost_usd) + Number(o.attempts[1]?.cost_usd), 12);
  return o;
}

describe("json_schema", () => {
  const schema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name", "age"] };
  const ask = (content: string, stream = false) =>
    chat({ messages: userMessage(content), response_format: { type: "json_schema", json_schema: { name: "person", schema } }, stream });

  it("valid JSON per the request's response_format stays on the cheap tier", async () => {
    await cascade(`echo:raw:${uniq()}`, { type: "json_schema" });
    await expectStays(await ask('{"name": "Ada", "age": 36}'), "json_schema");
  });

  it("JSON missing a required field escalates, with the violation recorded", async () => {
    await cascade(`echo:raw:${uniq()}`, { type: "json_schema" });
    const o = await expectEscalates(await ask('{"name": "Ada"}'), "json_schema");
    expect(verdict(o.attempts)?.[0]?.detail).toContain("schema violation");
  });

  it("text that is not JSON escalates; the schema can come from the check itself", async () => {
    await cascade(`echo:raw:${uniq()}`, { type: "json_schema", schema });
    await expectEscalates(await chat({ messages: userMessage("not json") }), "json_schema");
  });

  it("works for streaming clients: the checked answer is replayed as a stream", async () => {
    await cascade(`echo:raw:${uniq()}`, { type: "json_schema" });
    const res = await ask('{"name": "Ada", "age": 36}', true);
    const o = await expectStays(res, "json_schema");
    expect(o.body).toMatchObject({ text: '{"name": "Ada", "age": 36}', done: true });
    const res2 = await ask('{"oops": 1}', true);
    const o2 = await expectEscalates(res2, "json_schema");
    expect(o2.body).toMatchObject({ done: true });
  });
});

describe("length", () => {
  it("within bounds stays", async () => {
    await cascade(`echo:${uniq()}`, { type: "length", min: 5, max: 100 });
    await expectStays(await chat({ messages: userMessage("a fine answer") }), "length");
  });
  it("too short escalates", async () => {
    await cascade(`echo:${uniq()}`, { type: "length", min: 3, unit: "tokens" });
    // "echo: x" is 2 tokens from the upstream's usage.
    await expectEscalates(await chat({ messages: userMessage("x") }), "length");
  });
});

describe("contains and regex", () => {
  it("required terms present stay, missing escalate", async () => {
    await cascade(`echo:${uniq()}`, { type: "contains", terms: ["REFUND", "order"], mode: "all" });
    await expectStays(await chat({ messages: userMessage("refund for order 42") }), "contains");
    const o = await expectEscalates(await chat({ messages: userMessage("refund please") }), "contains");
    expect(verdict(o.attempts)?.[0]?.detail).toContain("missing: order");
  });

  it("a pattern that must match stays when it does and escalates when it does not", async () => {
    await cascade(`echo:${uniq()}`, { type: "regex", pattern: "\\b[A-Z]{3}-\\d{4}\\b" });
    await expectStays(await chat({ messages: userMessage("ticket ABC-1234") }), "regex");
    await expectEscalates(await chat({ messages: userMessage("no ticket") }), "regex");
  });
});

describe("logprob", () => {
  it("a confident answer stays; logprobs were asked upstream but not shown to the client", async () => {
    const id = `echo:logprob=-0.02:${uniq()}`;
    await cascade(id, { type: "logprob", minMean: -0.5 });
    const o = await expectStays(await chat({ messages: userMessage("sure thing") }), "logprob");
    expect((await upstreamRequests(id)).at(-1)?.body.logprobs).toBe(true);
    expect((o.body as { choices: Array<{ logprobs: unknown }> }).choices[0]?.logprobs).toBeNull();
  });

  it("an unsure answer escalates", async () => {
    await cascade(`echo:logprob=-2.5:${uniq()}`, { type: "logprob", minMean: -0.5 });
    const o = await expectEscalates(await chat({ messages: userMessage("maybe this") }), "logprob");
    expect(verdict(o.attempts)?.[0]?.detail).toMatch(/mean -2\.5/);
  });

  it("is skipped, with the reason recorded, where the provider returns no logprobs", async () => {
    const base = baseConfig();
    // Groq's preset says it returns no logprobs; the fake upstream plays Groq at its base URL.
    const providers = { ...base.providers, nolog: { type: "openai" as const, preset: "groq" as const, baseUrl: (base.providers.up as { baseUrl: string }).baseUrl, keySecret: "TEST_UPSTREAM_API_KEY" } };
    const id = `echo:logprob=-3:${uniq()}`;
    await putConfig({ ...base, providers, models: { ...base.models, cheap: { provider: "nolog", id, price: { input: 0.1, output: 0.2 } }, strong: fake("echo") }, routes: [{ name: "c", match: {}, steps: [{ model: "cheap", checks: [{ type: "logprob", minMean: -0.5 }] }, { model: "strong" }] }] });
    const o = await outcome(await chat({ messages: userMessage("no logprobs here") }));
    expect(o).toMatchObject({ model: "cheap", quality: "passed" });
    expect(verdict(o.attempts)?.[0]).toMatchObject({ type: "logprob", passed: null, detail: expect.stringContaining("does not return logprobs") });
    expect((await upstreamRequests(id)).at(-1)?.body).not.toHaveProperty("logprobs");
  });
});

describe("self_consistency", () => {
  it("agreeing samples stay, and the extra sample is recorded and paid for", async () => {
    const id = `echo:${uniq()}`;
    await cascade(id, { type: "self_consistency", samples: 2, compare: "normalized" });
    const o = await outcome(await chat({ messages: userMessage("same every time") }));
    expect(o).toMatchObject({ model: "cheap", quality: "passed" });
    expect(o.attempts.map((a) => a.kind)).toEqual(["primary", "sample"]);
    expect(await upstreamRequests(id)).toHaveLength(2);
    expect(Number(o.request.cost_usd)).toBeCloseTo(Number(o.attempts[0]?.cost_usd) * 2, 12);
  });

  it("disagreeing samples escalate", async () => {
    await cascade(`echo:vary:${uniq()}`, { type: "self_consistency", samples: 2 });
    const o = await outcome(await chat({ messages: userMessage("different every time") }));
    expect(o).toMatchObject({ model: "strong", escalations: "1" });
    expect(o.attempts.map((a) => [a.kind, a.model])).toEqual([["primary", "cheap"], ["sample", "cheap"], ["escalation", "strong"]]);
    expect(verdict(o.attempts)?.[0]).toMatchObject({ type: "self_consistency", passed: false });
  });
});

describe("finish", () => {
  it("a finished answer stays", async () => {
    await cascade(`echo:${uniq()}`, { type: "finish" });
    await expectStays(await chat({ messages: userMessage("done") }), "finish");
  });
  it("a truncated answer escalates", async () => {
    await cascade(`echo:finish=length:${uniq()}`, { type: "finish" });
    await expectEscalates(await chat({ messages: userMessage("cut short") }), "finish");
  });
  it("a refusal escalates", async () => {
    await cascade(`echo:refusal=I_cannot_help:${uniq()}`, { type: "finish" });
    const o = await expectEscalates(await chat({ messages: userMessage("please") }), "finish");
    expect(verdict(o.attempts)?.[0]?.detail).toBe("the model refused");
  });
});

describe("the last tier and error fallbacks", () => {
  it("returns the last tier's answer when it also fails, marked failed", async () => {
    await putConfig(baseConfig({ a: fake(`echo:${uniq()}`), b: fake(`echo:${uniq()}`) }, [
      { name: "c", match: {}, steps: [{ model: "a", checks: [{ type: "contains", terms: ["zzz"] }] }, { model: "b", checks: [{ type: "contains", terms: ["zzz"] }] }] },
    ]));
    const o = await outcome(await chat({ messages: userMessage("nothing") }));
    expect(o).toMatchObject({ model: "b", quality: "failed", escalations: "1" });
    expect(o.request).toMatchObject({ quality: "failed", status: "ok" });
  });

  it("keeps error fallbacks within a tier distinct from escalation", async () => {
    await putConfig(baseConfig({ cheap: fake(`status:503:${uniq()}`), cheap2: fake(`echo:${uniq()}`), strong: fake("echo") }, [
      { name: "c", match: {}, steps: [{ model: "cheap", fallbacks: ["cheap2"], checks: [{ type: "length", min: 1 }] }, { model: "strong" }] },
    ]));
    const o = await outcome(await chat({ messages: userMessage("hi") }));
    expect(o).toMatchObject({ model: "cheap2", quality: "passed", escalations: "0" });
    expect(o.attempts.map((a) => [a.kind, a.model, a.ok])).toEqual([["primary", "cheap", 0], ["fallback", "cheap2", 1]]);
  });

  it("serves the rejected cheap answer, marked failed, when the escalation target is down", async () => {
    await putConfig(baseConfig({ cheap: fake(`echo:${uniq()}`), strong: fake(`status:500:${uniq()}`) }, [
      { name: "c", match: {}, steps: [{ model: "cheap", checks: [{ type: "contains", terms: ["zzz"] }] }, { model: "strong" }] },
    ]));
    const o = await outcome(await chat({ messages: userMessage("hi") }));
    expect(o).toMatchObject({ model: "cheap", quality: "failed" });
  });
});
