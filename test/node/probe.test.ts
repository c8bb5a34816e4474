import { it, expect } from "vitest";
import { readFileSync } from "node:fs";
it("runs in node", () => { expect(readFileSync("package.json","utf8")).toContain("tiergate"); });
