// The chart library in the Worker's static assets is the installed uPlot, byte for byte (re-vendor with
// `npx tsx scripts/vendor-assets.ts` after changing its version in package.json).
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { VENDOR_DIR, VENDORED } from "../../scripts/vendor-assets";

describe("the vendored chart library", () => {
  it("equals the uPlot package pinned in package.json", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
    const installed = JSON.parse(readFileSync("node_modules/uplot/package.json", "utf8")) as { version: string };
    expect(installed.version).toBe(pkg.dependencies.uplot);
    for (const [from, to] of VENDORED) expect(readFileSync(join(VENDOR_DIR, to)).equals(readFileSync(resolve(from))), to).toBe(true);
  });
});
