import { describe, expect, it } from "vitest";
import { GatewayError, parseRetryAfter, toErrorBody } from "./errors";

describe("GatewayError", () => {
  it("scrubs message, code and param of secrets", () => {
    const e = new GatewayError({ status: 401, type: "authentication_error", code: "bad sk-abcdefghijklmnop", param: "key=sk-abcdefghijklmnop", message: "bad key sk-abcdefghijklmnop", errorClass: "unauthorized" });
    expect(toErrorBody(e).error).toMatchObject({ message: "bad key [redacted]", code: "bad [redacted]", param: "key=[redacted]" });
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
