/** OpenAI-wire embeddings: `POST <baseUrl>/embeddings`, answered in OpenAI's list shape. */
import { z } from "zod";
import { embeddingInputs, type EmbeddingRequest, type EmbeddingResult } from "../../core/embedding";
import { quirksFor } from "../../config/openai-presets";
import type { GatewayError } from "../../core/errors";
import { embedCall } from "../embed-http";
import type { UpstreamErrorInfo } from "../http-adapter";
import type { EmbedOptions, ProviderOf, UpstreamTarget } from "../types";

const WireEmbeddings = z.looseObject({
  data: z.array(z.looseObject({ index: z.optional(z.number()), embedding: z.array(z.number()) })),
  usage: z.optional(z.nullable(z.looseObject({ prompt_tokens: z.optional(z.number()) }))),
});

export function openAIEmbed(request: EmbeddingRequest, target: UpstreamTarget<ProviderOf<"openai">>, options: EmbedOptions, parseError: (info: UpstreamErrorInfo) => GatewayError): Promise<EmbeddingResult> {
  const provider = target.provider;
  const base = quirksFor(provider.preset, provider.baseUrl).baseUrl.replace(/\/+$/, "");
  const headers: Record<string, string> = { ...(provider.headers ?? {}) };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  const inputs = embeddingInputs(request);
  // Floats on the wire: the gateway re-encodes for its own client, whichever format it asked for.
  const body = { model: target.model.id, input: request.input, encoding_format: "float", ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}), ...(request.user ? { user: request.user } : {}) };
  return embedCall({ url: `${base}/embeddings`, headers, body }, WireEmbeddings, target, options, (w) => {
    const vectors = new Array<number[]>(inputs.length);
    w.data.forEach((d, i) => (vectors[d.index ?? i] = d.embedding));
    return { vectors, promptTokens: w.usage?.prompt_tokens ?? null };
  }, inputs.length, parseError);
}
