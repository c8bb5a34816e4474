/** The Anthropic Messages format, inbound (`POST /v1/messages`): Claude SDK clients use the gateway as they would the API. */
import { SSE_HEADERS } from "../../core/sse";
import { errorResponse } from "../error-response";
import type { InboundCodec } from "../inbound-codec";
import { anthropicErrorBody } from "./error-body";
import { parseMessagesRequest } from "./to-chat-request";
import { anthropicSSE } from "./to-events";
import { toMessage } from "./to-message";

export const anthropicCodec: InboundCodec = {
  parse: parseMessagesRequest,
  errorResponse: (err, headers) => errorResponse(err, headers, anthropicErrorBody),
  completionResponse(completion, _request, headers) {
    return new Response(JSON.stringify(toMessage(completion)), { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
  },
  streamResponse(source, _request, headers) {
    return new Response(anthropicSSE(source), { status: 200, headers: { ...SSE_HEADERS, ...headers } });
  },
};
