/**
 * Copies the chart library the dashboard draws with (uPlot, pinned in package.json) into the
 * Worker's static assets, public/dashboard-assets/vendor/, where `[assets]` in wrangler.toml serves
 * it: no CDN at run time. Run after changing uPlot's version: `npx tsx scripts/vendor-assets.ts`;
 * test/node/dashboard-assets.test.ts checks the committed copy is the installed package's.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

export const VENDOR_DIR = resolve("public/dashboard-assets/vendor");
export const VENDORED: Array<[from: string, to: string]> = [
  ["node_modules/uplot/dist/uPlot.iife.min.js", "uPlot.iife.min.js"],
  ["node_modules/uplot/dist/uPlot.min.css", "uPlot.min.css"],
  ["node_modules/uplot/LICENSE", "uPlot.LICENSE"],
];

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? "")) {
  mkdirSync(VENDOR_DIR, { recursive: true });
  for (const [from, to] of VENDORED) copyFileSync(resolve(from), join(VENDOR_DIR, to));
  console.log(`vendored ${VENDORED.length} files into ${VENDOR_DIR}`);
}
