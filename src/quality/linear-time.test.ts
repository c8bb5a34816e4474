/**
 * The gateway's own uses of client and config patterns, on hostile 10 KB inputs, measured in CPU
 * time (process.cpuUsage): route matching, the `regex` check and a JSON schema's `pattern`. And the
 * schema validator cache: 500 distinct 1 MB client schemas leave the heap (after a full GC) within
 * a stated bound.
 */
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { CheckSchema, RouteSchema } from "../config/schema";
import { cpuMs, EXPONENTIAL, HOSTILE_INPUT } from "../core/__fixtures__/hostile-patterns";
import { matchesRoute } from "../routing/match";
import type { AnswerView } from "./answer";
import { runChecks } from "./checks";
import { checkJsonSchema, SCHEMA_CACHE_BYTES, schemaCacheBytes } from "./json-schema-check";

const answer = (text: string): AnswerView => ({ text, finishReason: "stop", refusal: null, toolCalls: [], outputTokens: 1, logprobs: null });
const meta = { requestId: "r", receivedAt: 0, promptChars: HOSTILE_INPUT.length, promptTokens: 2_600, lastUserText: HOSTILE_INPUT };

describe("hostile patterns on a 10 KB input stay under 100 ms of CPU", () => {
  for (const pattern of EXPONENTIAL) {
    it(`route match lastUserMessage ${pattern}`, () => {
      const route = RouteSchema.parse({ name: "r", match: { lastUserMessage: { pattern } }, model: "m" });
      expect(cpuMs(() => void matchesRoute(route, "auto", meta))).toBeLessThan(100);
    });

    it(`regex check ${pattern}`, () => {
      const check = CheckSchema.parse({ type: "regex", pattern });
      expect(cpuMs(() => void runChecks([check], answer(HOSTILE_INPUT), { request: {}, samples: [], logprobsSupported: false }))).toBeLessThan(100);
    });

    it(`client JSON schema pattern ${pattern}`, () => {
      const request = { response_format: { type: "json_schema" as const, json_schema: { name: "s", schema: { type: "object", properties: { v: { type: "string", pattern } }, patternProperties: { [pattern]: { type: "string" } } } } } };
      let passed: boolean | null | undefined;
      const ms = cpuMs(() => (passed = checkJsonSchema(answer(JSON.stringify({ v: HOSTILE_INPUT, [HOSTILE_INPUT]: "x" })), undefined, request).passed));
      expect(ms).toBeLessThan(100);
      expect(typeof passed).toBe("boolean");
    });
  }
});

describe("the schema validator cache is bounded by bytes", () => {
  it("500 distinct 1 MB client schemas grow the heap by under 48 MB (the cache keeps at most 8 MB)", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 500; i++) {
      const schema = { type: "object", title: `schema ${i}`, description: `${i}`.padEnd(1_000_000, "x"), properties: { v: { type: "string" } } };
      const request = { response_format: { type: "json_schema" as const, json_schema: { name: "s", schema } } };
      expect(checkJsonSchema(answer('{"v":"ok"}'), undefined, request).passed).toBe(true);
      expect(schemaCacheBytes()).toBeLessThanOrEqual(SCHEMA_CACHE_BYTES);
    }
    gc();
    const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    console.log(`500 distinct 1 MB schemas: heap grew ${grownMb.toFixed(1)} MB; cache holds ${(schemaCacheBytes() / 1024 / 1024).toFixed(1)} MB`);
    expect(grownMb).toBeLessThan(48);
  });

  it("small schemas are kept and reused", () => {
    const schema = { type: "object", properties: { city: { type: "string", pattern: "^[A-Z]" } } };
    const request = { response_format: { type: "json_schema" as const, json_schema: { name: "s", schema } } };
    const before = schemaCacheBytes();
    expect(checkJsonSchema(answer('{"city":"Paris"}'), undefined, request).passed).toBe(true);
    expect(checkJsonSchema(answer('{"city":"paris"}'), undefined, request).passed).toBe(false);
    expect(schemaCacheBytes()).toBeGreaterThan(before);
  });
});
