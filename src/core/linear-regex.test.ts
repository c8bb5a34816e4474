import { describe, expect, it } from "vitest";
import { compileLinear, linearPatternProblem, MAX_PATTERN_CHARS, MAX_REGEX_INPUT_CHARS } from "./linear-regex";
import { schemaPatternProblems, withLinearRegExp, MAX_SCHEMA_PATTERNS } from "./schema-patterns";
import { cpuMs, EXPONENTIAL, HOSTILE_INPUT } from "./__fixtures__/hostile-patterns";

describe("compileLinear", () => {
  it.each(EXPONENTIAL)("%s runs on a 10 KB input in under 100 ms of CPU", (pattern) => {
    let matched: boolean | undefined;
    const ms = cpuMs(() => (matched = compileLinear(pattern).test(HOSTILE_INPUT)));
    expect(ms).toBeLessThan(100);
    // The answers are RegExp's answers, only in linear time.
    expect(matched).toBe(pattern === "(\\w+\\s?)*$");
  });

  it("matches as RegExp does for ordinary patterns and flags", () => {
    expect(compileLinear("^\\d{4}-\\d{2}-\\d{2}$").test("2026-12-02")).toBe(true);
    expect(compileLinear("hello", "i").test("say HELLO")).toBe(true);
    expect(compileLinear("^b", "m").test("a\nb")).toBe(true);
    expect(compileLinear("a.b", "s").test("a\nb")).toBe(true);
    expect(compileLinear("a.b").test("a\nb")).toBe(false);
    expect(compileLinear("\\p{L}+", "u").test("été")).toBe(true);
  });

  it.each([
    ["(a)\\1", "backreferences"],
    ["(?=a)b", "lookahead"],
    ["(?<!x)y", "lookbehind"],
    ["a{1001}", "repeat"],
    ["x".repeat(MAX_PATTERN_CHARS + 1), "longer than"],
  ])("rejects %s", (pattern, why) => {
    const problem = linearPatternProblem(pattern);
    expect(problem).not.toBeNull();
    if (why !== "repeat" && why !== "longer than") expect(problem).toContain("no backreferences, lookahead or lookbehind");
    if (why === "longer than") expect(problem).toContain("longer than");
  });

  it("matches only the first MAX_REGEX_INPUT_CHARS characters", () => {
    const text = "a".repeat(MAX_REGEX_INPUT_CHARS) + "needle";
    expect(compileLinear("needle").test(text)).toBe(false);
    expect(compileLinear("needle").test("a".repeat(100) + "needle")).toBe(true);
  });
});

describe("JSON-schema patterns", () => {
  it("finds every pattern the engine cannot run, with its path", () => {
    const schema = { type: "object", properties: { a: { type: "string", pattern: "(?=x)" }, b: { anyOf: [{ pattern: "ok+" }, { pattern: "(x)\\1" }] } }, patternProperties: { "^(?!y)": {} } };
    const paths = schemaPatternProblems(schema).map((p) => p.path.join("/"));
    expect(paths.sort()).toEqual(["patternProperties/^(?!y)", "properties/a/pattern", "properties/b/anyOf/1/pattern"]);
  });

  it("refuses a schema with more patterns than it will compile", () => {
    const properties = Object.fromEntries(Array.from({ length: MAX_SCHEMA_PATTERNS + 1 }, (_, i) => [`p${i}`, { pattern: `^x${i}$` }]));
    expect(schemaPatternProblems({ properties })[0]?.message).toContain(`more than ${MAX_SCHEMA_PATTERNS} patterns`);
  });

  it("withLinearRegExp gives `new RegExp` the linear engine and puts RegExp back, even on a throw", () => {
    const original = RegExp;
    const ms = cpuMs(() => expect(withLinearRegExp(() => new RegExp("^(a+)+$", "u").test(HOSTILE_INPUT))).toBe(false));
    expect(ms).toBeLessThan(100);
    expect(() => withLinearRegExp(() => new RegExp("(?=a)", "u"))).toThrow();
    expect(RegExp).toBe(original);
    expect(/a+/.test("aa")).toBe(true);
  });
});
