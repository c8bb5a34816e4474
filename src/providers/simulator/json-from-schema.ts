/** An instance of a JSON schema (the common subset), so simulated structured outputs validate. */
import { pick, type Rng } from "../../core/random";

type Schema = Record<string, unknown>;

function isSchema(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function exampleFromSchema(schema: unknown, rng: Rng, depth = 0): unknown {
  if (!isSchema(schema) || depth > 8) return null;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(rng, schema.enum);
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return exampleFromSchema(options[0], rng, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return exampleFromSchema(schema.allOf[0], rng, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = isSchema(schema.properties) ? schema.properties : {};
      for (const [k, v] of Object.entries(props)) out[k] = exampleFromSchema(v, rng, depth + 1);
      return out;
    }
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 1;
      const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
      const n = Math.min(Math.max(min, 1), max);
      return Array.from({ length: n }, () => exampleFromSchema(schema.items, rng, depth + 1));
    }
    case "string":
      return stringExample(schema, rng);
    case "integer":
      return numberExample(schema, rng, true);
    case "number":
      return numberExample(schema, rng, false);
    case "boolean":
      return rng() < 0.5;
    case "null":
      return null;
    default:
      return isSchema(schema.properties) ? exampleFromSchema({ ...schema, type: "object" }, rng, depth + 1) : "value";
  }
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The usual range of example values; a schema's bounds narrow it, and decide when it lies outside. */
const USUAL = { lo: 0, hi: 100 };

/**
 * A value within the schema's bounds (minimum/maximum, their exclusive forms, multipleOf): from the
 * part of [0, 100] they allow, else next to the nearest bound. Bounds such as ±MAX_SAFE_INTEGER
 * (what zod's `.int()` produces) then still give small, ordinary numbers.
 */
function numberExample(schema: Schema, rng: Rng, integer: boolean): number {
  const step = num(schema.multipleOf) ?? (integer ? 1 : 0.01);
  const exMin = num(schema.exclusiveMinimum);
  const exMax = num(schema.exclusiveMaximum);
  let lo = Math.max(num(schema.minimum) ?? -Infinity, exMin !== undefined ? exMin + step : -Infinity);
  let hi = Math.min(num(schema.maximum) ?? Infinity, exMax !== undefined ? exMax - step : Infinity);
  if (lo > hi) return lo;
  const from = Math.max(lo, Math.min(USUAL.lo, hi));
  const to = Math.min(hi, Math.max(USUAL.hi, from));
  lo = Math.ceil(from / step);
  hi = Math.floor(to / step);
  if (lo > hi) return from;
  const k = lo + Math.floor(rng() * (hi - lo + 1));
  const v = k * step;
  return integer ? Math.round(v) : Math.round(v * 1e6) / 1e6;
}

function stringExample(schema: Schema, rng: Rng): string {
  switch (schema.format) {
    case "date":
      return "2026-01-01";
    case "date-time":
      return "2026-01-01T12:00:00Z";
    case "time":
      return "12:00:00";
    case "email":
      return "someone@example.com";
    case "uri":
    case "url":
      return "https://example.com/";
    case "uuid":
      return "00000000-0000-4000-8000-000000000000";
  }
  let text: string = pick(rng, ["alpha", "beta", "gamma", "delta"]);
  const min = num(schema.minLength) ?? 0;
  const max = num(schema.maxLength) ?? Infinity;
  while (text.length < min) text += ` ${pick(rng, ["alpha", "beta", "gamma", "delta"])}`;
  return text.slice(0, Math.max(min, Math.min(max, text.length)));
}
