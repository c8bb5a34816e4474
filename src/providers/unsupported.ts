/**
 * A request this provider cannot carry (an audio part for a model without audio, n > 1, …).
 * Retryable: another model in the plan may well take it, so execution falls back.
 */
import { GatewayError } from "../core/errors";
import type { UpstreamTarget } from "./types";

export function unsupported(target: Pick<UpstreamTarget, "providerName" | "model">, what: string, param: string | null = null): GatewayError {
  return new GatewayError({
    status: 400,
    type: "invalid_request_error",
    code: "unsupported_by_provider",
    message: `${target.providerName} (${target.model.id}) cannot take ${what}`,
    param,
    errorClass: "bad_request",
    provider: target.providerName,
    retryable: true,
  });
}
