import { describe, expect, it } from "vitest";
import { assembleStream, baseConfig, chat, fake, ledger, putConfig, uniq, upstreamRequests, userMessage } from "../support/gateway";
import type { ConfigInput } from "../../src/config/schema";

/** A route whose primary is the given (faulty) upstream model and whose fallback is a healthy echo. */
async function withPrimary(primary: ConfigInput["models"][string], extra: Partial<ConfigInput> = {}, route: Partial<ConfigInput["routes"][number]> = {}) {
  await putConfig(baseConfig({ primary, backup: fake("echo", { input: 3, output: 4 }) }, [{ name: "default", match: {}, model: "primary", fallbacks: ["backup"], ...route }], extra));
}

/** Checks headers, consumes the body (a stream's record is final only once it ends), then checks the ledger. */
async function expectFellBack(res: Response, primaryOutcome: string) {
  expect(res.status).toBe(200);
  const text = await answerText(res);
  expect(res.headers.get("x-tiergate-model")).toBe("backup");
  expect(res.headers.get("x-tiergate-attempts")).toBe("2");
  expect(res.headers.get("x-tiergate-attempt-chain")).toBe(`primary:${primaryOutcome},backup:ok`);
  const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
  expect(request).toMatchObject({ status: "ok", served_model: "backup", attempts: 2, fallbacks: 1 });
  expect(attempts.map((a) => [a.kind, a.model, a.ok])).toEqual([["primary", "primary", 0], ["fallback", "backup", 1]]);
  return { attempts, text };
}

async function answerText(res: Response): Promise<string | undefined> {
  if (res.headers.get("content-type")?.includes("text/event-stream")) {
    const a = await assembleStream(res);
    expect(a).toMatchObject({ done: true, error: null });
    return a.text;
  }
  return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content;
}

describe.each([false, true])("fallbacks (stream=%s)", (stream) => {
  const ask = () => chat({ model: "auto", messages: userMessage("hello"), stream });

  it("falls back on a 500 before any byte reaches the client", async () => {
    await withPrimary(fake(`status:500:${uniq()}`));
    const { attempts, text } = await expectFellBack(await ask(), "500");
    expect(attempts[0]).toMatchObject({ http_status: 500, error_class: "upstream_5xx" });
    expect(text).toBe("echo: hello");
  });

  it("falls back on a 429 whose Retry-After is too long to wait for", async () => {
    await withPrimary(fake(`status:429:retry-after=30:${uniq()}`));
    const { attempts } = await expectFellBack(await ask(), "429");
    expect(attempts[0]).toMatchObject({ http_status: 429, error_class: "rate_limited" });
  });

  it("retries the same model once when Retry-After is short", async () => {
    const id = `status:429:retry-after=0.2:times=1:${uniq()}`;
    await withPrimary(fake(id));
    const res = await ask();
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-model")).toBe("primary");
    expect(res.headers.get("x-tiergate-attempt-chain")).toBe("primary:429,primary:ok");
    expect(await answerText(res)).toBe("echo: hello");
    expect(await upstreamRequests(id)).toHaveLength(2);
    const { attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(attempts.map((a) => a.kind)).toEqual(["primary", "retry"]);
  });

  it("falls back when the primary does not answer within the per-attempt timeout", async () => {
    await withPrimary(fake(`slow:5000:${uniq()}`, undefined, { timeoutMs: 300 }));
    const started = Date.now();
    const { attempts } = await expectFellBack(await ask(), "timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(attempts[0]).toMatchObject({ http_status: null, error_class: "timeout" });
  });

  it("falls back when the connection is refused", async () => {
    await putConfig(baseConfig({ primary: { provider: "refused", id: "echo", price: { input: 1, output: 1 } }, backup: fake("echo") }, [{ name: "default", match: {}, model: "primary", fallbacks: ["backup"] }]));
    const { attempts } = await expectFellBack(await ask(), "connection");
    expect(attempts[0]).toMatchObject({ http_status: null, error_class: "connection" });
  });

  it("returns other 4xx as they are, without falling back", async () => {
    const id = `status:400:${uniq()}`;
    await withPrimary(fake(id));
    const res = await ask();
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toContain("injected 400");
    expect(body.error.type).toBe("invalid_request_error");
    expect(res.headers.get("x-tiergate-attempts")).toBe("1");
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "error", http_status: 400, error_class: "upstream_4xx", attempts: 1 });
  });

  it("answers 502 with every attempt named when all targets fail, and records it", async () => {
    await putConfig(baseConfig({ a: fake(`status:503:${uniq()}`), b: fake(`status:500:${uniq()}`) }, [{ name: "default", match: {}, model: "a", fallbacks: ["b"] }]));
    const res = await ask();
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe("all_upstreams_failed");
    expect(body.error.message).toMatch(/503.*500/s);
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "error", http_status: 502, attempts: 2, served_model: null });
    expect(attempts).toHaveLength(2);
  });

  it("answers 429 when every target is rate limited", async () => {
    await putConfig(baseConfig({ a: fake(`status:429:retry-after=40:${uniq()}`) }, [{ name: "default", match: {}, model: "a" }]));
    const res = await ask();
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("40");
  });
});

describe("streams failing before and after the first content", () => {
  it("falls back when the stream is cut before any content", async () => {
    await withPrimary(fake(`cut:1:${uniq()}`));
    const { text } = await expectFellBack(await chat({ model: "auto", messages: userMessage("hello"), stream: true }), "connection");
    expect(text).toBe("echo: hello");
  });

  it("falls back when the stream ends with no content", async () => {
    await withPrimary(fake(`empty:${uniq()}`));
    const res = await chat({ model: "auto", messages: userMessage("hello"), stream: true });
    await expectFellBack(res, "upstream_protocol");
  });

  it("falls back on an error event before any content", async () => {
    await withPrimary(fake(`error-event:1:${uniq()}`));
    const res = await chat({ model: "auto", messages: userMessage("hello"), stream: true });
    await expectFellBack(res, "stream_interrupted");
  });

  it("with onStreamFailure \"error\", ends a stream cut after content with an error event and no [DONE], recorded as partial", async () => {
    await withPrimary(fake(`cut:3:${uniq()}`), {}, { onStreamFailure: "error" });
    const res = await chat({ model: "auto", messages: userMessage("one two three four"), stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-tiergate-model")).toBe("primary");
    const a = await assembleStream(res);
    expect(a.text).toBe("echo: one");
    expect(a.done).toBe(false);
    expect(a.error).toMatchObject({ type: "upstream_error" });
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "partial", error_class: "stream_interrupted", served_model: "primary", usage_estimated: 1 });
    expect(request.output_tokens).toBeGreaterThan(0);
    expect(attempts[0]).toMatchObject({ ok: 0, error_class: "stream_interrupted" });
  });

  it("with onStreamFailure \"error\", cuts a stream that stalls after content once the idle timeout passes", async () => {
    await withPrimary(fake(`stall:2:${uniq()}`, undefined, { timeoutMs: 300 }), {}, { onStreamFailure: "error" });
    const started = Date.now();
    const res = await chat({ model: "auto", messages: userMessage("a b c"), stream: true });
    const a = await assembleStream(res);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(a.done).toBe(false);
    expect(a.error).toMatchObject({ type: "timeout_error" });
    const { request } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "partial", error_class: "timeout" });
  });
});

describe("secrets", () => {
  it("never returns the provider key, even when the upstream echoes it in an error", async () => {
    await withPrimary(fake(`status:401:${uniq()}`));
    const res = await chat({ model: "auto", messages: userMessage("hi") });
    const raw = await res.text();
    expect(raw).not.toContain("sk-test-upstream-secret");
  });
});
