/**
 * The OpenAI Responses API, inbound (`POST /v1/responses`): `client.responses.create` /
 * `.stream`, the AI SDK's default `openai()` provider and the agent frameworks built on it,
 * routed by the same engine as chat completions. Errors keep OpenAI's shape.
 */
import type { ChatRequest } from "../../core/chat-request";
import { SSE_HEADERS } from "../../core/sse";
import { errorResponse } from "../error-response";
import type { InboundCodec } from "../inbound-codec";
import type { ResponsesRequest } from "./request-schema";
import { parseResponsesRequest } from "./to-chat-request";
import { responsesSSE } from "./to-events";
import { toResponse } from "./to-response";

/** The client's own request, kept beside its canonical translation: answers echo its settings. */
const originals = new WeakMap<ChatRequest, ResponsesRequest>();
const originalOf = (request: ChatRequest): ResponsesRequest => originals.get(request) ?? { model: request.model, input: "" };

export const responsesCodec: InboundCodec = {
  parse(body) {
    const { request, original } = parseResponsesRequest(body);
    originals.set(request, original);
    return request;
  },
  errorResponse,
  completionResponse(completion, request, headers) {
    return new Response(JSON.stringify(toResponse(completion, originalOf(request))), { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
  },
  streamResponse(source, request, headers) {
    return new Response(responsesSSE(source, originalOf(request)), { status: 200, headers: { ...SSE_HEADERS, ...headers } });
  },
};
