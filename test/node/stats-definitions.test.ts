// Every stats figure is defined once in code; the README's metrics table must say the same thing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STATS_DEFINITIONS, STATS_DEFINITIONS_VERSION } from "../../src/stats/definitions";

describe("the stats definitions", () => {
  it("appear in the README word for word, with their version", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain(`definitions version \`${STATS_DEFINITIONS_VERSION}\``);
    for (const [name, text] of Object.entries(STATS_DEFINITIONS)) expect(readme, name).toContain(`| \`${name}\` | ${text} |`);
  });
});
