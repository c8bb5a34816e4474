/**
 * Gemini's errors (`{error:{code, message, status, details}}`) as GatewayErrors. A 429 carries
 * its wait in a `google.rpc.RetryInfo` detail (`retryDelay: "26s"`), which becomes retry-after;
 * FAILED_PRECONDITION (e.g. the API is not available in the gateway's region) is about the
 * gateway's account, not the request, so it falls back.
 */
import type { GatewayError } from "../../core/errors";
import { parseErrorBody } from "../error-body";
import { inStreamError, type UpstreamErrorInfo } from "../http-adapter";
import type { UpstreamTarget } from "../types";
import { WireError, type WireErrorBodyT, type WireErrorT } from "./wire-schema";

const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

/** A protobuf Duration in JSON ("26s", "0.5s") in milliseconds. */
export function durationMs(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m && m[1] ? Math.round(Number(m[1]) * 1000) : undefined;
}

function errorIn(body: WireErrorT): WireErrorBodyT["error"] | undefined {
  return Array.isArray(body) ? body[0]?.error : body.error;
}

function errorOf(body: unknown): WireErrorBodyT["error"] | undefined {
  const parsed = WireError.safeParse(body);
  return parsed.success ? errorIn(parsed.data) : undefined;
}

export function parseGeminiError(info: UpstreamErrorInfo): GatewayError {
  return parseErrorBody(info, WireError, (body) => {
    const error = errorIn(body);
    const retryAfterMs = durationMs(error?.details?.find((d) => d["@type"] === RETRY_INFO)?.retryDelay);
    return {
      message: error?.message,
      ...(error?.status ? { code: error.status } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(error?.status === "FAILED_PRECONDITION" ? { retryable: true } : {}),
    };
  });
}

/** An error object inside a stream. */
export function geminiStreamError(target: UpstreamTarget, body: unknown): GatewayError {
  const error = errorOf({ error: body });
  const status = error?.code ?? 502;
  return inStreamError(target, error?.message ?? "error in stream", {
    status,
    ...(error?.status ? { code: error.status } : {}),
    retryable: status === 429 || status >= 500,
  });
}
