/**
 * One error type for everything that can fail, upstream or in the gateway.
 * It carries what fallbacks need (retryable, retry-after), what the ledger needs (errorClass)
 * and a client-safe message; `toErrorBody` is the one place that turns it into OpenAI's error shape.
 */
import { scrubSecrets } from "./secrets";

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "timeout_error"
  | "upstream_error"
  | "config_error"
  | "api_error";

/** Short, stable classes recorded in the ledger (`error_class` columns). */
export type ErrorClass =
  | "bad_request"
  | "unauthorized"
  | "not_found"
  | "payload_too_large"
  | "rate_limited"
  | "timeout"
  | "connection"
  | "upstream_4xx"
  | "upstream_5xx"
  | "upstream_protocol"
  | "stream_interrupted"
  | "client_aborted"
  | "config"
  | "internal";

export interface GatewayErrorInit {
  status: number;
  type: ErrorType;
  code: string;
  message: string;
  errorClass: ErrorClass;
  param?: string | null;
  provider?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string;
  readonly param: string | null;
  readonly errorClass: ErrorClass;
  readonly provider: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: GatewayErrorInit) {
    // Every field a client, the ledger or a log can see is scrubbed here, once (core/secrets.ts).
    super(scrubSecrets(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "GatewayError";
    this.status = init.status;
    this.type = init.type;
    this.code = scrubSecrets(init.code);
    this.param = init.param == null ? null : scrubSecrets(init.param);
    this.errorClass = init.errorClass;
    this.provider = init.provider;
    this.retryable = init.retryable ?? isRetryableStatus(init.status);
    this.retryAfterMs = init.retryAfterMs;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** Scrubbed again on the way out: secrets remembered after the error was made are caught too. */
export function toErrorBody(err: GatewayError): OpenAIErrorBody {
  return { error: { message: scrubSecrets(err.message), type: err.type, code: scrubSecrets(err.code), param: err.param === null ? null : scrubSecrets(err.param) } };
}

/**
 * Statuses after which another model (or the same one, later) may well succeed.
 * 401/403/404 from an upstream mean the gateway's credentials or model id are wrong for that
 * provider, a provider-level failure the client cannot fix, so they fall back too.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 404 || status === 408 || status === 409 || status === 429 || status >= 500;
}

export function badRequest(message: string, param: string | null = null, code = "invalid_request"): GatewayError {
  return new GatewayError({ status: 400, type: "invalid_request_error", code, message, param, errorClass: "bad_request" });
}

export function internalError(cause: unknown): GatewayError {
  return new GatewayError({
    status: 500,
    type: "api_error",
    code: "internal_error",
    message: "The gateway hit an internal error; the request id in x-tiergate-request-id identifies it in the logs.",
    errorClass: "internal",
    retryable: false,
    cause,
  });
}

/** Parses Retry-After (seconds or an HTTP date) and retry-after-ms into milliseconds. */
export function parseRetryAfter(headers: Headers, nowMs: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
