/**
 * The only place SSE text is decoded or encoded. Everything between the two edges moves
 * event objects (decoded) or chunk objects (canonical), never `data:` strings.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { EventSourceMessage } from "eventsource-parser";

export type { EventSourceMessage };

/** Upstream bytes → parsed SSE events. */
export function decodeSSE(body: ReadableStream<Uint8Array>): ReadableStream<EventSourceMessage> {
  return body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
}

export interface OutboundEvent {
  /** Serialised as JSON unless it is already a string (e.g. "[DONE]"). */
  data: unknown;
  event?: string;
}

const encoder = new TextEncoder();

export function encodeEvent(ev: OutboundEvent): Uint8Array {
  const data = typeof ev.data === "string" ? ev.data : JSON.stringify(ev.data);
  let frame = "";
  if (ev.event !== undefined) {
    if (/[\r\n]/.test(ev.event)) throw new Error("SSE event names cannot contain line breaks");
    frame += `event: ${ev.event}\n`;
  }
  // JSON.stringify never emits raw newlines; a plain string might, and each line needs its own prefix.
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return encoder.encode(frame + "\n");
}

/** Outbound events → bytes for the client. */
export function encodeSSE(): TransformStream<OutboundEvent, Uint8Array> {
  return new TransformStream({
    transform(ev, controller) {
      controller.enqueue(encodeEvent(ev));
    },
  });
}

export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
};
