/** The one place a GatewayError becomes an HTTP response. */
import { GatewayError, toErrorBody } from "../core/errors";

export function errorResponse(err: GatewayError, headers: Record<string, string> = {}): Response {
  const h: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...headers };
  if (err.status === 429 && err.retryAfterMs !== undefined) h["retry-after"] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
  // 499 is not a status clients can receive; by then nobody is listening anyway.
  const status = err.status === 499 ? 400 : err.status;
  return new Response(JSON.stringify(toErrorBody(err)), { status, headers: h });
}
