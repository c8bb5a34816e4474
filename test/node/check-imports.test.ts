import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { directionViolations, folderLoops, importEdges, layerOf, type Edge } from "../../scripts/check-imports";

const edge = (from: string, to: string): Edge => ({ from, to, file: resolve("src", from, "x.ts"), spec: `../${to}/y` });

describe("the import-direction check", () => {
  it("accepts an import down the layers, skipping some", () => {
    expect(directionViolations([edge("http", "core"), edge("execution", "routing"), edge("storage", "ledger")])).toEqual([]);
  });

  it("fails an import up the layers or across one layer", () => {
    const problems = directionViolations([edge("storage", "http"), edge("providers", "quality"), edge("config", "providers")]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/storage may not import http \(a layer above\)/);
    expect(problems[1]).toMatch(/providers may not import quality \(same layer\)/);
  });

  it("fails a folder the order does not name", () => {
    expect(directionViolations([edge("widgets", "core")])[0]).toMatch(/"widgets" is not in the layer order/);
  });

  it("finds a folder loop whatever the layer order says", () => {
    expect(folderLoops([edge("config", "providers"), edge("providers", "config")])).toEqual(["folder loop: config → providers → config"]);
    expect(folderLoops([edge("http", "core"), edge("routing", "core")])).toEqual([]);
  });

  it("reads the real imports of src/ and finds none pointing up", () => {
    const edges = importEdges([resolve("src/ledger/record.ts"), resolve("src/simulate/decide.ts")]);
    expect(edges.some((e) => e.from === "ledger" && e.to === "routing")).toBe(true);
    expect(edges.every((e) => layerOf(e.to) > layerOf(e.from))).toBe(true);
  });
});
