/**
 * The house plan, checked: every relative import between `src/` folders must point DOWN the
 * layer order below (skipping layers is fine; an import to the same layer or one above fails),
 * and the folder graph must have no loop. Also flags `src/` files over MAX_LINES lines that do
 * not say why (a comment containing `long-file:` and a reason). Run by `npm test` before vitest;
 * `npm run check:imports` alone. Exits 1 with one line per violation.
 */
import ts from "typescript";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Top to bottom. A module is its top folder under src/, or a root file by its name (`index`, `env`). */
export const LAYERS: readonly (readonly string[])[] = [
  ["index"],
  ["http", "jobs"],
  ["dashboard"],
  ["env"],
  ["execution", "simulate", "storage"],
  ["ledger", "stats", "tuning"],
  ["access", "cache"],
  ["routing"],
  ["providers", "quality", "pricing", "classifier"],
  ["config"],
  ["core"],
];
export const MAX_LINES = 300;
export const MAX_FUNCTION_LINES = 80;
const SRC = resolve("src");

export interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
}

export function moduleOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? (parts[0] as string) : (parts[0] as string).replace(/\.(tsx?|json)$/, "");
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "__fixtures__" ? [] : sourceFiles(path);
    return /\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path) && !path.endsWith(".d.ts") ? [path] : [];
  });
}

export function importEdges(files: string[]): Edge[] {
  const edges: Edge[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(SRC + sep)) {
        edges.push({ from: moduleOf(file), to: "(outside src)", file, spec: fileName });
        continue;
      }
      const from = moduleOf(file);
      const to = moduleOf(target);
      if (from !== to) edges.push({ from, to, file, spec: fileName });
    }
  }
  return edges;
}

export function layerOf(module: string): number {
  return LAYERS.findIndex((layer) => layer.includes(module));
}

export function directionViolations(edges: Edge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = layerOf(e.from);
    const to = layerOf(e.to);
    const where = `${relative(".", e.file)}: imports "${e.spec}"`;
    if (from < 0) out.push(`${where}: folder "${e.from}" is not in the layer order (scripts/check-imports.ts LAYERS)`);
    else if (to < 0) out.push(`${where}: "${e.to}" is not in the layer order (scripts/check-imports.ts LAYERS)`);
    else if (to <= from) out.push(`${where}: ${e.from} may not import ${e.to} (${to === from ? "same layer" : "a layer above"})`);
  }
  return out;
}

/** Folder-level loops, each as `a → b → a` (independent of LAYERS, so a wrong order cannot hide one). */
export function folderLoops(edges: Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const loops: string[] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    path.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === "open") loops.push(`folder loop: ${[...path.slice(path.indexOf(to)), to].join(" → ")}`);
      else if (!state.has(to)) visit(to);
    }
    path.pop();
    state.set(node, "done");
  };
  for (const node of [...next.keys()].sort()) if (!state.has(node)) visit(node);
  return loops;
}

export function longFiles(files: string[]): string[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines <= MAX_LINES || /long-file:\s*\S/.test(text)) return [];
    return [`${relative(".", file)}: ${lines} lines (over ${MAX_LINES}) with no "long-file: <why>" comment`];
  });
}

/**
 * Functions (declarations, methods, arrows, function expressions) longer than MAX_FUNCTION_LINES
 * that do not say why: a comment containing `long-function:` and a reason, in the lines just above
 * the function or the statement that holds it.
 */
export function longFunctions(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.body) {
        const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const length = last - first + 1;
        if (length > MAX_FUNCTION_LINES) {
          let holder: ts.Node = node;
          while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent) && !ts.isClassLike(holder.parent) && !ts.isObjectLiteralExpression(holder.parent)) holder = holder.parent;
          const from = sf.getLineAndCharacterOfPosition(holder.getFullStart()).line;
          const above = lines.slice(Math.max(0, from), first + 1).join("\n");
          if (!/long-function:\s*\S/.test(above)) {
            const name = (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name ? node.name.getText(sf) : "(anonymous)";
            out.push(`${relative(".", file)}:${first + 1}: function ${name} is ${length} lines (over ${MAX_FUNCTION_LINES}) with no "long-function: <why>" comment`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

function main(): void {
  const files = sourceFiles(SRC);
  const edges = importEdges(files);
  const problems = [...directionViolations(edges), ...folderLoops(edges), ...longFiles(files), ...longFunctions(files)];
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} problem(s); layers top to bottom: ${LAYERS.map((l) => l.join(" | ")).join(" → ")}`);
    process.exit(1);
  }
  console.log(`check-imports: ${files.length} files, ${edges.length} cross-folder imports, all pointing down; no loops; no unexplained long file or function`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? "")) main();
