/**
 * Streamed function-call arguments (`partialArgs`): each names a JSON path (`$.a.b[0]`) and a
 * value; a string value with `willContinue` is continued by the next piece for the same path.
 * Collected until the call closes, then turned into one arguments object.
 */
import type { WirePartialArgT } from "./wire-schema";

type Segment = string | number;

function pathSegments(jsonPath: string): Segment[] | null {
  if (!jsonPath.startsWith("$")) return null;
  const segments: Segment[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < jsonPath.length) {
    const m = re.exec(jsonPath);
    if (!m) return null;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push((m[3] ?? m[4] ?? "").replace(/\\(.)/g, "$1"));
  }
  return segments;
}

function setAt(root: Record<string, unknown>, segments: Segment[], value: unknown): void {
  let node: Record<string | number, unknown> = root;
  segments.forEach((seg, i) => {
    if (i === segments.length - 1) {
      node[seg] = value;
      return;
    }
    const next = segments[i + 1];
    if (typeof node[seg] !== "object" || node[seg] === null) node[seg] = typeof next === "number" ? [] : {};
    node = node[seg] as Record<string | number, unknown>;
  });
}

export class PartialArgs {
  private readonly values = new Map<string, unknown>();
  private readonly continuing = new Set<string>();

  add(pieces: WirePartialArgT[] | undefined): void {
    for (const p of pieces ?? []) {
      const previous = this.values.get(p.jsonPath);
      let value: unknown;
      if (p.stringValue !== undefined) value = this.continuing.has(p.jsonPath) && typeof previous === "string" ? previous + p.stringValue : p.stringValue;
      else if (p.numberValue !== undefined) value = p.numberValue;
      else if (p.boolValue !== undefined) value = p.boolValue;
      else value = null;
      this.values.set(p.jsonPath, value);
      if (p.willContinue) this.continuing.add(p.jsonPath);
      else this.continuing.delete(p.jsonPath);
    }
  }

  /** The arguments object; pieces with a path it cannot read are dropped. */
  object(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    for (const [path, value] of this.values) {
      const segments = pathSegments(path);
      if (segments && segments.length > 0) setAt(root, segments, value);
    }
    return root;
  }
}
