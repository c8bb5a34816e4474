import { describe, expect, it } from "vitest";
import { hasProperties, toGeminiSchema } from "./schema";

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
