/**
 * JSON Schema (what OpenAI-format clients send for tools and `response_format`) → the OpenAPI
 * 3.0 subset Gemini's `responseSchema` and function `parameters` accept: `type` is one name
 * (null becomes `nullable`), `const` becomes a one-value `enum`, local `$ref`s are inlined, and
 * keywords Gemini rejects (`additionalProperties`, `$schema`, …) are dropped.
 */
type Json = Record<string, unknown>;

const KEEP = new Set([
  "type", "format", "title", "description", "nullable", "enum", "items", "properties", "required", "anyOf",
  "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength", "pattern",
  "minimum", "maximum", "propertyOrdering", "default", "example",
]);
const MAX_REF_DEPTH = 8;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function resolveRef(ref: string, root: Json): Json | undefined {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m || !m[1] || !m[2]) return undefined;
  const defs = root[m[1]];
  const target = isObject(defs) ? defs[m[2].replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return isObject(target) ? target : undefined;
}

function convert(schema: unknown, root: Json, depth: number): Json {
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === "string") {
    const target = depth < MAX_REF_DEPTH ? resolveRef(schema.$ref, root) : undefined;
    return target ? convert({ ...target, ...withoutKey(schema, "$ref") }, root, depth + 1) : {};
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEEP.has(key)) continue;
    if (key === "properties" && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, root, depth)]));
    } else if (key === "items") {
      out.items = convert(value, root, depth);
    } else if (key === "anyOf" && Array.isArray(value)) {
      const variants = value.filter((v) => !(isObject(v) && v.type === "null"));
      if (variants.length < value.length) out.nullable = true;
      if (variants.length === 1) Object.assign(out, convert(variants[0], root, depth));
      else out.anyOf = variants.map((v) => convert(v, root, depth));
    } else if (key === "type" && Array.isArray(value)) {
      const types = value.filter((t) => t !== "null");
      if (types.length < value.length) out.nullable = true;
      if (types.length === 1) out.type = types[0];
      else out.anyOf = types.map((t) => ({ type: t }));
    } else {
      out[key] = value;
    }
  }
  if (Array.isArray(schema.oneOf) && out.anyOf === undefined) Object.assign(out, convert({ anyOf: schema.oneOf }, root, depth));
  if ("const" in schema && out.enum === undefined) out.enum = [schema.const];
  return out;
}

function withoutKey(o: Json, key: string): Json {
  const { [key]: _omitted, ...rest } = o;
  return rest;
}

export function toGeminiSchema(schema: Json): Json {
  return convert(schema, schema, 0);
}

/** Gemini rejects an object schema without properties; a tool with no parameters sends none. */
export function hasProperties(schema: Json | undefined): schema is Json {
  return isObject(schema) && isObject(schema.properties) && Object.keys(schema.properties).length > 0;
}
