/**
 * Upstreams that echo the key they were sent, every way a careless API or proxy does:
 *   leak:fields     JSON error with the key in every field and in nested details
 *   leak:upper      the key upper-cased (and base64-encoded, as in a Basic auth echo)
 *   leak:text:at=N  a non-JSON body (a proxy's page) with the key starting at character N
 *   leak:stream:n=K a stream: K echo frames, then the wire's error event quoting the key
 */
import type { ServerResponse } from "node:http";
import type { Scenario } from "./scenario";
import { numOpt } from "./scenario";

type Wire = "openai" | "anthropic" | "gemini";

function errorWithKey(wire: Wire, status: number, message: string, key: string): unknown {
  if (wire === "anthropic") return { type: "error", error: { type: "authentication_error", message, detail: { key } }, request_id: key };
  if (wire === "gemini") {
    return { error: { code: status, message, status: key, details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: key, metadata: { key, nested: { again: key } } }] } };
  }
  return { error: { message, type: key, code: key, param: key, details: { key, list: [key] } } };
}

function frame(wire: Wire, data: unknown): string {
  const line = JSON.stringify(data);
  return wire === "anthropic" ? `event: error\ndata: ${line}\n\n` : `data: ${line}\n\n`;
}

export function leak(res: ServerResponse, wire: Wire, key: string, s: Scenario, stream: boolean, echoFrames: (n: number) => string[]): void {
  const variant = s.args[0];
  if (variant === "text") {
    const at = numOpt(s, "at", 290);
    res.writeHead(502, { "content-type": "text/html" });
    res.end(`${"p".repeat(at)}${key} is not accepted here</p>`);
    return;
  }
  if (variant === "stream" && stream) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const f of echoFrames(numOpt(s, "n", 2))) res.write(f);
    const message = `key ${key} was revoked mid-stream`;
    const event = wire === "anthropic" ? { type: "error", error: { type: "api_error", message } } : wire === "gemini" ? { error: { code: 503, message, status: key } } : { error: { message, type: key, code: key, param: key } };
    res.end(frame(wire, event));
    return;
  }
  const shown = variant === "upper" ? key.toUpperCase() : key;
  const message = variant === "upper" ? `INVALID KEY ${shown}; BASIC ${Buffer.from(`user:${key}`).toString("base64")}` : `Incorrect API key provided: ${shown}`;
  res.writeHead(401, { "content-type": "application/json" });
  res.end(JSON.stringify(errorWithKey(wire, 401, message, shown)));
}
