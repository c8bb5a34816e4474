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
      const n = Math.max(min, 1);
      return Array.from({ length: n }, () => exampleFromSchema(schema.items, rng, depth + 1));
    }
    case "string":
      return typeof schema.format === "string" && schema.format === "date" ? "2026-01-01" : pick(rng, ["alpha", "beta", "gamma", "delta"]);
    case "integer": {
      const lo = typeof schema.minimum === "number" ? Math.ceil(schema.minimum) : 0;
      return lo + Math.floor(rng() * 10);
    }
    case "number": {
      const lo = typeof schema.minimum === "number" ? schema.minimum : 0;
      return lo + Math.round(rng() * 1000) / 100;
    }
    case "boolean":
      return rng() < 0.5;
    case "null":
      return null;
    default:
      return isSchema(schema.properties) ? exampleFromSchema({ ...schema, type: "object" }, rng, depth + 1) : "value";
  }
}
