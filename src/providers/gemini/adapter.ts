/** The Gemini API (`models/{id}:generateContent`, `:streamGenerateContent?alt=sse`), translated to and from the canonical shapes. */
import { httpCall, readWire, type HttpTranslation } from "../http-adapter";
import type { ProviderAdapter, ProviderOf } from "../types";
import { geminiEmbed } from "./embed";
import { parseGeminiError } from "./errors";
import { toGeminiBody } from "./request";
import { toCompletion } from "./response";
import { geminiStreamTransformer } from "./stream";
import { WireResponse } from "./wire-schema";

type GeminiProvider = ProviderOf<"gemini">;

const translation: HttpTranslation<GeminiProvider> = {
  buildRequest(request, target, stream) {
    const provider = target.provider;
    const model = encodeURIComponent(target.model.id.replace(/^models\//, ""));
    const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
    const headers: Record<string, string> = { ...(provider.headers ?? {}) };
    // The key goes in a header, never the URL, so it cannot surface in logged or echoed URLs.
    if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
    if (stream) headers.accept = "text/event-stream";
    return { url: `${provider.baseUrl.replace(/\/+$/, "")}/models/${model}:${method}`, headers, body: toGeminiBody(request, target) };
  },

  parseCompletion(json, target) {
    return toCompletion(readWire(WireResponse, json, target), target);
  },

  streamTransformer: (target) => geminiStreamTransformer(target),

  parseError: parseGeminiError,
};

export const geminiAdapter: ProviderAdapter<GeminiProvider> = {
  kind: "gemini",
  simulated: false,
  call: (request, target, options) => httpCall(translation, request, target, options),
  // `responseLogprobs` exists, but not on every Gemini model: an entry can say `capabilities.logprobs: false`.
  capabilities: () => ({ logprobs: true }),
  embed: geminiEmbed,
  // A trailing model turn is not continued as such: ask for the rest.
  continuation: () => "instruction",
};
