/**
 * A traffic log: JSONL, one request description per line.
 *
 *   {"feature": "extract", "prompt": "…" | [messages…], "input_tokens": 812, "output_tokens": 140,
 *    "model": "auto", "user_tier": "free", "team": "…", "key": "…", "user": "…",
 *    "has_tools": false, "response_format": "json_object", "labels": {"escalate": true}, "id": "…"}
 *
 * `prompt` (a string, or an OpenAI messages array) or `prompt_chars` (its length, when the text is not
 * logged); `input_tokens` and `output_tokens` are required. Unknown fields are ignored; null means absent.
 * Labels: `tier` (1-3, the verdict of an `llm` classifier, or the tier of a length-only line on a `local`
 * classifier route), `escalate` (true or a number of failed checked steps) / `passes: false` (the
 * cascade's check fails on the first step).
 */
import { ChatRequestSchema, type ChatRequest } from "../core/chat-request";
import { formatPath } from "../config/validate";
import { describeValue, isNonNegativeInt, isRecord } from "./issues";

export type Tier = 1 | 2 | 3;

export interface TrafficLine {
  line: number;
  id?: string | number;
  /** The chat request as the gateway would parse it (for a length-only line, one empty user message). */
  request: ChatRequest;
  /** Set when the line gave only the prompt's length: routing sees this length and no text. */
  promptChars?: number;
  feature?: string;
  userTier?: string;
  team?: string;
  key?: string;
  hasTools: boolean;
  inputTokens: number;
  outputTokens: number;
  /** `escalate`: checked cascade steps that fail; `checkKnown`: whether the line said how its checks went. */
  labels: { tier?: Tier; escalate: number; checkKnown: boolean };
}

export type ParsedLine = { ok: true; value: TrafficLine } | { ok: false; message: string } | { ok: true; value: null };

const RESPONSE_FORMATS = ["text", "json_object", "json_schema"] as const;

function optionalString(obj: Record<string, unknown>, field: string): string | undefined | { error: string } {
  const v = obj[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v === "") return { error: `${field} must be a non-empty string, got ${describeValue(v)}` };
  return v;
}

// long-function: one field after another, each with its own line-numbered error; read top to bottom.
/** Parses one line; blank lines give `{ok: true, value: null}`. */
export function parseTrafficLine(raw: string, line: number): ParsedLine {
  if (raw.trim() === "") return { ok: true, value: null };
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    return { ok: false, message: `not valid JSON (${(e as Error).message})` };
  }
  if (!isRecord(doc)) return { ok: false, message: `expected a JSON object describing one request, got ${describeValue(doc)}` };

  for (const field of ["input_tokens", "output_tokens"] as const) {
    if (doc[field] === undefined || doc[field] === null) return { ok: false, message: `${field} is missing` };
    if (!isNonNegativeInt(doc[field])) return { ok: false, message: `${field} must be a non-negative integer, got ${describeValue(doc[field])}` };
  }
  const strings: Record<string, string | undefined> = {};
  for (const field of ["feature", "model", "user_tier", "team", "key", "user"]) {
    const v = optionalString(doc, field);
    if (typeof v === "object") return { ok: false, message: v.error };
    strings[field] = v;
  }
  const id = doc.id;
  if (id !== undefined && id !== null && typeof id !== "string" && typeof id !== "number") return { ok: false, message: `id must be a string or a number, got ${describeValue(id)}` };

  const hasTools = doc.has_tools ?? false;
  if (typeof hasTools !== "boolean") return { ok: false, message: `has_tools must be true or false, got ${describeValue(hasTools)}` };

  let responseFormat: ChatRequest["response_format"];
  const rf = doc.response_format;
  if (rf !== undefined && rf !== null) {
    const type = isRecord(rf) ? rf.type : rf;
    if (typeof type !== "string" || !(RESPONSE_FORMATS as readonly string[]).includes(type)) {
      return { ok: false, message: `response_format must be one of ${RESPONSE_FORMATS.join(", ")} (or {"type": …}), got ${describeValue(type)}` };
    }
    responseFormat = type === "json_schema" ? { type, json_schema: { name: "response" } } : ({ type } as ChatRequest["response_format"]);
  }

  const prompt = doc.prompt;
  const promptChars = doc.prompt_chars;
  const hasPrompt = prompt !== undefined && prompt !== null;
  const hasChars = promptChars !== undefined && promptChars !== null;
  if (hasPrompt && hasChars) return { ok: false, message: "give prompt or prompt_chars, not both" };
  if (!hasPrompt && !hasChars) return { ok: false, message: "prompt (a string or a messages array) or prompt_chars is required" };
  if (hasChars && !isNonNegativeInt(promptChars)) return { ok: false, message: `prompt_chars must be a non-negative integer, got ${describeValue(promptChars)}` };
  let messages: unknown;
  if (hasPrompt) {
    if (typeof prompt === "string") messages = [{ role: "user", content: prompt }];
    else if (Array.isArray(prompt)) messages = prompt;
    else return { ok: false, message: `prompt must be a string or an OpenAI messages array, got ${describeValue(prompt)}` };
  } else {
    messages = [{ role: "user", content: "" }];
  }

  const body: Record<string, unknown> = { model: strings.model ?? "auto", messages };
  if (strings.user) body.user = strings.user;
  if (responseFormat) body.response_format = responseFormat;
  const parsed = ChatRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue?.path ?? []).replace(/^\$\.?/, "").replace(/^messages/, "prompt");
    const vague = issue?.message === "Invalid input" && /content$/.test(path);
    return { ok: false, message: `${path ? `${path}: ` : ""}${vague ? "must be a string or an array of content parts" : (issue?.message ?? "invalid request")}` };
  }

  const labels = doc.labels ?? {};
  if (!isRecord(labels)) return { ok: false, message: `labels must be an object, got ${describeValue(labels)}` };
  const out: TrafficLine["labels"] = { escalate: 0, checkKnown: false };
  if (labels.tier !== undefined && labels.tier !== null) {
    if (labels.tier !== 1 && labels.tier !== 2 && labels.tier !== 3) return { ok: false, message: `labels.tier must be 1, 2 or 3, got ${describeValue(labels.tier)}` };
    out.tier = labels.tier;
  }
  const esc = labels.escalate;
  if (esc !== undefined && esc !== null) {
    out.checkKnown = true;
    if (esc === true) out.escalate = 1;
    else if (esc === false) out.escalate = 0;
    else if (isNonNegativeInt(esc)) out.escalate = esc;
    else return { ok: false, message: `labels.escalate must be true, false or a number of failed steps, got ${describeValue(esc)}` };
  }
  const passes = labels.passes;
  if (passes !== undefined && passes !== null) {
    if (typeof passes !== "boolean") return { ok: false, message: `labels.passes must be true or false, got ${describeValue(passes)}` };
    out.checkKnown = true;
    if (!passes) out.escalate = Math.max(out.escalate, 1);
  }

  const value: TrafficLine = { line, request: parsed.data, hasTools, inputTokens: doc.input_tokens as number, outputTokens: doc.output_tokens as number, labels: out };
  if (id !== undefined && id !== null) value.id = id as string | number;
  if (hasChars) value.promptChars = promptChars as number;
  if (strings.feature) value.feature = strings.feature;
  if (strings.user_tier) value.userTier = strings.user_tier;
  if (strings.team) value.team = strings.team;
  if (strings.key) value.key = strings.key;
  return { ok: true, value };
}
