import { describe, expect, it } from "vitest";
import { GatewayError, parseRetryAfter, redactSecrets, toErrorBody } from "./errors";

describe("redactSecrets", () => {
  it.each([
    ["Incorrect API key provided: sk-proj-abcdEFGH12345678", "Incorrect API key provided: [redacted]"],
    ["key sk-ant-api03-abcdefghijklmnop rejected", "key [redacted] rejected"],
    ["groq gsk_ABCDEFGH12345678 bad", "groq [redacted] bad"],
    ["https://x/v1beta/models/m:generateContent?key=AIzaSyA-1234567890abcdefghijk", "https://x/v1beta/models/m:generateContent?key=[redacted]"],
    ["Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer [redacted]"],
  ])("%s", (input, output) => {
    expect(redactSecrets(input)).toBe(output);
  });

  it("is applied to every GatewayError message", () => {
    const e = new GatewayError({ status: 401, type: "authentication_error", code: "x", message: "bad key sk-abcdefghijklmnop", errorClass: "unauthorized" });
    expect(toErrorBody(e).error.message).toBe("bad key [redacted]");
  });
});

describe("parseRetryAfter", () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(parseRetryAfter(h({ "retry-after": "2" }))).toBe(2000);
    expect(parseRetryAfter(h({ "retry-after": "0.5" }))).toBe(500);
    expect(parseRetryAfter(h({ "retry-after-ms": "150", "retry-after": "9" }))).toBe(150);
    expect(parseRetryAfter(h({ "retry-after": new Date(10_000).toUTCString() }), 7_000)).toBe(3000);
    expect(parseRetryAfter(h({}))).toBeUndefined();
    expect(parseRetryAfter(h({ "retry-after": "soon" }))).toBeUndefined();
  });
});

describe("retryability", () => {
  it.each([[408, true], [409, true], [429, true], [500, true], [529, true], [401, true], [400, false], [413, false], [422, false]])("status %i retryable=%s", (status, retryable) => {
    expect(new GatewayError({ status, type: "upstream_error", code: "x", message: "m", errorClass: "upstream_4xx" }).retryable).toBe(retryable);
  });
});
