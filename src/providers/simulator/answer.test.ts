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
