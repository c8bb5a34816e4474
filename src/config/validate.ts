/** Parse + validate a config document, reporting every problem with its JSON path. */
import type { z } from "zod";
import { ConfigSchema, type Config } from "./schema";

export interface ConfigIssue {
  /** JSONPath-style location, e.g. `$.routes[2].steps[0].model`. */
  path: string;
  message: string;
}

export type ConfigValidation =
  | { ok: true; config: Config }
  | { ok: false; code: "invalid_json" | "invalid_config"; message: string; issues: ConfigIssue[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "$";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/**
 * Every message names the rule broken: zod's generic ones ("Invalid key in record", a union's
 * "Invalid input") are replaced by what the rule asks for.
 */
export function ruleMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_key": {
      const key = issue.path.at(-1);
      const rules = issue.issues.map((i) => i.message).join("; ");
      return `invalid name ${JSON.stringify(String(key))}: ${rules}`;
    }
    case "invalid_union": {
      if (issue.errors.length === 0) return issue.message;
      const forms = issue.errors.map((alt) => (alt[0] ? alt[0].message.replace(/^Invalid input: /, "") : "another form"));
      return `matches none of the accepted forms (${forms.join("; or ")})`;
    }
    case "invalid_type":
      return issue.message.endsWith("received undefined") ? `required: expected ${issue.expected}` : issue.message;
    case "unrecognized_keys":
      return `unknown ${issue.keys.length > 1 ? "keys" : "key"} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (objects in the config are strict: check the spelling against the README)`;
    default:
      return issue.message;
  }
}

export function issuesOf(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: ruleMessage(i) }));
}

export function validateConfig(doc: unknown): ConfigValidation {
  const parsed = ConfigSchema.safeParse(doc);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issues = issuesOf(parsed.error);
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return { ok: false, code: "invalid_config", message: `${first?.path}: ${first?.message}${more}`, issues };
}

export function validateConfigText(text: string): ConfigValidation {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = `config is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, code: "invalid_json", message, issues: [{ path: "$", message }] };
  }
  return validateConfig(doc);
}
