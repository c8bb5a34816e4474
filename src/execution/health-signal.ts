/**
 * Which failures say something about a model's health, and so count towards its circuit breaker
 * (shared by every client): upstream 5xx, rate limits, refused or dropped connections, protocol
 * errors, interrupted streams, provider-level 401/403/404 — and timeouts, unless the request was
 * heavy enough to explain its own slowness (a very long prompt or a large output asked for). A
 * client's own invalid request (400/413/422, never retryable), an abort, or a config error opens no
 * circuit for everyone.
 */
import type { ChatRequest } from "../core/chat-request";
import { contentText } from "../core/chat-request";
import type { GatewayError } from "../core/errors";

/** Prompt characters above which a request may be slow on its own account (about 25k tokens). */
export const HEAVY_PROMPT_CHARS = 100_000;
/** Output tokens asked for above which an answer may take long on its own account. */
export const HEAVY_OUTPUT_TOKENS = 8_192;

export function isHeavyRequest(request: ChatRequest): boolean {
  const asked = request.max_completion_tokens ?? request.max_tokens ?? 0;
  if (typeof asked === "number" && asked > HEAVY_OUTPUT_TOKENS) return true;
  let chars = 0;
  for (const m of request.messages) {
    chars += contentText(m.content).length;
    if (chars > HEAVY_PROMPT_CHARS) return true;
  }
  return false;
}

/** `heavy`: the request could explain its own slowness (isHeavyRequest), asked only for a timeout. */
export function countsAgainstModel(err: GatewayError, heavy: () => boolean): boolean {
  switch (err.errorClass) {
    case "upstream_5xx":
    case "rate_limited":
    case "connection":
    case "upstream_protocol":
    case "stream_interrupted":
      return true;
    case "upstream_4xx":
      return err.status === 401 || err.status === 403 || err.status === 404;
    case "timeout":
      return !heavy();
    default:
      return false;
  }
}
