import { describe, expect, it } from "vitest";
import { GatewayError, type ErrorClass } from "../core/errors";
import type { ChatRequest } from "../core/chat-request";
import { countsAgainstModel, HEAVY_PROMPT_CHARS, isHeavyRequest } from "./health-signal";

const err = (status: number, errorClass: ErrorClass) => new GatewayError({ status, type: "upstream_error", code: "x", message: "m", errorClass });
const ask = (chars: number, max_tokens?: number): ChatRequest => ({ model: "m", messages: [{ role: "user", content: "x".repeat(chars) }], ...(max_tokens ? { max_tokens } : {}) });

describe("which failures count against a model's breaker", () => {
  it.each([
    [err(503, "upstream_5xx"), true],
    [err(429, "rate_limited"), true],
    [err(502, "connection"), true],
    [err(502, "upstream_protocol"), true],
    [err(502, "stream_interrupted"), true],
    [err(401, "upstream_4xx"), true],
    [err(400, "upstream_4xx"), false],
    [err(413, "upstream_4xx"), false],
    [err(413, "payload_too_large"), false],
    [err(400, "bad_request"), false],
    [err(499, "client_aborted"), false],
    [err(500, "config"), false],
  ])("%s → %s", (e, counts) => {
    expect(countsAgainstModel(e, () => false)).toBe(counts);
  });

  it("a timeout counts unless the request was heavy enough to explain it", () => {
    const timeout = err(504, "timeout");
    expect(countsAgainstModel(timeout, () => isHeavyRequest(ask(100)))).toBe(true);
    expect(countsAgainstModel(timeout, () => isHeavyRequest(ask(HEAVY_PROMPT_CHARS + 1)))).toBe(false);
    expect(countsAgainstModel(timeout, () => isHeavyRequest(ask(100, 32_000)))).toBe(false);
  });
});
