/** The Anthropic Messages API (`POST /messages`), translated to and from the canonical shapes. */
import type { ChatRequest } from "../../core/chat-request";
import { httpCall, readWire, type HttpTranslation } from "../http-adapter";
import type { ProviderAdapter, ProviderOf, UpstreamTarget } from "../types";
import { parseAnthropicError } from "./errors";
import { jsonOutput } from "./json-output";
import { toAnthropicBody } from "./request";
import { toCompletion } from "./response";
import { anthropicStreamTransformer } from "./stream";
import { WireMessage } from "./wire-schema";

type AnthropicProvider = ProviderOf<"anthropic">;

const usesJsonTool = (request: ChatRequest, target: UpstreamTarget) => jsonOutput(request, target.model).mode === "tool";

const translation: HttpTranslation<AnthropicProvider> = {
  buildRequest(request, target, stream) {
    const provider = target.provider;
    const headers: Record<string, string> = { ...(provider.headers ?? {}), "anthropic-version": provider.version };
    if (target.apiKey) headers["x-api-key"] = target.apiKey;
    if (stream) headers.accept = "text/event-stream";
    return { url: `${provider.baseUrl.replace(/\/+$/, "")}/messages`, headers, body: toAnthropicBody(request, target, stream) };
  },

  parseCompletion(json, target, request, notes) {
    return toCompletion(readWire(WireMessage, json, target), target, usesJsonTool(request, target), notes);
  },

  streamTransformer: (target, request, notes) => anthropicStreamTransformer(target, usesJsonTool(request, target), notes),

  parseError: parseAnthropicError,
};

export const anthropicAdapter: ProviderAdapter<AnthropicProvider> = {
  kind: "anthropic",
  simulated: false,
  call: (request, target, options) => httpCall(translation, request, target, options),
  // The Messages API has no token logprobs.
  capabilities: () => ({ logprobs: false }),
  // A trailing assistant turn is a prefill: Claude continues it.
  continuation: () => "prefill",
};
