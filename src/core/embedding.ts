/** The OpenAI embeddings request (`POST /v1/embeddings`) as the gateway reads it, and what a provider gives back. */
import { z } from "zod";

/** At most this many inputs per request (OpenAI's own limit is 2048). */
export const MAX_EMBEDDING_INPUTS = 2048;

export const EmbeddingRequestSchema = z.looseObject({
  model: z.string().min(1).default("auto"),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1, "input must hold at least one string").max(MAX_EMBEDDING_INPUTS),
    z.array(z.number().int().min(0)).min(1),
    z.array(z.array(z.number().int().min(0)).min(1)).min(1).max(MAX_EMBEDDING_INPUTS),
  ]),
  encoding_format: z.optional(z.enum(["float", "base64"])),
  dimensions: z.optional(z.number().int().positive().max(65_536)),
  user: z.optional(z.string()),
  metadata: z.optional(z.nullable(z.record(z.string(), z.string()))),
});

export type EmbeddingRequest = z.infer<typeof EmbeddingRequestSchema>;

/** Token-id inputs count as given; strings are estimated by the caller when the provider reports no usage. */
export function embeddingInputs(req: Pick<EmbeddingRequest, "input">): Array<string | number[]> {
  const input = req.input;
  if (typeof input === "string") return [input];
  if (input.length > 0 && typeof input[0] === "number") return [input as number[]];
  return input as Array<string | number[]>;
}

/** The text of the inputs, for routing by prompt size and for estimates. */
export function embeddingText(req: Pick<EmbeddingRequest, "input">): string {
  return embeddingInputs(req).filter((i): i is string => typeof i === "string").join("\n");
}

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Input tokens the provider reported; null when it reports none. */
  promptTokens: number | null;
}

/** A vector as OpenAI's `encoding_format: "base64"` sends it: little-endian float32 bytes, base64. */
export function vectorToBase64(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
