/** Unit tests of the Gemini adapter's pure pieces: partialArgs assembly, schema conversion, RetryInfo durations. */
import { describe, expect, it } from "vitest";
import { PartialArgs } from "./partial-args";
import { durationMs } from "./errors";
import { hasProperties, toGeminiSchema } from "./schema";

describe("PartialArgs", () => {
  it("continues a string value across pieces and closes it without willContinue", () => {
    const a = new PartialArgs();
    a.add([{ jsonPath: "$.id", stringValue: "A", willContinue: true }]);
    a.add([{ jsonPath: "$.id", stringValue: "B", willContinue: true }]);
    a.add([{ jsonPath: "$.id", stringValue: "" }]);
    expect(a.object()).toEqual({ id: "AB" });
  });

  it("builds nested objects and arrays from JSON paths, with every value type", () => {
    const a = new PartialArgs();
    a.add([
      { jsonPath: "$.user.name", stringValue: "Ada" },
      { jsonPath: "$.user['home town']", stringValue: "London" },
      { jsonPath: "$.tags[1]", stringValue: "b" },
      { jsonPath: "$.tags[0]", stringValue: "a" },
      { jsonPath: "$.count", numberValue: 3 },
      { jsonPath: "$.ok", boolValue: false },
      { jsonPath: "$.none", nullValue: "NULL_VALUE" },
    ]);
    expect(a.object()).toEqual({ user: { name: "Ada", "home town": "London" }, tags: ["a", "b"], count: 3, ok: false, none: null });
  });

  it("does not join a new string to an earlier finished one, and drops unreadable paths", () => {
    const a = new PartialArgs();
    a.add([{ jsonPath: "$.q", stringValue: "first" }, { jsonPath: "$.q", stringValue: "second" }, { jsonPath: "not-a-path", stringValue: "x" }]);
    expect(a.object()).toEqual({ q: "second" });
  });
});

describe("toGeminiSchema", () => {
  it("turns JSON Schema into Gemini's OpenAPI subset", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      additionalProperties: false,
      properties: {
        name: { type: ["string", "null"], description: "who" },
        kind: { const: "person" },
        size: { anyOf: [{ type: "integer", minimum: 0 }, { type: "null" }] },
        either: { oneOf: [{ type: "string" }, { type: "number" }] },
        tags: { type: "array", items: { $ref: "#/$defs/tag" } },
      },
      required: ["name"],
      $defs: { tag: { type: "string", enum: ["a", "b"] } },
    };
    expect(toGeminiSchema(schema)).toEqual({
      type: "object",
      properties: {
        name: { type: "string", nullable: true, description: "who" },
        kind: { enum: ["person"] },
        size: { nullable: true, type: "integer", minimum: 0 },
        either: { anyOf: [{ type: "string" }, { type: "number" }] },
        tags: { type: "array", items: { type: "string", enum: ["a", "b"] } },
      },
      required: ["name"],
    });
  });

  it("inlines a recursive $ref to a bounded depth instead of looping", () => {
    const schema = { $ref: "#/definitions/node", definitions: { node: { type: "object", properties: { next: { $ref: "#/definitions/node" } } } } };
    let node = toGeminiSchema(schema) as { properties?: { next?: unknown } };
    let depth = 0;
    while (node.properties?.next) {
      node = node.properties.next as typeof node;
      depth++;
    }
    expect(depth).toBeGreaterThan(2);
    expect(depth).toBeLessThan(10);
  });

  it("knows an object schema without properties (Gemini rejects those)", () => {
    expect(hasProperties({ type: "object", properties: {} })).toBe(false);
    expect(hasProperties(undefined)).toBe(false);
    expect(hasProperties({ type: "object", properties: { a: { type: "string" } } })).toBe(true);
  });
});

describe("durationMs (google.rpc.RetryInfo retryDelay)", () => {
  it("reads protobuf JSON durations", () => {
    expect(durationMs("26s")).toBe(26_000);
    expect(durationMs("0.5s")).toBe(500);
    expect(durationMs("1.000340s")).toBe(1000);
  });
  it("ignores anything else", () => {
    expect(durationMs(undefined)).toBeUndefined();
    expect(durationMs("26")).toBeUndefined();
    expect(durationMs("soon")).toBeUndefined();
  });
});
