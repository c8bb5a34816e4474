/**
 * JSON Schema `pattern` and `patternProperties` under the linear-time engine (core/linear-regex.ts):
 * `schemaPatternProblems` finds the patterns of a schema that cannot run in linear time (checked
 * when a config or a client's request arrives), and `withLinearRegExp` runs a validator with the
 * global RegExp constructor replaced by the linear-time engine for the (synchronous) duration of
 * the call, so the JSON-schema library's `new RegExp(pattern, "u").test(…)` never backtracks.
 */
import { compileLinear, linearPatternProblem } from "./linear-regex";

export interface SchemaPatternProblem {
  /** Path inside the schema, e.g. `["properties", "email", "pattern"]`. */
  path: Array<string | number>;
  message: string;
}

/** Patterns one schema may hold: each is compiled once, and compiling costs CPU. */
export const MAX_SCHEMA_PATTERNS = 200;

/** Every pattern of a schema that cannot run in linear time (walked iteratively: no depth limit to hit). */
export function schemaPatternProblems(schema: unknown, max = 10): SchemaPatternProblem[] {
  const problems: SchemaPatternProblem[] = [];
  let patterns = 0;
  const check = (pattern: string, path: Array<string | number>) => {
    patterns++;
    const problem = patterns > MAX_SCHEMA_PATTERNS ? `the schema holds more than ${MAX_SCHEMA_PATTERNS} patterns` : linearPatternProblem(pattern);
    if (problem) problems.push({ path, message: problem });
  };
  const stack: Array<{ node: unknown; path: Array<string | number> }> = [{ node: schema, path: [] }];
  while (stack.length > 0 && problems.length < max) {
    const { node, path } = stack.pop() as { node: unknown; path: Array<string | number> };
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: [...path, i] }));
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      if (key === "pattern" && typeof value === "string") check(value, here);
      else if (key === "patternProperties" && value !== null && typeof value === "object" && !Array.isArray(value)) {
        for (const p of Object.keys(value)) check(p, [...here, p]);
      }
      if (value !== null && typeof value === "object") stack.push({ node: value, path: here });
    }
  }
  return problems;
}

/** What a JSON-schema library sees as `RegExp` while a linear-time validation runs. */
class LinearRegExp {
  private readonly re;
  readonly source: string;
  readonly flags: string;
  constructor(pattern: unknown, flags?: string) {
    this.source = String(pattern);
    this.flags = flags ?? "";
    this.re = compileLinear(this.source, this.flags);
  }
  test(text: unknown): boolean {
    return this.re.test(String(text));
  }
}

/** Runs `fn` (synchronous) with `new RegExp(…)` compiling into the linear-time engine; regex literals are unaffected. */
export function withLinearRegExp<T>(fn: () => T): T {
  const original = globalThis.RegExp;
  (globalThis as { RegExp: unknown }).RegExp = LinearRegExp;
  try {
    return fn();
  } finally {
    globalThis.RegExp = original;
  }
}
