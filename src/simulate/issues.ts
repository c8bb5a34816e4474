/** Bad simulator input, located: the CLI prints `<file>:<line>: <message>`, the stats API answers 400. */

export interface InputIssue {
  /** 1-based line (JSONL) or row (JSON array) number; null when the problem is not in one line (a flag, a whole file). */
  line: number | null;
  message: string;
}

export class SimulationInputError extends Error {
  readonly issues: InputIssue[];
  /** What the issues are about: a file name, or a flag such as `--mix`. */
  readonly source: string;

  /** A one-line verdict on the whole input, e.g. "not a valid routing config". */
  readonly summary: string | undefined;

  constructor(source: string, issues: InputIssue[], summary?: string) {
    super(issues.map((i) => formatIssue(source, i)).join("\n"));
    this.name = "SimulationInputError";
    this.source = source;
    this.issues = issues;
    this.summary = summary;
  }
}

export function formatIssue(source: string, issue: InputIssue): string {
  return issue.line === null ? `${source}: ${issue.message}` : `${source}:${issue.line}: ${issue.message}`;
}

export function inputError(source: string, message: string, line: number | null = null): SimulationInputError {
  return new SimulationInputError(source, [{ line, message }]);
}

export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return typeof v;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const isNonNegativeInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
