/**
 * Client-supplied strings (feature tags, user ids, model names) are stored with a length cap and
 * shown safely wherever they are printed: control characters (ANSI escapes, carriage returns, bidi
 * overrides) made visible in terminal output, spreadsheet formulas neutralised in CSV, HTML escaped.
 */

/** At most `max` characters, with an ellipsis when cut. */
export function capText(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, Math.max(0, max - 1)) + "…";
}

// C0 and C1 controls, DEL, and the Unicode bidi overrides/isolates that reorder a line on screen.
const UNSAFE_ON_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every control character shown as `\uXXXX`, so it cannot move the cursor, recolour or rewrite a line. */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE_ON_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Starts like a spreadsheet formula: = @ tab CR, or + - before anything but a plain number (a lone "-" is fine). */
function formulaLike(s: string): boolean {
  if (/^[=@\t\r]/.test(s)) return true;
  return /^[+-]/.test(s) && s.length > 1 && !/^[+-]?\d+(\.\d+)?%?$/.test(s);
}

/** One CSV cell: quoted when needed, and a formula-like start prefixed with ' so no spreadsheet runs it. */
export function csvCell(s: string): string {
  const text = formulaLike(s) ? `'${s}` : s;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML[c] as string);
}
