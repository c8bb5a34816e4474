/**
 * A compact, text-free summary of a request for a route to learn from (issue 13): counts and flags
 * only — never words, never the prompt. Recorded in the ledger (`features`) beside the prior's score
 * and read by the per-route head (route-head.ts). One pass over the prompt text.
 */
import { promptText } from "../classifier";

export interface FeatureSummary {
  /** Characters, lines, digits and question marks of the prompt text (all messages). */
  chars: number;
  lines: number;
  digits: number;
  questions: number;
  /** Number of messages. */
  messages: number;
  /** 1 when the text has a code fence or code-like braces/semicolons, LaTeX/math markers, a lettered option list. */
  code: 0 | 1;
  math: 0 | 1;
  options: 0 | 1;
  /** The request carries tools / asks for JSON. */
  tools: 0 | 1;
  json: 0 | 1;
}

export interface SummaryInput {
  messages: ReadonlyArray<{ role: string; content?: unknown }>;
  tools?: readonly unknown[] | undefined;
  response_format?: { type?: string } | undefined;
}

const NL = 10, Q = 63, D0 = 48, D9 = 57, BACKTICK = 96, BACKSLASH = 92, DOLLAR = 36, SEMI = 59, LBRACE = 123, CARET = 94;

export function summarizeRequest(request: SummaryInput): FeatureSummary {
  const text = promptText(request.messages);
  let lines = text.length > 0 ? 1 : 0, digits = 0, questions = 0, backticks = 0, math = 0, codeMarks = 0, options = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === NL) {
      lines++;
      lineStart = true;
      continue;
    }
    if (ch >= D0 && ch <= D9) digits++;
    else if (ch === Q) questions++;
    else if (ch === BACKTICK) backticks++;
    else if (ch === BACKSLASH || ch === DOLLAR || ch === CARET) math++;
    else if (ch === SEMI || ch === LBRACE) codeMarks++;
    // "A) ", "(B) ", "C. " at the start of a line: a multiple-choice option
    if (lineStart && ch !== 32) {
      const a = ch === 40 ? text.charCodeAt(i + 1) : ch;
      const next = text.charCodeAt(ch === 40 ? i + 2 : i + 1);
      if (a >= 65 && a <= 74 && (next === 41 || next === 46)) options++;
      lineStart = false;
    }
  }
  const rf = request.response_format?.type;
  return {
    chars: text.length,
    lines,
    digits,
    questions,
    messages: request.messages.length,
    code: backticks >= 3 || codeMarks >= 3 ? 1 : 0,
    math: math >= 2 ? 1 : 0,
    options: options >= 2 ? 1 : 0,
    tools: (request.tools?.length ?? 0) > 0 ? 1 : 0,
    json: rf === "json_object" || rf === "json_schema" ? 1 : 0,
  };
}
