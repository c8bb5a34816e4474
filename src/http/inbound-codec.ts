/**
 * An inbound API format: how a client's body becomes the canonical request, and how answers and
 * errors go back in that client's format. The pipeline (gateway-handler.ts) is the same for all.
 */
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletion } from "../core/chat-response";
import type { ChunkSource } from "../core/chunk-source";
import type { GatewayError } from "../core/errors";

export interface InboundCodec {
  /** Validates and translates a parsed JSON body; throws a 400 GatewayError when it is not acceptable. */
  parse(body: unknown): ChatRequest;
  errorResponse(err: GatewayError, headers: Record<string, string>): Response;
  completionResponse(completion: ChatCompletion, request: ChatRequest, headers: Record<string, string>): Response;
  /** The stream ends cleanly, or (when reading `source` fails) with this format's error event. */
  streamResponse(source: ChunkSource, request: ChatRequest, headers: Record<string, string>): Response;
}
