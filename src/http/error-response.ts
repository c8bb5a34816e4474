/**
 * The one place a GatewayError becomes an HTTP response: status, Retry-After, and the body in
 * the client's format (OpenAI's unless an inbound format supplies its own shape).
 */
import { GatewayError, toErrorBody } from "../core/errors";
import { scrubSecrets } from "../core/secrets";

export function errorResponse(err: GatewayError, headers: Record<string, string> = {}, body: (err: GatewayError) => unknown = toErrorBody): Response {
  const h: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...headers };
  if (err.status === 429 && err.retryAfterMs !== undefined) h["retry-after"] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
  // 499 is not a status clients can receive; by then nobody is listening anyway.
  const status = err.status === 499 ? 400 : err.status;
  // The whole body is scrubbed, whatever fields an inbound format's error shape has.
  return new Response(scrubSecrets(JSON.stringify(body(err))), { status, headers: h });
}
