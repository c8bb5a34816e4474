/**
 * Writes generated blocks into BENCHMARKS.md under the classifier's own heading, between
 * <!-- NAME:start --> and <!-- NAME:end --> markers, leaving the rest of the file alone.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./shared-dir";

export const BENCHMARKS_PATH = join(REPO_ROOT, "BENCHMARKS.md");
export const SECTION_HEADING = "## Built-in complexity classifier (issue 6)";

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpus().length} × ${cpu.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** Replace (or append under `heading`) the block NAME in the markdown file at `path`. */
export function writeBlock(name: string, body: string, path = BENCHMARKS_PATH, heading = SECTION_HEADING): void {
  const start = `<!-- ${name}:start -->`, end = `<!-- ${name}:end -->`;
  let text = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  if (!text.includes(heading)) text = text.replace(/\n*$/, "\n\n") + heading + "\n";
  const block = `${start}\n${body.trim()}\n${end}`;
  const a = text.indexOf(start), b = text.indexOf(end);
  if (a !== -1 && b > a) {
    text = text.slice(0, a) + block + text.slice(b + end.length);
  } else {
    // append at the end of the classifier section (before the next "## " heading, if any)
    const h = text.indexOf(heading);
    const next = text.indexOf("\n## ", h + heading.length);
    const at = next === -1 ? text.length : next + 1;
    const before = text.slice(0, at).replace(/\n*$/, "\n\n");
    text = before + block + "\n" + (next === -1 ? "" : "\n" + text.slice(at));
  }
  writeFileSync(path, text);
}
