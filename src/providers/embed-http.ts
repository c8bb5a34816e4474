/** One HTTP embeddings call, shared by the providers that have them: send, read errors in the provider's shape, parse, check the count. */
import type { z } from "zod";
import type { EmbeddingResult } from "../core/embedding";
import type { GatewayError } from "../core/errors";
import { protocolError, readJson, readText, readWire, send, type HttpRequestSpec, type UpstreamErrorInfo } from "./http-adapter";
import type { EmbedOptions, UpstreamTarget } from "./types";

export async function embedCall<W>(
  spec: HttpRequestSpec,
  wire: z.ZodType<W>,
  target: UpstreamTarget,
  options: EmbedOptions,
  read: (w: W) => EmbeddingResult,
  expected: number,
  parseError: (info: UpstreamErrorInfo) => GatewayError,
): Promise<EmbeddingResult> {
  const response = await send(spec, target, options);
  if (!response.ok) {
    const bodyText = await readText(response, options.signal, target);
    throw parseError({ status: response.status, headers: response.headers, bodyText, target } satisfies UpstreamErrorInfo);
  }
  const result = read(readWire(wire, await readJson(response, options.signal, target), target));
  if (result.vectors.length !== expected || result.vectors.some((v) => !Array.isArray(v))) {
    throw protocolError(target, `expected ${expected} embeddings, got ${result.vectors.filter(Array.isArray).length}`);
  }
  return result;
}
