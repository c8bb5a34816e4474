import { describe, expect, it } from "vitest";
import { decodeSSE, encodeEvent, type EventSourceMessage, type EventTranslator } from "./sse";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("SSE framing", () => {
  it("encodes JSON data, names and [DONE]", () => {
    expect(text(encodeEvent({ data: { a: 1 } }))).toBe('data: {"a":1}\n\n');
    expect(text(encodeEvent({ data: "[DONE]" }))).toBe("data: [DONE]\n\n");
    expect(text(encodeEvent({ event: "message_stop", data: { type: "message_stop" } }))).toBe('event: message_stop\ndata: {"type":"message_stop"}\n\n');
  });

  it("gives every line of multi-line data its own prefix and refuses line breaks in names", () => {
    expect(text(encodeEvent({ data: "a\nb" }))).toBe("data: a\ndata: b\n\n");
    expect(() => encodeEvent({ event: "x\ny", data: "z" })).toThrow();
  });

  it("decodes what it encodes, across arbitrary byte splits", async () => {
    const bytes = new Uint8Array([...encodeEvent({ data: { n: 1, s: "héllo" } }), ...encodeEvent({ event: "e", data: "[DONE]" })]);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
        c.close();
      },
    });
    const events = [];
    const reader = decodeSSE<EventSourceMessage>(body, { transform: (ev, c) => c.enqueue(ev) }).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events.push({ event: value.event, data: value.data });
    }
    expect(events).toEqual([{ event: undefined, data: '{"n":1,"s":"héllo"}' }, { event: "e", data: "[DONE]" }]);
  });

  it("errors the stream with what the translation throws, and runs its flush at the end", async () => {
    const bytes = new Uint8Array([...encodeEvent({ data: "a" }), ...encodeEvent({ data: "boom" }), ...encodeEvent({ data: "c" })]);
    const body = () => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes); c.close(); } });
    const failing = decodeSSE<string>(body(), { transform(ev, c) { if (ev.data === "boom") throw new Error("bad event"); c.enqueue(ev.data); } }).getReader();
    expect(await failing.read()).toEqual({ done: false, value: "a" });
    await expect(failing.read()).rejects.toThrow("bad event");
    const flushed: string[] = [];
    const r = decodeSSE<string>(body(), { transform(ev, c) { c.enqueue(ev.data); }, flush(c) { c.enqueue("end"); } }).getReader();
    for (;;) { const { done, value } = await r.read(); if (done) break; flushed.push(value); }
    expect(flushed).toEqual(["a", "boom", "c", "end"]);
  });

  it("takes only synchronous translators: an async one, whose rejection would be lost, does not type-check", () => {
    // @ts-expect-error an async transform returns a promise
    const rejected: EventTranslator<string> = { async transform() {} };
    const accepted: EventTranslator<string> = { transform: (ev, c) => c.enqueue(ev.data) };
    expect(typeof rejected.transform).toBe("function");
    expect(typeof accepted.transform).toBe("function");
  });
});
