/** `json_schema`: the answer parses as JSON and satisfies the schema (@cfworker/json-schema: no eval, Workers-safe). */
import { Validator, type Schema } from "@cfworker/json-schema";
import type { ChatRequest } from "../core/chat-request";
import type { AnswerView } from "./answer";
import type { CheckVerdict } from "./types";

// Compiled validators, reused across requests of an isolate (schemas come from config or requests).
const cache = new Map<string, Validator>();
const MAX_CACHED = 256;

function validatorFor(schema: Record<string, unknown>): Validator {
  const key = JSON.stringify(schema);
  let v = cache.get(key);
  if (!v) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    v = new Validator(schema as Schema, "2020-12", false);
    cache.set(key, v);
  }
  return v;
}

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
  const result = validatorFor(schema).validate(value);
  if (result.valid) return { type: "json_schema", passed: true, detail: "valid against the schema" };
  const first = result.errors.find((e) => e.keyword !== "properties" && e.keyword !== "items") ?? result.errors[0];
  return { type: "json_schema", passed: false, detail: `schema violation at ${first?.instanceLocation ?? "#"}: ${first?.error ?? "invalid"}` };
}

function stripFences(text: string): string {
  const m = text.trim().match(/^```(?:json)?\s*([\s\S]*?)\s*```$/);
  return m?.[1] ?? text;
}
