/**
 * The one reading of an upstream error body: JSON read by the provider's (partial) schema, what
 * it says mapped by the provider, the rest shared. A body that is not JSON (a proxy's HTML page,
 * plain text) gives its first 300 characters as the message, scrubbed before the cut; JSON of another shape gives none,
 * so the message is the status. Every message is scrubbed of secrets by upstreamHttpError.
 */
import type { z } from "zod";
import type { GatewayError } from "../core/errors";
import { scrub, upstreamHttpError, type ProviderErrorDetail, type UpstreamErrorInfo } from "./http-adapter";

/** What a provider reads out of its own error body. */
export interface ProviderErrorReading extends ProviderErrorDetail {
  message?: string | undefined;
}

const RAW_MESSAGE_CHARS = 300;
/** Scrubbed before the cut, over a window long enough to hold any key that starts before it. */
const RAW_SCRUB_WINDOW_CHARS = RAW_MESSAGE_CHARS + 1_024;

export function parseErrorBody<T>(info: UpstreamErrorInfo, schema: z.ZodType<T>, read: (body: T) => ProviderErrorReading): GatewayError {
  let json: unknown;
  try {
    json = JSON.parse(info.bodyText);
  } catch {
    const scrubbed = scrub(info.bodyText.slice(0, RAW_SCRUB_WINDOW_CHARS), info.target);
    return upstreamHttpError(info, scrubbed.slice(0, RAW_MESSAGE_CHARS) || undefined);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return upstreamHttpError(info, undefined);
  const { message, ...detail } = read(parsed.data);
  return upstreamHttpError(info, message, detail);
}
