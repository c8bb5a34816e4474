import { describe, expect, it } from "vitest";
import { seamOverlap } from "./seam";
import { CONTINUE_INSTRUCTION, continuationRequest } from "./continuation-request";
import type { ChatRequest } from "../core/chat-request";

describe("seamOverlap", () => {
  const partial = "The cat sat on the mat. ";
  it("holds back text that could still be a repeat of the partial", () => {
    expect(seamOverlap(partial, "The", false)).toEqual({ pending: true, strip: 0 });
    expect(seamOverlap(partial, "", false).pending).toBe(true);
  });
  it("drops a restart from the beginning once it is clear", () => {
    expect(seamOverlap(partial, "The cat sat on the mat. It purred", false)).toEqual({ pending: false, strip: partial.length });
  });
  it("drops a long repeated tail, keeps a short one (repetitive text going on looks the same)", () => {
    const long = "The cat sat on the mat and looked at the dog. ";
    expect(seamOverlap(long, "on the mat and looked at the dog. It purred.", false)).toEqual({ pending: false, strip: "on the mat and looked at the dog. ".length });
    expect(seamOverlap(partial, "the mat. It purred.", false)).toEqual({ pending: false, strip: 0 });
    expect(seamOverlap("tok tok tok tok", " tok tok tok tok tok", false)).toEqual({ pending: false, strip: 0 });
  });
  it("drops a whitespace overlap (a prefill without its trailing space), but not a one-letter coincidence", () => {
    expect(seamOverlap(partial, " It purred.", false)).toEqual({ pending: false, strip: 1 });
    expect(seamOverlap("I like the", "e end", false)).toEqual({ pending: false, strip: 0 });
  });
  it("keeps a genuine continuation whole", () => {
    expect(seamOverlap(partial, "It purred.", false)).toEqual({ pending: false, strip: 0 });
  });
  it("decides at the end of the continuation even while still ambiguous", () => {
    expect(seamOverlap(partial, "mat. ", true)).toEqual({ pending: false, strip: 0 });
    expect(seamOverlap(partial, partial, true)).toEqual({ pending: false, strip: partial.length });
    expect(seamOverlap(partial, "cat", true)).toEqual({ pending: false, strip: 0 });
  });
});

describe("continuationRequest", () => {
  const base: ChatRequest = { model: "auto", messages: [{ role: "user", content: "Tell me" }], max_tokens: 100 } as ChatRequest;
  it("prefill: the partial as the last assistant turn, trailing whitespace trimmed", () => {
    const r = continuationRequest(base, "Once upon a time ", "prefill");
    expect(r.messages.at(-1)).toEqual({ role: "assistant", content: "Once upon a time" });
    expect(r.max_tokens).toBe(100 - 5);
  });
  it("prefix: marked for prefix completion", () => {
    expect(continuationRequest(base, "Once", "prefix").messages.at(-1)).toEqual({ role: "assistant", content: "Once", prefix: true });
  });
  it("instruction: the partial, then a user turn asking for the rest", () => {
    const r = continuationRequest(base, "Once", "instruction");
    expect(r.messages.slice(-2)).toEqual([{ role: "assistant", content: "Once" }, { role: "user", content: CONTINUE_INSTRUCTION }]);
  });
  it("no text sent yet: the original request", () => {
    expect(continuationRequest(base, "", "instruction").messages).toEqual(base.messages);
  });
});
