import { describe, expect, it } from "vitest";
import { PartialArgs } from "./partial-args";

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
