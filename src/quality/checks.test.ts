import { describe, expect, it } from "vitest";
import { CheckSchema, type CheckSpec } from "../config/schema";
import type { AnswerView } from "./answer";
import { runChecks, type CheckContext } from "./checks";
import { allPassed } from "./types";

const answer = (over: Partial<AnswerView> = {}): AnswerView => ({ text: "Paris", finishReason: "stop", refusal: null, toolCalls: [], outputTokens: 2, logprobs: null, ...over });
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({ request: {}, samples: [], logprobsSupported: true, ...over });
const check = (spec: Record<string, unknown>): CheckSpec => CheckSchema.parse(spec);
const one = (spec: Record<string, unknown>, a: AnswerView, c: CheckContext = ctx()) => runChecks([check(spec)], a, c)[0];

describe("quality checks (pure)", () => {
  it("length in chars and in tokens, both bounds", () => {
    expect(one({ type: "length", min: 3, max: 10 }, answer({ text: "Paris" }))?.passed).toBe(true);
    expect(one({ type: "length", min: 6 }, answer({ text: "Paris" }))).toMatchObject({ passed: false, value: 5, detail: "5 chars < min 6" });
    expect(one({ type: "length", max: 1, unit: "tokens" }, answer({ outputTokens: 2 }))).toMatchObject({ passed: false, value: 2 });
  });

  it("contains: all / any, case-insensitive by default", () => {
    const a = answer({ text: "The capital is PARIS, in France." });
    expect(one({ type: "contains", terms: ["paris", "france"] }, a)?.passed).toBe(true);
    expect(one({ type: "contains", terms: ["paris", "lyon"] }, a)).toMatchObject({ passed: false, detail: "missing: lyon" });
    expect(one({ type: "contains", terms: ["paris", "lyon"], mode: "any" }, a)?.passed).toBe(true);
    expect(one({ type: "contains", terms: ["paris"], caseSensitive: true }, a)?.passed).toBe(false);
  });

  it("regex, and its negation", () => {
    expect(one({ type: "regex", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, answer({ text: "2026-12-02" }))?.passed).toBe(true);
    expect(one({ type: "regex", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, answer({ text: "Dec 2" }))?.passed).toBe(false);
    expect(one({ type: "regex", pattern: "sorry", flags: "i", negate: true }, answer({ text: "Sorry, I can't." }))?.passed).toBe(false);
  });

  it("json_schema against the check's schema and against the request's response_format", () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    expect(one({ type: "json_schema", schema }, answer({ text: '{"city":"Paris"}' }))?.passed).toBe(true);
    expect(one({ type: "json_schema", schema }, answer({ text: '{"town":"Paris"}' }))?.passed).toBe(false);
    expect(one({ type: "json_schema", schema }, answer({ text: "Paris" }))?.passed).toBe(false);
    const request = { response_format: { type: "json_schema" as const, json_schema: { name: "c", schema } } };
    expect(one({ type: "json_schema" }, answer({ text: '{"city":"Paris"}' }), ctx({ request }))?.passed).toBe(true);
    expect(one({ type: "json_schema" }, answer({ text: '{"city":1}' }), ctx({ request }))?.passed).toBe(false);
  });

  it("logprob: passes or fails on mean and minimum, and is skipped (not failed) where none are returned", () => {
    const lp = (xs: number[]) => xs.map((logprob, i) => ({ token: `t${i}`, logprob, bytes: null, top_logprobs: [] }));
    expect(one({ type: "logprob", minMean: -0.5 }, answer({ logprobs: lp([-0.1, -0.2]) }))?.passed).toBe(true);
    expect(one({ type: "logprob", minMean: -0.5 }, answer({ logprobs: lp([-0.1, -2]) }))?.passed).toBe(false);
    expect(one({ type: "logprob", minToken: -1 }, answer({ logprobs: lp([-0.1, -2]) }))?.passed).toBe(false);
    const skipped = runChecks([check({ type: "logprob", minMean: -0.5 })], answer(), ctx({ logprobsSupported: false }));
    expect(skipped[0]).toMatchObject({ passed: null });
    expect(allPassed(skipped)).toBe(true);
  });

  it("self_consistency compares the samples (normalized text, JSON)", () => {
    const same = [answer({ text: "Paris." }), answer({ text: "  paris" })];
    expect(one({ type: "self_consistency", samples: 2 }, same[0] as AnswerView, ctx({ samples: same }))?.passed).toBe(true);
    const differ = [answer({ text: "Paris" }), answer({ text: "Lyon" })];
    expect(one({ type: "self_consistency", samples: 2 }, differ[0] as AnswerView, ctx({ samples: differ }))?.passed).toBe(false);
    const json = [answer({ text: '{"a":1,"b":2}' }), answer({ text: '{"b":2,"a":1}' })];
    expect(one({ type: "self_consistency", samples: 2, compare: "json" }, json[0] as AnswerView, ctx({ samples: json }))?.passed).toBe(true);
  });

  it("finish: allowed reasons, and a refusal always fails", () => {
    expect(one({ type: "finish" }, answer({ finishReason: "length" }))?.passed).toBe(false);
    expect(one({ type: "finish", allow: ["stop", "length"] }, answer({ finishReason: "length" }))?.passed).toBe(true);
    expect(one({ type: "finish" }, answer({ refusal: "I can't help with that." }))).toMatchObject({ passed: false, detail: "the model refused" });
  });
});
