/**
 * The upstream work one client request may cause, counted where every upstream call starts
 * (runAttempt): calls, and output tokens asked for (max_tokens × n). A call past either limit is
 * not sent; it fails with `amplification_limit`, which no fallback can get around (each is refused alike).
 */
import { GatewayError } from "../core/errors";
import { requestedMaxTokens, type ChatRequest } from "../core/chat-request";
import type { Config } from "../config/schema";

export class CallLimits {
  calls = 0;
  requestedOutputTokens = 0;
  constructor(private readonly limits: Config["limits"]) {}

  /** Counts the call, or returns why it may not be made. */
  take(request: ChatRequest): GatewayError | null {
    const tokens = (requestedMaxTokens(request) ?? 0) * (request.n ?? 1);
    if (this.calls + 1 > this.limits.maxUpstreamCalls) {
      return limitError(`this request already made ${this.calls} upstream calls, the limit (limits.maxUpstreamCalls)`);
    }
    if (this.requestedOutputTokens + tokens > this.limits.maxRequestedOutputTokens) {
      return limitError(`another call asking for ${tokens} output tokens would take this request past limits.maxRequestedOutputTokens = ${this.limits.maxRequestedOutputTokens} (asked so far: ${this.requestedOutputTokens})`);
    }
    this.calls++;
    this.requestedOutputTokens += tokens;
    return null;
  }
}

function limitError(message: string): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", code: "amplification_limit", message, errorClass: "bad_request", retryable: false });
}
