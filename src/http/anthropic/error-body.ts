/** A GatewayError in the Anthropic error shape: `{type:"error", error:{type, message}}`. */
import type { ErrorType, GatewayError } from "../../core/errors";
import { scrubSecrets } from "../../core/secrets";

const TYPES: Record<ErrorType, string> = {
  invalid_request_error: "invalid_request_error",
  authentication_error: "authentication_error",
  permission_error: "permission_error",
  not_found_error: "not_found_error",
  rate_limit_error: "rate_limit_error",
  timeout_error: "timeout_error",
  upstream_error: "api_error",
  config_error: "api_error",
  api_error: "api_error",
};

export function anthropicErrorType(err: GatewayError): string {
  if (err.status === 413) return "request_too_large";
  if (err.status === 529) return "overloaded_error";
  return TYPES[err.type];
}

export function anthropicErrorBody(err: GatewayError): { type: "error"; error: { type: string; message: string } } {
  return { type: "error", error: { type: anthropicErrorType(err), message: scrubSecrets(err.message) } };
}
