/**
 * Fallbacks treat every provider alike: an Anthropic 529 (overloaded) before the first byte, as
 * an HTTP status or as an error event at the start of the stream, falls back to an OpenAI-wire
 * model, and the client sees only the fallback's answer.
 */
import { describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, fake, fakeAnthropic, ledger, putConfig, uniq, upstreamRequests } from "../support/gateway";

async function route(claudeScenario: string) {
  await putConfig(baseConfig(
    { claude: fakeAnthropic(claudeScenario), gpt: fake("echo") },
    [{ name: "default", match: {}, model: "claude", fallbacks: ["gpt"] }],
  ));
}

describe("an Anthropic 529 before the first byte falls back to an OpenAI-wire model", () => {
  it("non-stream", async () => {
    const scenario = `status:529:${uniq()}`;
    await route(scenario);
    const res = await chat({ model: "auto", messages: [{ role: "user", content: "hello" }] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe("echo: hello");
    expect(res.headers.get("x-tiergate-model")).toBe("gpt");
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("claude:529,gpt:ok");
    expect((await upstreamRequests(scenario)).length).toBe(1);
    const entry = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(entry.request).toMatchObject({ status: "ok", served_model: "gpt", fallbacks: 1 });
    expect(entry.attempts[0]).toMatchObject({ model: "claude", http_status: 529, error_class: "upstream_5xx" });
  });

  it("stream", async () => {
    await route(`status:529:${uniq()}`);
    const res = await chat({ model: "auto", messages: [{ role: "user", content: "hello" }], stream: true });
    expect(res.status).toBe(200);
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: "echo: hello", done: true, error: null, roles: 1 });
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("claude:529,gpt:ok");
  });

  it("stream, when the overload arrives as an error event right after message_start", async () => {
    await route(`error-event:1:${uniq()}`);
    const res = await chat({ model: "auto", messages: [{ role: "user", content: "hello" }], stream: true });
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: "echo: hello", done: true, error: null, roles: 1 });
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("claude:stream_interrupted,gpt:ok");
    const entry = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(entry.attempts[0]).toMatchObject({ model: "claude", ok: 0, error_class: "stream_interrupted" });
  });
});
