/** `json_schema`: the answer parses as JSON and satisfies the schema (@cfworker/json-schema: no eval, Workers-safe). */
import { Validator, type Schema } from "@cfworker/json-schema";
import type { ChatRequest } from "../core/chat-request";
import { BoundedCache } from "../core/bounded-cache";
import { UnsafePatternError } from "../core/linear-regex";
import { withLinearRegExp } from "../core/schema-patterns";
import type { AnswerView } from "./answer";
import type { CheckVerdict } from "./types";

/**
 * Compiled validators, reused across requests of an isolate (schemas come from config or
 * requests), bounded by bytes: a validator is charged 4 bytes per character of its schema's
 * JSON (the key string is UTF-16, the parsed schema it holds is larger than its text), and a
 * schema over 256 KB of JSON is compiled per use instead of kept.
 */
export const SCHEMA_CACHE_BYTES = 8 * 1024 * 1024;
const SCHEMA_CACHE_ENTRY_BYTES = 1024 * 1024;
const validators = new BoundedCache<Validator>({ maxBytes: SCHEMA_CACHE_BYTES, maxEntryBytes: SCHEMA_CACHE_ENTRY_BYTES });

function validatorFor(schema: Record<string, unknown>): Validator {
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    v = new Validator(schema as Schema, "2020-12", false);
    validators.set(key, v, key.length * 2);
  }
  return v;
}

/** Bytes charged to the validators kept now (tests, benchmarks). */
export const schemaCacheBytes = (): number => validators.bytes;

/** The schema to check against: the check's own, else the request's response_format. */
export function schemaFor(checkSchema: Record<string, unknown> | undefined, request: Pick<ChatRequest, "response_format">): Record<string, unknown> | "any-object" | null {
  if (checkSchema) return checkSchema;
  const rf = request.response_format;
  if (rf?.type === "json_schema") return rf.json_schema.schema ?? "any-object";
  if (rf?.type === "json_object") return "any-object";
  return null;
}

export function checkJsonSchema(answer: AnswerView, checkSchema: Record<string, unknown> | undefined, request: Pick<ChatRequest, "response_format">): CheckVerdict {
  const schema = schemaFor(checkSchema, request);
  if (schema === null) return { type: "json_schema", passed: null, detail: "no schema: neither the check nor the request's response_format gives one" };
  // A forced tool call carries the JSON in its arguments.
  const text = answer.text.trim() === "" && answer.toolCalls.length === 1 ? (answer.toolCalls[0]?.arguments ?? "") : answer.text;
  let value: unknown;
  try {
    value = JSON.parse(stripFences(text));
  } catch {
    return { type: "json_schema", passed: false, detail: "the answer is not valid JSON" };
  }
  if (schema === "any-object") {
    const ok = typeof value === "object" && value !== null && !Array.isArray(value);
    return { type: "json_schema", passed: ok, detail: ok ? "a JSON object" : "JSON, but not an object" };
  }
  let result: ReturnType<Validator["validate"]>;
  try {
    // `pattern` and `patternProperties` run in the linear-time engine, never in backtracking RegExp.
    result = withLinearRegExp(() => validatorFor(schema).validate(value));
  } catch (err) {
    if (err instanceof UnsafePatternError) return { type: "json_schema", passed: false, detail: `the schema has a pattern the gateway cannot run safely: ${err.message}` };
    throw err;
  }
  if (result.valid) return { type: "json_schema", passed: true, detail: "valid against the schema" };
  const first = result.errors.find((e) => e.keyword !== "properties" && e.keyword !== "items") ?? result.errors[0];
  return { type: "json_schema", passed: false, detail: `schema violation at ${first?.instanceLocation ?? "#"}: ${first?.error ?? "invalid"}` };
}

function stripFences(text: string): string {
  const m = text.trim().match(/^```(?:json)?\s*([\s\S]*?)\s*```$/);
  return m?.[1] ?? text;
}
