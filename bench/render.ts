/**
 * Renders a finished run's figures again from its results.json (after a change to the report's
 * layout): `npx tsx bench/render.ts bench/results/<run>/results.json [--update-doc]`.
 * No number is re-measured or edited: the tables come from the run's JSON as it was saved.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO } from "./lib/gateway-miniflare";
import { renderMarkdown, replaceFigures, type Results } from "./lib/report";

const [file, flag] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx bench/render.ts <results.json> [--update-doc]");
const results = JSON.parse(readFileSync(file, "utf8")) as Results;
const md = renderMarkdown(results);
writeFileSync(join(dirname(file), "figures.md"), md);
if (flag === "--update-doc") {
  const doc = replaceFigures(readFileSync(join(REPO, "BENCHMARKS.md"), "utf8"), md, results.mode);
  if (doc === null) throw new Error(`BENCHMARKS.md has no figures:${results.mode} markers`);
  writeFileSync(join(REPO, "BENCHMARKS.md"), doc);
}
process.stdout.write(md);
