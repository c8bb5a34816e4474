import { describe, expect, it } from "vitest";
import { ChatRequestSchema } from "../../core/chat-request";
import { simulateAnswer } from "./answer";

const req = (over: Record<string, unknown> = {}) => ChatRequestSchema.parse({ messages: [{ role: "user", content: "Explain routing." }], ...over });

describe("simulateAnswer", () => {
  it("is deterministic for the same request and model, and differs across models", () => {
    const a = simulateAnswer(req(), "m1");
    expect(simulateAnswer(req(), "m1")).toEqual(a);
    expect(simulateAnswer(req(), "m2").choices[0]?.tokens.join("")).not.toBe(a.choices[0]?.tokens.join(""));
    expect(a.usage.completion_tokens).toBe(a.choices[0]?.tokens.length);
    expect(a.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("respects max_tokens with finish_reason length", () => {
    const a = simulateAnswer(req({ max_tokens: 5 }), "m");
    expect(a.choices[0]?.tokens).toHaveLength(5);
    expect(a.choices[0]?.finishReason).toBe("length");
  });

  it("answers json_schema requests with JSON that has the schema's shape", () => {
    const schema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer", minimum: 1 }, tags: { type: "array", items: { type: "string" } } }, required: ["name", "age", "tags"] };
    const a = simulateAnswer(req({ response_format: { type: "json_schema", json_schema: { name: "p", schema } } }), "m");
    const parsed = JSON.parse(a.choices[0]?.tokens.join("") ?? "") as { name: unknown; age: unknown; tags: unknown };
    expect(typeof parsed.name).toBe("string");
    expect(Number.isInteger(parsed.age) && (parsed.age as number) >= 1).toBe(true);
    expect(Array.isArray(parsed.tags)).toBe(true);
  });

  it("calls a forced tool, and gives n choices and logprobs when asked", () => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } } }];
    const t = simulateAnswer(req({ tools, tool_choice: "required" }), "m");
    expect(t.choices[0]?.toolCalls[0]?.function.name).toBe("lookup");
    expect(t.choices[0]?.finishReason).toBe("tool_calls");
    const n = simulateAnswer(req({ n: 3, logprobs: true }), "m");
    expect(n.choices).toHaveLength(3);
    expect(n.choices[0]?.logprobs?.content?.length).toBe(n.choices[0]?.tokens.length);
  });
});

describe("tool_choice auto", () => {
  const tools = [
    { type: "function", function: { name: "get_weather", description: "Current weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
    { type: "function", function: { name: "search_flights", description: "Find flights between two airports", parameters: { type: "object", properties: { from: { type: "string" }, to: { type: "string" } } } } },
  ];
  const ask = (content: string, over: Record<string, unknown> = {}) => simulateAnswer(req({ messages: [{ role: "user", content }], tools, tool_choice: "auto", ...over }), "m").choices[0];

  it("calls the tool the last user message plausibly asks for, by its name's words or description", () => {
    expect(ask("What's the weather in Paris today?")?.toolCalls[0]?.function.name).toBe("get_weather");
    expect(ask("Please search flights from OSL to CDG")?.toolCalls[0]?.function.name).toBe("search_flights");
    expect(ask("call get_weather please")?.toolCalls[0]?.function.name).toBe("get_weather");
    // Without tool_choice (auto is the default) too.
    expect(simulateAnswer(req({ messages: [{ role: "user", content: "weather in Rome?" }], tools }), "m").choices[0]?.finishReason).toBe("tool_calls");
  });

  it("answers when nothing matches, when told none, and after a tool result (quoting it)", () => {
    expect(ask("Write a haiku about autumn.")?.toolCalls).toEqual([]);
    expect(ask("What's the weather in Paris?", { tool_choice: "none" })?.toolCalls).toEqual([]);
    const after = simulateAnswer(req({
      tools, tool_choice: "auto",
      messages: [
        { role: "user", content: "What's the weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "c1", content: "sunny, 24C" },
      ],
    }), "m").choices[0];
    expect(after?.toolCalls).toEqual([]);
    expect(after?.finishReason).toBe("stop");
    expect(after?.tokens.join("")).toContain("sunny, 24C");
  });
});

describe("JSON from schemas, bounds included", () => {
  const schemas = [
    { type: "object", properties: { n: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 } }, required: ["n"] },
    { type: "object", properties: { n: { type: "integer", exclusiveMinimum: 5, exclusiveMaximum: 8 } }, required: ["n"] },
    { type: "object", properties: { n: { type: "integer", maximum: -50 } }, required: ["n"] },
    { type: "object", properties: { n: { type: "number", minimum: 1000.5, maximum: 1000.75 } }, required: ["n"] },
    { type: "object", properties: { n: { type: "integer", minimum: 0, maximum: 1000, multipleOf: 25 } }, required: ["n"] },
    { type: "object", properties: { s: { type: "string", minLength: 12, maxLength: 14 }, t: { type: "string", maxLength: 2 }, e: { type: "string", format: "email" } }, required: ["s", "t", "e"] },
    { type: "object", properties: { a: { type: "array", items: { type: "integer", minimum: 3, maximum: 3 }, minItems: 2, maxItems: 3 } }, required: ["a"] },
  ];

  it.each(schemas)("%# is valid against its schema for many seeds, with ordinary numbers", async (schema) => {
    const { Validator } = await import("@cfworker/json-schema");
    const v = new Validator(schema as never, "2020-12", false);
    for (let seed = 0; seed < 40; seed++) {
      const a = simulateAnswer(req({ seed, response_format: { type: "json_schema", json_schema: { name: "x", schema } } }), "m");
      const value = JSON.parse(a.choices[0]?.tokens.join("") ?? "null") as Record<string, unknown>;
      expect(v.validate(value).valid, JSON.stringify(value)).toBe(true);
      for (const x of Object.values(value)) if (typeof x === "number") expect(Math.abs(x)).toBeLessThan(1e6);
    }
  });
});
