/**
 * The only place SSE text is decoded or encoded. Everything between the two edges moves
 * event objects (decoded) or chunk objects (canonical), never `data:` strings.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

export type { EventSourceMessage };

/**
 * A synchronous function's result: an async function (whose promise has a `then`) does not
 * type-check as one (a plain `void` return would accept it).
 */
type Sync = void & ({ then?: never } | void);

/**
 * One upstream event → output chunks, synchronously. A Transformer may return a promise, and a
 * promise rejected inside the parser's callback would be lost; this cannot return one, so what
 * it throws is what errors the stream.
 */
export interface EventTranslator<T> {
  start?(controller: TransformStreamDefaultController<T>): Sync;
  transform(event: EventSourceMessage, controller: TransformStreamDefaultController<T>): Sync;
  flush?(controller: TransformStreamDefaultController<T>): Sync;
}

/**
 * Upstream bytes → parsed SSE events → whatever `translate` makes of each event, in ONE stream
 * stage: decoding, parsing and translation run in the same transform call, instead of three
 * piped stages each costing promise hops per chunk (measured: the stage count dominated a
 * streamed request's CPU time). What `translate` throws errors the stream.
 */
export function decodeSSE<T>(body: ReadableStream<Uint8Array>, translate: EventTranslator<T>): ReadableStream<T> {
  const decoder = new TextDecoder();
  let controller!: TransformStreamDefaultController<T>;
  let failure: unknown;
  const parser = createParser({
    onEvent(event) {
      if (failure !== undefined) return;
      try {
        translate.transform(event, controller);
      } catch (err) {
        failure = err;
      }
    },
  });
  return body.pipeThrough(
    new TransformStream<Uint8Array, T>({
      start(c) {
        controller = c;
        translate.start?.(c);
      },
      transform(bytes) {
        parser.feed(decoder.decode(bytes, { stream: true }));
        if (failure !== undefined) throw failure;
      },
      flush(c) {
        parser.feed(decoder.decode());
        if (failure !== undefined) throw failure;
        translate.flush?.(c);
      },
    }),
  );
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

export const SSE_HEADERS: Record<string, string> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
};
