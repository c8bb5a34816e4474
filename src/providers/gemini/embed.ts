/** Gemini embeddings: `POST <baseUrl>/models/<id>:batchEmbedContents` (one request per input; no usage reported). */
import { z } from "zod";
import { badRequest } from "../../core/errors";
import { embeddingInputs, type EmbeddingRequest, type EmbeddingResult } from "../../core/embedding";
import { embedCall } from "../embed-http";
import { parseGeminiError } from "./errors";
import type { EmbedOptions, ProviderOf, UpstreamTarget } from "../types";

const WireBatch = z.looseObject({ embeddings: z.array(z.looseObject({ values: z.array(z.number()) })) });

export function geminiEmbed(request: EmbeddingRequest, target: UpstreamTarget<ProviderOf<"gemini">>, options: EmbedOptions): Promise<EmbeddingResult> {
  const provider = target.provider;
  const id = target.model.id.replace(/^models\//, "");
  const headers: Record<string, string> = { ...(provider.headers ?? {}) };
  if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
  const inputs = embeddingInputs(request);
  const requests = inputs.map((input) => {
    if (typeof input !== "string") throw badRequest(`${target.alias} (Gemini) takes text inputs, not token ids`, "input");
    return { model: `models/${id}`, content: { parts: [{ text: input }] }, ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}) };
  });
  const url = `${provider.baseUrl.replace(/\/+$/, "")}/models/${encodeURIComponent(id)}:batchEmbedContents`;
  return embedCall({ url, headers, body: { requests } }, WireBatch, target, options, (w) => ({ vectors: w.embeddings.map((e) => e.values), promptTokens: null }), inputs.length, parseGeminiError);
}
