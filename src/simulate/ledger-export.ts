/**
 * Rows of the ledger's `requests` table, as exported from D1. Accepted:
 * - the output of `wrangler d1 execute LEDGER --json --command "SELECT … FROM requests …"`
 *   (an array of result sets `[{"results": [rows…], "success": true, …}]`);
 * - a JSON array of row objects;
 * - JSONL, one row object per line.
 * Columns are the table's (snake_case). Required: id, ts, status, input_tokens, output_tokens, cost_usd;
 * the others read below may be absent (null); columns not read here are ignored.
 */
import { describeValue, isNonNegativeInt, isRecord, SimulationInputError, type InputIssue } from "./issues";

export interface LedgerRow {
  /** Where the row is: its line (JSONL) or its position (JSON), for messages. */
  where: string;
  id: string;
  ts: number;
  route: string | null;
  status: string;
  feature: string | null;
  keyName: string | null;
  team: string | null;
  userTier: string | null;
  requestedModel: string | null;
  servedModel: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  escalations: number;
  quality: string | null;
  classifier: string | null;
  classifierTier: 1 | 2 | 3 | null;
  classifierScore: number | null;
  /** From the documented export query's `negative_feedback` column; null when the export has no such column. */
  negativeFeedback: boolean | null;
}

const MAX_ISSUES = 50;

function rowError(where: string, message: string): string {
  return `${where}: ${message}`;
}

type Check = { ok: true; row: LedgerRow } | { ok: false; message: string };

function str(doc: Record<string, unknown>, field: string, required: boolean): string | null | Error {
  const v = doc[field];
  if (v === undefined || v === null) return required ? new Error(`${field} is missing`) : null;
  if (typeof v !== "string") return new Error(`${field} must be a string, got ${describeValue(v)}`);
  return v;
}

function num(doc: Record<string, unknown>, field: string, kind: "int" | "number", fallback: number | null): number | null | Error {
  const v = doc[field];
  if (v === undefined || v === null) return fallback === null ? new Error(`${field} is missing`) : fallback;
  if (kind === "int" ? !isNonNegativeInt(v) : typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    return new Error(`${field} must be a non-negative ${kind === "int" ? "integer" : "number"}, got ${describeValue(v)}`);
  }
  return v as number;
}

export function checkLedgerRow(doc: unknown, where: string): Check {
  if (!isRecord(doc)) return { ok: false, message: `expected a row object, got ${describeValue(doc)}` };
  const fields: Record<string, unknown> = {};
  const take = (name: string, v: unknown): boolean => {
    if (v instanceof Error) return false;
    fields[name] = v;
    return true;
  };
  const checks: Array<[string, unknown]> = [
    ["id", str(doc, "id", true)],
    ["ts", num(doc, "ts", "int", null)],
    ["route", str(doc, "route", false)],
    ["status", str(doc, "status", true)],
    ["feature", str(doc, "feature", false)],
    ["keyName", str(doc, "key_name", false)],
    ["team", str(doc, "team", false)],
    ["userTier", str(doc, "user_tier", false)],
    ["requestedModel", str(doc, "requested_model", false)],
    ["servedModel", str(doc, "served_model", false)],
    ["inputTokens", num(doc, "input_tokens", "int", null)],
    ["outputTokens", num(doc, "output_tokens", "int", null)],
    ["cachedInputTokens", num(doc, "cached_input_tokens", "int", 0)],
    ["costUsd", num(doc, "cost_usd", "number", null)],
    ["escalations", num(doc, "escalations", "int", 0)],
    ["quality", str(doc, "quality", false)],
    ["classifier", str(doc, "classifier", false)],
  ];
  for (const [name, v] of checks) if (!take(name, v)) return { ok: false, message: (v as Error).message };
  const tier = doc.classifier_tier;
  if (tier !== undefined && tier !== null && tier !== 1 && tier !== 2 && tier !== 3) return { ok: false, message: `classifier_tier must be 1, 2, 3 or null, got ${describeValue(tier)}` };
  const score = doc.classifier_score;
  if (score !== undefined && score !== null && (typeof score !== "number" || score < 0 || score > 1)) return { ok: false, message: `classifier_score must be a number in [0, 1] or null, got ${describeValue(score)}` };
  const neg = doc.negative_feedback;
  if (neg !== undefined && neg !== null && neg !== 0 && neg !== 1 && typeof neg !== "boolean") return { ok: false, message: `negative_feedback must be 0, 1 or null, got ${describeValue(neg)}` };
  return {
    ok: true,
    row: {
      where,
      ...(fields as Omit<LedgerRow, "where" | "classifierTier" | "classifierScore" | "negativeFeedback">),
      classifierTier: (tier ?? null) as LedgerRow["classifierTier"],
      classifierScore: (score ?? null) as number | null,
      negativeFeedback: neg === undefined || neg === null ? null : neg === 1 || neg === true,
    },
  };
}

export interface LedgerExport {
  rows: LedgerRow[];
  format: "wrangler-json" | "json-array" | "jsonl";
}

/** Parses a whole export; every bad row is reported (up to 50), with its line (JSONL) or position and id (JSON). */
export function parseLedgerExport(text: string, source: string): LedgerExport {
  const issues: InputIssue[] = [];
  const rows: LedgerRow[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new SimulationInputError(source, [{ line: null, message: `not valid JSON (${(e as Error).message}); expected the output of wrangler d1 execute --json, a JSON array of rows, or JSONL` }]);
    }
    const arr = doc as unknown[];
    const wrangler = arr.length > 0 && arr.every((x) => isRecord(x) && Array.isArray(x.results));
    let candidates: Array<{ doc: unknown; where: string }>;
    if (wrangler) {
      candidates = [];
      arr.forEach((set, s) => {
        const rs = set as { results: unknown[]; success?: unknown; error?: unknown };
        if (rs.success === false) issues.push({ line: null, message: `result set ${s + 1} reports success: false${rs.error ? ` (${String(rs.error)})` : ""}` });
        rs.results.forEach((r, i) => candidates.push({ doc: r, where: arr.length > 1 ? `result set ${s + 1}, row ${i + 1}` : `row ${i + 1}` }));
      });
    } else {
      candidates = arr.map((r, i) => ({ doc: r, where: `row ${i + 1}` }));
    }
    for (const c of candidates) {
      const id = isRecord(c.doc) && typeof c.doc.id === "string" ? ` (id ${c.doc.id})` : "";
      const checked = checkLedgerRow(c.doc, c.where + id);
      if (checked.ok) rows.push(checked.row);
      else if (issues.length < MAX_ISSUES) issues.push({ line: null, message: rowError(c.where + id, checked.message) });
    }
    if (issues.length > 0) throw new SimulationInputError(source, issues);
    return { rows, format: wrangler ? "wrangler-json" : "json-array" };
  }
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "" || issues.length >= MAX_ISSUES) return;
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch (e) {
      issues.push({ line: i + 1, message: `not valid JSON (${(e as Error).message})` });
      return;
    }
    const checked = checkLedgerRow(doc, `line ${i + 1}`);
    if (checked.ok) rows.push(checked.row);
    else issues.push({ line: i + 1, message: checked.message });
  });
  if (issues.length > 0) throw new SimulationInputError(source, issues);
  return { rows, format: "jsonl" };
}
