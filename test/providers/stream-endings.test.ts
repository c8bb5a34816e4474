/**
 * Exact endings: on every wire, a stream that fails after its answer began — cut, ended cleanly
 * before the wire's own end, an error event, an event that is not JSON, an event that breaks the
 * wire's order, or silence past the idle timeout — reaches the client as a cut answer (an error
 * event, no [DONE] / message_stop) and the ledger as `partial`, never as a finished answer. The
 * same faults before any content fall back invisibly.
 */
import { describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/schema";
import { assembleStream, baseConfig, chat, fake, fakeAnthropic, fakeGemini, ledger, messages, putConfig, sseEvents, uniq } from "../support/gateway";

type Maker = (scenario: string, price?: { input: number; output: number }, extra?: Partial<ConfigInput["models"][string]>) => ConfigInput["models"][string];

/** Per wire: its model maker, how many frames of the echo stream come before any content, and how many carry "echo: one". */
const WIRES: Array<{ wire: string; make: Maker; framesBeforeContent: number; framesWithContent: number }> = [
  { wire: "openai", make: fake, framesBeforeContent: 1, framesWithContent: 3 },
  { wire: "anthropic", make: fakeAnthropic, framesBeforeContent: 3, framesWithContent: 5 },
  { wire: "gemini", make: fakeGemini, framesBeforeContent: 0, framesWithContent: 2 },
];

/** Each fault, the error class the ledger records, and what the attempt's error says. */
const FAULTS: Array<{ fault: string; errorClass: string; says: RegExp }> = [
  { fault: "cut", errorClass: "stream_interrupted", says: /closed the connection|interrupted|network|disconnect/i },
  { fault: "truncate", errorClass: "stream_interrupted", says: /without a finish reason|before message_stop|without a stop reason/ },
  { fault: "error-event", errorClass: "stream_interrupted", says: /injected in-stream error|Overloaded|overloaded/ },
  { fault: "garbage", errorClass: "stream_interrupted", says: /not JSON/ },
  { fault: "violate", errorClass: "stream_interrupted", says: /never opened|unopened block|no call open/ },
  { fault: "stall", errorClass: "timeout", says: /within 300 ms/ },
];

const prompt = [{ role: "user", content: "one two three four" }];

describe.each(WIRES)("$wire wire: a stream that fails after content", ({ make, framesBeforeContent, framesWithContent }) => {
  it.each(FAULTS)("$fault: an error event, no [DONE], recorded as partial", async ({ fault, errorClass, says }) => {
    await putConfig(baseConfig({ p: make(`${fault}:${framesWithContent}:${uniq()}`, undefined, { timeoutMs: 300 }) }, [{ name: "default", match: {}, model: "p" }]));
    const res = await chat({ model: "auto", messages: prompt, stream: true });
    expect(res.status).toBe(200);
    const a = await assembleStream(res);
    expect(a.text).toBe("echo: one");
    expect(a.done).toBe(false);
    expect(a.finishReason).toBeNull();
    expect(a.error).not.toBeNull();
    const { request, attempts } = await ledger(res.headers.get("x-tiergate-request-id"));
    expect(request).toMatchObject({ status: "partial", error_class: errorClass, served_model: "p", finish_reason: null });
    expect(attempts).toMatchObject([{ ok: 0, error_class: errorClass }]);
    expect(attempts[0]?.error_message).toMatch(says);
  });

  it.each(FAULTS)("$fault before any content falls back", async ({ fault }) => {
    await putConfig(baseConfig({ p: make(`${fault}:${framesBeforeContent}:${uniq()}`, undefined, { timeoutMs: 300 }), backup: fake("echo") }, [{ name: "default", match: {}, model: "p", fallbacks: ["backup"] }]));
    const res = await chat({ model: "auto", messages: prompt, stream: true });
    const a = await assembleStream(res);
    expect(a).toMatchObject({ text: "echo: one two three four", done: true, error: null, finishReason: "stop" });
    expect(res.headers.get("x-tiergate-model")).toBe("backup");
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "ok", attempts: 2 });
  });
});

describe("an OpenAI-wire stream that stops cleanly with no finish reason and no [DONE]", () => {
  it("is a cut answer for Claude clients on /v1/messages too: an error event, no end_turn, no message_stop", async () => {
    await putConfig(baseConfig({ p: fake(`truncate:3:${uniq()}`) }, [{ name: "default", match: {}, model: "p" }]));
    const res = await messages({ model: "auto", max_tokens: 100, messages: prompt, stream: true });
    const events = await sseEvents(res);
    const types = events.map((e) => e.event);
    expect(types).toContain("error");
    expect(types).not.toContain("message_stop");
    expect(events.some((e) => e.data.includes("end_turn"))).toBe(false);
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "partial", error_class: "stream_interrupted" });
  });

  it("a finish reason without [DONE] is still a whole answer", async () => {
    // `truncate:n` with n = every frame but [DONE]: the finish chunk arrives, the sentinel does not.
    await putConfig(baseConfig({ p: fake(`truncate:5:${uniq()}`) }, [{ name: "default", match: {}, model: "p" }]));
    const res = await chat({ model: "auto", messages: [{ role: "user", content: "a b" }], stream: true });
    expect(await assembleStream(res)).toMatchObject({ text: "echo: a b", done: true, error: null, finishReason: "stop" });
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "ok" });
  });
});
