/**
 * The request that asks another model to carry on from a cut answer: the original conversation
 * plus the partial answer as the assistant's turn, in the form the provider understands (see
 * ContinuationMechanism), with the output budget reduced by what was already written.
 */
import type { ChatRequest } from "../core/chat-request";
import { estimateTokensFromChars } from "../core/tokens";
import type { ContinuationMechanism } from "../providers/types";

export const CONTINUE_INSTRUCTION =
  "Your previous answer was cut off. Continue it exactly where it stops: do not repeat anything already written, add no preamble, and write only the rest.";

export function continuationRequest(request: ChatRequest, partial: string, mechanism: ContinuationMechanism): ChatRequest {
  const out: ChatRequest = { ...request };
  for (const key of ["max_tokens", "max_completion_tokens"] as const) {
    const limit = request[key];
    if (typeof limit === "number") out[key] = Math.max(1, limit - estimateTokensFromChars(partial.length));
  }
  // Nothing but reasoning (or nothing) reached the client: the request as it was is the continuation.
  if (partial === "") return out;
  const messages = [...request.messages];
  if (mechanism === "prefill") {
    // Anthropic refuses a final assistant turn ending in whitespace; the seam's overlap check drops what the model repeats.
    messages.push({ role: "assistant", content: partial.trimEnd() });
  } else if (mechanism === "prefix") {
    messages.push({ role: "assistant", content: partial, prefix: true });
  } else {
    messages.push({ role: "assistant", content: partial }, { role: "user", content: CONTINUE_INSTRUCTION });
  }
  out.messages = messages;
  return out;
}
