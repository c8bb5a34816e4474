/** The fake upstream on the Gemini wire: echo answers and real-shape errors (429s carry a RetryInfo detail). */
import type { Scenario } from "./scenario";
import { conversationWords, promptTokens } from "./words";

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
};

export function geminiError(status: number, message: string, s: Scenario): unknown {
  const details: unknown[] = [];
  if (s.opts["retry-delay"] !== undefined) details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: s.opts["retry-delay"] });
  return { error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN", ...(details.length > 0 ? { details } : {}) } };
}

export const geminiStreamError = () => ({ error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } });

const words = (body: Record<string, unknown>, s: Scenario) => conversationWords(body.contents, "parts", "model", s);

function usageMetadata(body: Record<string, unknown>, output: number) {
  const prompt = promptTokens(body);
  return { promptTokenCount: prompt, candidatesTokenCount: output, totalTokenCount: prompt + output };
}

export function geminiResponse(body: Record<string, unknown>, model: string, s: Scenario) {
  const w = words(body, s);
  return {
    candidates: [{ content: { role: "model", parts: [{ text: w.join("") }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: usageMetadata(body, w.length),
    modelVersion: model,
    responseId: "resp_fake",
  };
}

export function geminiEvents(body: Record<string, unknown>, model: string, s: Scenario): unknown[] {
  const w = words(body, s);
  return w.map((t, i) => ({
    candidates: [{ content: { role: "model", parts: [{ text: t }] }, index: 0, ...(i === w.length - 1 ? { finishReason: "STOP" } : {}) }],
    usageMetadata: usageMetadata(body, i + 1),
    modelVersion: model,
    responseId: "resp_fake",
  }));
}
