import { describe, expect, it } from "vitest";
import { decodeSSE, encodeEvent } from "./sse";

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
    const reader = decodeSSE(body).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events.push({ event: value.event, data: value.data });
    }
    expect(events).toEqual([{ event: undefined, data: '{"n":1,"s":"héllo"}' }, { event: "e", data: "[DONE]" }]);
  });
});
