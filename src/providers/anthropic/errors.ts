/**
 * Anthropic's errors (`{type:"error", error:{type, message}}`) as GatewayErrors. `overloaded_error`
 * (HTTP 529) and rate limits are retryable, so execution falls back; a billing problem is the
 * gateway's account, not the client's request, so it falls back too.
 */
import type { GatewayError } from "../../core/errors";
import { parseErrorBody } from "../error-body";
import { inStreamError, type UpstreamErrorInfo } from "../http-adapter";
import type { UpstreamTarget } from "../types";
import { WireError } from "./wire-schema";

const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export function parseAnthropicError(info: UpstreamErrorInfo): GatewayError {
  return parseErrorBody(info, WireError, ({ error: { type, message } }) => ({
    message,
    ...(type ? { code: type } : {}),
    ...(type === "billing_error" ? { retryable: true } : {}),
  }));
}

/** An `error` event inside a stream (typically `overloaded_error` under load). */
export function anthropicStreamError(target: UpstreamTarget, error: { type?: string | undefined; message?: string | undefined }): GatewayError {
  const type = error.type ?? "api_error";
  const status = STATUS_OF_TYPE[type] ?? 502;
  return inStreamError(target, error.message ?? type, { status, code: type, retryable: status === 402 || status === 429 || status >= 500 });
}
