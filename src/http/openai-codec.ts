/** The OpenAI Chat Completions format, inbound: the gateway's canonical shape, so translation is validation. */
import type { z } from "zod";
import { ChatRequestSchema } from "../core/chat-request";
import { badRequest, type GatewayError } from "../core/errors";
import { SSE_HEADERS } from "../core/sse";
import { formatPath } from "../config/validate";
import { errorResponse } from "./error-response";
import type { InboundCodec } from "./inbound-codec";
import { clientSSE } from "./sse-body";

export function invalidBody(error: z.ZodError): GatewayError {
  const issue = error.issues[0];
  const path = issue ? formatPath(issue.path).replace(/^\$\.?/, "") : "";
  return badRequest(`${path ? `${path}: ` : ""}${issue?.message ?? "invalid request body"}`, path || null, "invalid_request_body");
}

export const openAICodec: InboundCodec = {
  parse(body) {
    const parsed = ChatRequestSchema.safeParse(body);
    if (!parsed.success) throw invalidBody(parsed.error);
    return parsed.data;
  },
  errorResponse,
  completionResponse(completion, _request, headers) {
    return new Response(JSON.stringify(completion), { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
  },
  streamResponse(source, request, headers) {
    const includeUsage = request.stream_options?.include_usage === true;
    const body = clientSSE(source, includeUsage);
    return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
  },
};
