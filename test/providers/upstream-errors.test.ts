/** Upstream errors of every wire become the one GatewayError, and what reaches the client never holds the upstream key. */
import { describe, expect, it } from "vitest";
import { baseConfig, chat, fake, fakeAnthropic, fakeGemini, putConfig, uniq, upstreamRequests } from "../support/gateway";

const KEY = "sk-test-upstream-secret-0123456789";

describe("upstream error bodies never reach the client with a secret in them", () => {
  for (const [wire, model] of [["OpenAI", fake], ["Anthropic", fakeAnthropic], ["Gemini", fakeGemini]] as const) {
    it(`${wire}: an upstream that quotes the key it was sent`, async () => {
      await putConfig(baseConfig({ m: model(`leak:${uniq()}`) }));
      for (const stream of [false, true]) {
        const res = await chat({ model: "m", messages: [{ role: "user", content: "x" }], stream });
        const text = await res.text();
        expect(res.status).toBe(502);
        expect(text).not.toContain(KEY);
        expect(text).not.toContain("0123456789");
        const body = JSON.parse(text) as { error: { message: string; type: string; code: string } };
        expect(body.error.message).toContain("Incorrect API key provided: [redacted]");
        expect(body.error).toMatchObject({ type: "upstream_error", code: "all_upstreams_failed" });
      }
    });
  }
});

describe("OpenAI reasoning models and max_tokens", () => {
  it("retries once with max_completion_tokens when the upstream refuses max_tokens", async () => {
    const id = `legacy-max-tokens:${uniq()}`;
    await putConfig(baseConfig({ m: fake(id) }));
    const res = await chat({ model: "m", messages: [{ role: "user", content: "think" }], max_tokens: 50 });
    expect(res.status).toBe(200);
    const sent = await upstreamRequests(id);
    expect(sent.map((r) => [r.body.max_tokens, r.body.max_completion_tokens])).toEqual([[50, undefined], [undefined, 50]]);
    expect(res.headers.get("x-tiergate-attempts")).toBe("1");
  });
});
