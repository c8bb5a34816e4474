/** Reads a request body as text with a byte limit, counting as it reads (Content-Length may be absent or wrong). */
import { GatewayError, badRequest } from "../core/errors";

export function payloadTooLarge(limit: number): GatewayError {
  return new GatewayError({
    status: 413, type: "invalid_request_error", code: "request_too_large",
    message: `request body exceeds the gateway's limit of ${limit} bytes`, errorClass: "payload_too_large", retryable: false,
  });
}

export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    throw payloadTooLarge(limit);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge(limit);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badRequest("request body is not valid UTF-8", null, "invalid_encoding");
  }
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") throw badRequest("request body is empty; send a JSON object", null, "invalid_json");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, null, "invalid_json");
  }
}
