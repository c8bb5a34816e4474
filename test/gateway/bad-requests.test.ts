import { beforeAll, describe, expect, it } from "vitest";
import { baseConfig, chat, gw, ledger, putConfig, userMessage } from "../support/gateway";

beforeAll(async () => putConfig(baseConfig()));

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { message: string; type: string; code: string } };
  expect(body.error).toMatchObject({ type: "invalid_request_error", code });
  expect(body.error.message.length).toBeGreaterThan(5);
  const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
  expect(request).toMatchObject({ status: "error", http_status: status });
  expect(attempts).toHaveLength(0);
  return body.error;
}

describe("bad request bodies get OpenAI-style errors, are recorded, and reach no upstream", () => {
  it("malformed JSON → 400", async () => {
    const e = await expectError(await chat('{"model": "auto", "messages": ['), 400, "invalid_json");
    expect(e.message).toContain("not valid JSON");
  });

  it("an empty body → 400", async () => {
    await expectError(await chat(""), 400, "invalid_json");
  });

  it("no messages → 400 naming the field", async () => {
    const e = await expectError(await chat({ model: "auto" }), 400, "invalid_request_body");
    expect(e.message).toMatch(/^messages:/);
  });

  it("empty messages → 400", async () => {
    await expectError(await chat({ model: "auto", messages: [] }), 400, "invalid_request_body");
  });

  it.each([
    ["model is a number", { model: 4, messages: userMessage() }, "model"],
    ["temperature is a string", { messages: userMessage(), temperature: "hot" }, "temperature"],
    ["a message has an unknown role", { messages: [{ role: "robot", content: "x" }] }, "messages[0]"],
    ["content is a number", { messages: [{ role: "user", content: 42 }] }, "messages[0]"],
    ["stream is a string", { messages: userMessage(), stream: "yes" }, "stream"],
    ["n is zero", { messages: userMessage(), n: 0 }, "n"],
    ["tools is an object", { messages: userMessage(), tools: { a: 1 } }, "tools"],
    ["the body is an array", [1, 2, 3], ""],
  ])("wrong types (%s) → 400 with the field named", async (_name, body, param) => {
    const e = await expectError(await chat(body), 400, "invalid_request_body");
    if (param) expect(e.message.startsWith(param)).toBe(true);
  });

  it("a 2 MB body → 413", async () => {
    const huge = { model: "auto", messages: userMessage("x".repeat(2 * 1024 * 1024)) };
    await expectError(await chat(huge), 413, "request_too_large");
  });

  it("an unknown model → 404 listing what can be asked for", async () => {
    const res = await chat({ model: "gpt-9", messages: userMessage() });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; param: string } };
    expect(body.error).toMatchObject({ code: "model_not_found", param: "model" });
    expect(body.error.message).toContain("route:default");
  });

  it("the gateway keeps serving afterwards", async () => {
    expect((await chat({ messages: userMessage() })).status).toBe(200);
    expect((await gw("/healthz")).status).toBe(200);
  });
});
