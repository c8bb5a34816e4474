/**
 * Broken config documents, as a hurried edit in the dashboard might leave them. Each PUT must be
 * rejected (4xx with the problem and its JSON path) while the last valid config keeps serving;
 * written straight into KV instead, the gateway must keep serving the last valid one and report
 * the problem on /admin/config/status.
 */
import type { ConfigInput } from "../../src/config/schema";

export interface BadConfigCase {
  name: string;
  text: string;
  status?: number;
}

type Doc = Record<string, unknown>;
const clone = (d: ConfigInput): Doc => JSON.parse(JSON.stringify(d)) as Doc;

/** Cases built from the valid document the gateway is serving. */
export function badConfigs(valid: ConfigInput): BadConfigCase[] {
  const edit = (name: string, f: (d: Doc) => void, status?: number): BadConfigCase => {
    const d = clone(valid);
    f(d);
    return { name, text: JSON.stringify(d), ...(status ? { status } : {}) };
  };
  const firstModel = (d: Doc) => Object.values(d.models as Record<string, Doc>)[0] as Doc;
  const firstRoute = (d: Doc) => (d.routes as Doc[])[0] as Doc;
  const text = JSON.stringify(valid, null, 2);
  return [
    { name: "empty document", text: "", status: 400 },
    { name: "not JSON", text: "routes: everything to gpt-4o", status: 400 },
    { name: "JSON null", text: "null", status: 400 },
    { name: "JSON array", text: "[]", status: 400 },
    { name: "empty object", text: "{}", status: 400 },
    { name: "trailing comma", text: text.replace(/\n}$/, ",\n}"), status: 400 },
    { name: "truncated", text: text.slice(0, Math.floor(text.length / 2)), status: 400 },
    { name: "comment in JSON", text: `// edited by hand\n${text}`, status: 400 },
    edit("missing baseline", (d) => delete d.baseline, 400),
    edit("baseline names an unknown model", (d) => (d.baseline = "gpt-9"), 400),
    edit("providers is an array", (d) => (d.providers = []), 400),
    edit("no models", (d) => (d.models = {}), 400),
    edit("model on an unknown provider", (d) => (firstModel(d).provider = "nowhere"), 400),
    edit("route to an unknown model", (d) => (firstRoute(d).model = "gpt-9"), 400),
    edit("misspelt key in a route", (d) => (firstRoute(d).fallback = ["fast"]), 400),
    edit("negative price", (d) => ((firstModel(d).price as Doc).input = -1), 400),
    edit("price as a string", (d) => ((firstModel(d).price as Doc).output = "0.60"), 400),
    edit("unknown provider type", (d) => (d.providers = { ...(d.providers as Doc), up: { type: "azure", baseUrl: "http://127.0.0.1:1/v1" } }), 400),
    edit("baseUrl with ftp://", (d) => (((d.providers as Doc).up as Doc).baseUrl = "ftp://127.0.0.1/v1"), 400),
    edit("baseUrl not a URL", (d) => (((d.providers as Doc).up as Doc).baseUrl = "localhost and port"), 400),
    edit("openai provider without baseUrl or preset", (d) => delete ((d.providers as Doc).up as Doc).baseUrl, 400),
    edit("duplicate route names", (d) => (d.routes = [...(d.routes as Doc[]), firstRoute(d)]), 400),
    edit("route with both model and steps", (d) => (firstRoute(d).steps = [{ model: firstRoute(d).model }]), 400),
    edit("route with neither model nor steps", (d) => delete firstRoute(d).model, 400),
    edit("minPromptChars above maxPromptChars", (d) => (firstRoute(d).match = { minPromptChars: 10, maxPromptChars: 5 }), 400),
    edit("model alias auto is reserved", (d) => (d.models = { ...(d.models as Doc), auto: firstModel(d) }), 400),
    edit("secret name in lower case", (d) => (((d.providers as Doc).up as Doc).keySecret = "openai_key"), 400),
    edit("keySecret naming ADMIN_TOKEN", (d) => (((d.providers as Doc).up as Doc).keySecret = "ADMIN_TOKEN"), 400),
    edit("lastUserMessage with lookahead", (d) => (firstRoute(d).match = { lastUserMessage: { pattern: "(?=secret)" } }), 400),
    edit("regex check with a backreference", (d) => (firstRoute(d).checks = [{ type: "regex", pattern: "(a)\\1" }]), 400),
    edit("json_schema check with lookbehind", (d) => (firstRoute(d).checks = [{ type: "json_schema", schema: { properties: { v: { pattern: "(?<!x)y" } } } }]), 400),
    edit("pattern longer than 1,000 characters", (d) => (firstRoute(d).match = { lastUserMessage: { pattern: "a".repeat(1_001) } }), 400),
    edit("timeout of zero", (d) => (d.defaults = { ...(d.defaults as Doc), timeoutMs: 0 }), 400),
    edit("timeout as text", (d) => (d.defaults = { ...(d.defaults as Doc), timeoutMs: "30s" }), 400),
    edit("version 2", (d) => (d.version = 2), 400),
    edit("client key that is not a SHA-256", (d) => (d.access = { requireKey: true, keys: [{ name: "app", keySha256: "abc" }] }), 400),
    edit("routes is an object", (d) => (d.routes = {}), 400),
    edit("model name with spaces", (d) => (d.models = { ...(d.models as Doc), "my model": firstModel(d) }), 400),
    // Built as text: JSON.stringify itself overflows the stack on documents this deep.
    { name: "unknown top-level key nested 5 000 deep", text: JSON.stringify(valid).replace(/}$/, `,"extra":${"[".repeat(5_000)}${"]".repeat(5_000)}}`), status: 400 },
    { name: "document over the 1 MiB limit", text: JSON.stringify({ ...clone(valid), padding: "x".repeat(1_100_000) }), status: 413 },
  ];
}

/** Which of the cases are also written straight into KV (a dashboard edit bypasses the admin API). */
export const KV_CASES = ["not JSON", "empty object", "truncated", "route to an unknown model", "negative price", "baseUrl with ftp://"];
