import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { directionViolations, folderLoops, importEdges, layerOf, longFunctions, MAX_FUNCTION_LINES, type Edge } from "../../scripts/check-imports";

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

  it("flags a function over the line limit unless a long-function comment says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "check-imports-"));
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const long = file("long.ts", `export function big(): void {\n${body}\n}\n`);
    const arrow = file("arrow.ts", `export const big = (): void => {\n${body}\n};\n`);
    const waived = file("waived.ts", `// long-function: a table read top to bottom.\nexport function big(): void {\n${body}\n}\n`);
    const short = file("short.ts", `export function small(): number {\n  return 1;\n}\n`);
    const problems = longFunctions([long, arrow, waived, short]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/long\.ts:1: function big is 82 lines/);
    expect(problems[1]).toMatch(/arrow\.ts:1: function \(anonymous\) is 82 lines/);
  });
});
