/**
 * npm run -s classify -- --in prompts.jsonl   (or --in -, or no flag: read stdin)
 *
 * Reads JSONL lines {"id": ..., "prompt": ...} where prompt is a string or an OpenAI messages array, and
 * writes JSONL lines {"id": ..., "score": ...} to stdout with the Worker's own complexityScore.
 * Input is checked first: if any line is bad, nothing is written to stdout, every bad line is named on
 * stderr ("line 3: ...") and the exit code is 1. Blank lines are skipped.
 */
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { complexityScore, type PromptInput } from "../../src/classifier/index";

export interface ParsedLine {
  line: number;
  id: unknown;
  prompt: PromptInput;
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

/** Checks one messages array; returns an error message or null. */
function checkMessages(prompt: unknown[]): string | null {
  if (prompt.length === 0) return `"prompt" is an empty messages array`;
  for (let i = 0; i < prompt.length; i++) {
    const m = prompt[i];
    if (m === null || typeof m !== "object" || Array.isArray(m)) return `prompt[${i}] must be a message object, got ${describe(m)}`;
    const msg = m as Record<string, unknown>;
    if (typeof msg.role !== "string") return `prompt[${i}].role must be a string, got ${describe(msg.role)}`;
    const c = msg.content;
    if (c !== undefined && c !== null && typeof c !== "string" && !Array.isArray(c)) {
      return `prompt[${i}].content must be a string, null or an array of parts, got ${describe(c)}`;
    }
  }
  return null;
}

/** Parses the whole input; returns the good lines and one message per bad line. */
export function parseJsonl(input: string): { lines: ParsedLine[]; errors: string[] } {
  const lines: ParsedLine[] = [];
  const errors: string[] = [];
  input.split(/\r?\n/).forEach((raw, i) => {
    const n = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      errors.push(`line ${n}: not valid JSON (${(e as Error).message})`);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      errors.push(`line ${n}: expected an object {"id": ..., "prompt": ...}, got ${describe(value)}`);
      return;
    }
    const obj = value as Record<string, unknown>;
    if (!("id" in obj)) {
      errors.push(`line ${n}: missing "id"`);
      return;
    }
    const prompt = obj.prompt;
    if (typeof prompt === "string") {
      lines.push({ line: n, id: obj.id, prompt });
      return;
    }
    if (Array.isArray(prompt)) {
      const err = checkMessages(prompt);
      if (err !== null) errors.push(`line ${n}: ${err}`);
      else lines.push({ line: n, id: obj.id, prompt: prompt as PromptInput });
      return;
    }
    errors.push(`line ${n}: "prompt" must be a string or an OpenAI messages array, got ${prompt === undefined ? "nothing" : describe(prompt)}`);
  });
  return { lines, errors };
}

function usage(): never {
  process.stderr.write("usage: npm run -s classify -- [--in FILE | --in -]   (JSONL {\"id\", \"prompt\"} in, {\"id\", \"score\"} out)\n");
  process.exit(2);
}

function main(): void {
  const args = process.argv.slice(2);
  let path = "-";
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--in") {
      const v = args[++i];
      if (v === undefined) usage();
      path = v;
    } else if (args[i] === "--help" || args[i] === "-h") usage();
    else {
      process.stderr.write(`classify: unknown argument ${args[i] as string}\n`);
      usage();
    }
  }
  let input: string;
  try {
    input = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    process.stderr.write(`classify: cannot read ${path === "-" ? "stdin" : path}: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const { lines, errors } = parseJsonl(input);
  if (errors.length > 0) {
    const shown = errors.slice(0, 20);
    process.stderr.write(shown.join("\n") + (errors.length > shown.length ? `\n... and ${errors.length - shown.length} more bad lines` : "") + "\n");
    process.stderr.write(`classify: ${errors.length} bad line(s); nothing written\n`);
    process.exit(1);
  }
  const out: string[] = [];
  for (const l of lines) out.push(JSON.stringify({ id: l.id, score: complexityScore(l.prompt) }));
  process.stdout.write(out.length > 0 ? out.join("\n") + "\n" : "");
}

// run only when executed directly (tests import the exported functions)
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) main();
