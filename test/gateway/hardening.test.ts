/**
 * Hostile patterns and names through the whole gateway: config patterns the linear-time engine
 * cannot run are refused with their path; exponential ones (linear under RE2) answer at once on a
 * 10 KB input while /healthz keeps answering; a client's JSON schema with a pattern the engine
 * cannot run is a 400; prototype member names are unknown models and routes (404); an unchanged
 * config read 100 times is validated once.
 */
import { describe, expect, it } from "vitest";
import { configValidationCount } from "../../src/storage/config-store";
import { ADMIN, baseConfig, chat, fake, gw, ledger, putConfig, uniq } from "../support/gateway";

const HOSTILE = "a".repeat(10_240) + "!";
const EXPONENTIAL = "^(a+)+$";

async function putAdmin(doc: unknown): Promise<{ status: number; message: string }> {
  const res = await gw("/admin/config", { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(doc) });
  const body = (await res.json()) as { error?: { message: string } };
  return { status: res.status, message: body.error?.message ?? "" };
}

describe("config patterns run in linear time or are refused", () => {
  it.each([
    ["a lastUserMessage lookahead", { routes: [{ name: "r", match: { lastUserMessage: { pattern: "(?=secret)" } }, model: "echo" }] }, "$.routes[0].match.lastUserMessage.pattern"],
    ["a regex check backreference", { routes: [{ name: "r", match: {}, model: "echo", checks: [{ type: "regex", pattern: "(a)\\1" }] }] }, "$.routes[0].checks[0].pattern"],
    ["a json_schema check lookbehind", { routes: [{ name: "r", match: {}, model: "echo", checks: [{ type: "json_schema", schema: { properties: { v: { pattern: "(?<!x)y" } } } }] }] }, "$.routes[0].checks[0].schema.properties.v.pattern"],
  ])("%s is rejected with its path", async (_name, extra, path) => {
    const doc = { ...baseConfig(), ...extra };
    const { status, message } = await putAdmin(doc);
    expect(status).toBe(400);
    expect(message).toContain(path);
    expect(message).toContain("not a pattern the gateway can run safely");
  });

  it("exponential patterns in lastUserMessage, a regex check and a client schema answer a 10 KB input while /healthz answers", async () => {
    await putConfig(baseConfig({ raw: fake(`echo:raw:${uniq()}`) }, [
      { name: "hostile-match", match: { lastUserMessage: { pattern: EXPONENTIAL } }, model: "echo" },
      { name: "checked", match: {}, steps: [{ model: "raw", checks: [{ type: "regex", pattern: EXPONENTIAL }, { type: "json_schema" }] }, { model: "echo" }] },
    ]));
    const schema = { type: "object", properties: { v: { type: "string", pattern: EXPONENTIAL } }, patternProperties: { [EXPONENTIAL]: { type: "string" } } };
    const started = Date.now();
    const [answer, health] = await Promise.all([
      chat({ model: "auto", messages: [{ role: "user", content: JSON.stringify({ v: HOSTILE }) }], response_format: { type: "json_schema", json_schema: { name: "s", schema } } }),
      gw("/healthz"),
    ]);
    expect(health.status).toBe(200);
    expect(answer.status).toBe(200);
    // The first route did not match (linear-time "no"), the cascade's checks ran on the 10 KB answer and escalated.
    expect(answer.headers.get("x-tiergate-route")).toBe("checked");
    expect(answer.headers.get("x-tiergate-model")).toBe("echo");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("a client's JSON schema with a pattern the engine cannot run", () => {
  it("is a 400 naming where it is", async () => {
    await putConfig(baseConfig());
    const schema = { type: "object", properties: { v: { type: "string", pattern: "^(?!admin).*$" } } };
    const res = await chat({ model: "echo", messages: [{ role: "user", content: "x" }], response_format: { type: "json_schema", json_schema: { name: "s", schema } } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("response_format.json_schema.schema.properties.v.pattern");
  });
});

describe("names that are members of Object.prototype are unknown names", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "route:__proto__", "route:constructor", "route:toString"])("model %s → 404", async (model) => {
    await putConfig(baseConfig());
    const res = await chat({ model, messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("model_not_found");
  });

  it("a model and a provider really named constructor work", async () => {
    const doc = baseConfig({ constructor: { provider: "toString", id: "echo", price: { input: 1, output: 2 } } });
    (doc.providers as Record<string, unknown>)["toString"] = { type: "simulator", latencyMs: 0, tokensPerSecond: 1_000_000 };
    await putConfig(doc);
    const res = await chat({ model: "constructor", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(200);
  });
});

describe("the config is validated only when its text changes", () => {
  it("read 100 times unchanged (cache TTL 0: every request reads KV), it is validated once", async () => {
    await putConfig({ ...baseConfig(), $schema: `unchanged-${uniq()}` });
    const before = configValidationCount();
    for (let i = 0; i < 100; i++) expect((await gw("/v1/models")).status).toBe(200);
    expect(configValidationCount() - before).toBe(1);
    await putConfig({ ...baseConfig(), $schema: `changed-${uniq()}` });
    expect((await gw("/v1/models")).status).toBe(200);
    expect(configValidationCount() - before).toBe(2);
  });
});

describe("client-supplied strings are stored with a length cap", () => {
  it("a 5,000-character feature tag with ANSI escapes is stored capped at 128 characters", async () => {
    await putConfig(baseConfig());
    const feature = "\u001b[31mred\u001b[0m" + "x".repeat(5_000);
    const res = await chat({ model: "echo", messages: [{ role: "user", content: "x" }], metadata: { feature } });
    expect(res.status).toBe(200);
    const row = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(String(row.request.feature)).toHaveLength(128);
    expect(String(row.request.feature).startsWith("\u001b[31mred")).toBe(true);
  });
});
