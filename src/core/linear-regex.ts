/**
 * Regular expressions from the config and from clients run here, in linear time: re2js (a pure-JS
 * port of RE2, no eval and no WebAssembly, so it runs in Workers) matches by automaton, never by
 * backtracking, so no pattern can stall an isolate. What RE2 cannot do in linear time
 * (backreferences, lookahead and lookbehind) is rejected when the pattern is compiled: at config
 * validation, or as a 400 for a client's JSON schema. Patterns are capped at MAX_PATTERN_CHARS and
 * only the first MAX_REGEX_INPUT_CHARS characters of a text are matched.
 */
import { RE2JS } from "re2js";
import { BoundedCache } from "./bounded-cache";

export const MAX_PATTERN_CHARS = 1_000;
export const MAX_REGEX_INPUT_CHARS = 32_768;

export interface LinearRegex {
  readonly source: string;
  readonly flags: string;
  /** Whether the pattern matches anywhere in the first MAX_REGEX_INPUT_CHARS characters. */
  test(text: string): boolean;
}

export class UnsafePatternError extends Error {
  constructor(readonly pattern: string, detail: string) {
    super(detail);
    this.name = "UnsafePatternError";
  }
}

// Compiled patterns per isolate, bounded by bytes (a compiled program is charged ~64 bytes a pattern character).
const compiled = new BoundedCache<LinearRegex>({ maxBytes: 2 * 1024 * 1024, maxEntryBytes: 128 * 1024 });

function flagBits(flags: string): number {
  let bits = 0;
  for (const f of flags) {
    if (f === "i") bits |= RE2JS.CASE_INSENSITIVE;
    else if (f === "m") bits |= RE2JS.MULTILINE;
    else if (f === "s") bits |= RE2JS.DOTALL;
    else if (f === "u" || f === "v") continue; // re2js is Unicode-aware already
    else throw new UnsafePatternError("", `flag "${f}" is not supported (i, m, s, u)`);
  }
  return bits;
}

/** Compiles a pattern for linear-time matching, or throws UnsafePatternError saying why it cannot be. */
export function compileLinear(pattern: string, flags = ""): LinearRegex {
  const key = `${flags}/${pattern}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  if (pattern.length > MAX_PATTERN_CHARS) throw new UnsafePatternError(pattern, `pattern is longer than ${MAX_PATTERN_CHARS} characters`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, flagBits(flags));
  } catch (err) {
    if (err instanceof UnsafePatternError) throw new UnsafePatternError(pattern, err.message);
    const why = err instanceof Error ? err.message : String(err);
    throw new UnsafePatternError(pattern, `not a pattern the linear-time engine (RE2 syntax: no backreferences, lookahead or lookbehind) accepts: ${why}`);
  }
  const out: LinearRegex = {
    source: pattern,
    flags,
    test: (text) => re.test(text.length > MAX_REGEX_INPUT_CHARS ? text.slice(0, MAX_REGEX_INPUT_CHARS) : text),
  };
  compiled.set(key, out, pattern.length * 64);
  return out;
}

/** Why a pattern cannot run in linear time, or null when it can. */
export function linearPatternProblem(pattern: string, flags = ""): string | null {
  try {
    compileLinear(pattern, flags);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
