/**
 * Simulated embeddings: for each input a deterministic unit vector of the model's dimension
 * (`dimensions` in the request, else the model entry's, else 1536), seeded by the model id and the
 * input, so the same text always gets the same vector and different texts almost never do.
 */
import { embeddingInputs, type EmbeddingRequest, type EmbeddingResult } from "../../core/embedding";
import { fnv1a } from "../../core/hash";
import { seededRng } from "../../core/random";
import { estimateTokens } from "../../core/tokens";
import type { ModelEntry } from "../../config/schema";

export const DEFAULT_SIMULATED_DIMENSIONS = 1536;

export function simulatedVector(modelId: string, input: string | number[], dimensions: number): number[] {
  const rng = seededRng(fnv1a(typeof input === "string" ? input : input.join(","), fnv1a(modelId)));
  const v = Array.from({ length: dimensions }, () => rng() * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

export function simulateEmbeddings(request: EmbeddingRequest, model: ModelEntry): EmbeddingResult {
  const dimensions = request.dimensions ?? model.dimensions ?? DEFAULT_SIMULATED_DIMENSIONS;
  const inputs = embeddingInputs(request);
  const promptTokens = inputs.reduce((sum, i) => sum + (typeof i === "string" ? estimateTokens(i) : i.length), 0);
  return { vectors: inputs.map((i) => simulatedVector(model.id, i, dimensions)), promptTokens };
}
