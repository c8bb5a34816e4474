// The classify CLI as a user runs it (a child process through tsx): string and messages prompts, stdin,
// and bad lines named with a non-zero exit code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { complexityScore } from "../../src/classifier/index";
import { REPO_ROOT } from "../../scripts/lib/shared-dir";

function runCli(args: string[], stdin = ""): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "scripts", "router", "classify.ts"), ...args], {
    cwd: REPO_ROOT,
    input: stdin,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const messages = [
  { role: "system", content: "You are terse." },
  { role: "user", content: [{ type: "text", text: "Prove there are infinitely many primes." }, { type: "image_url", image_url: { url: "x" } }] },
];
const good = [
  JSON.stringify({ id: 1, prompt: "What is the capital of France?" }),
  "",
  JSON.stringify({ id: "m", prompt: messages }),
  JSON.stringify({ id: null, prompt: "" }),
].join("\n");

describe("npm run -s classify", () => {
  const dir = mkdtempSync(join(tmpdir(), "classify-"));
  const file = join(dir, "prompts.jsonl");
  writeFileSync(file, good + "\n");

  it("scores string and messages prompts from --in FILE with the Worker's complexityScore", () => {
    const r = runCli(["--in", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: unknown; score: number });
    expect(out).toEqual([
      { id: 1, score: complexityScore("What is the capital of France?") },
      { id: "m", score: complexityScore(messages) },
      { id: null, score: complexityScore("") },
    ]);
    for (const o of out) expect(o.score > 0 && o.score < 1).toBe(true);
  });

  it("reads stdin with --in - and with no flag", () => {
    const a = runCli(["--in", "-"], good);
    const b = runCli([], good);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toBe(runCli(["--in", file]).stdout);
  });

  it("names every bad line, writes nothing to stdout and exits non-zero", () => {
    const bad = [
      JSON.stringify({ id: 1, prompt: "fine" }),
      JSON.stringify({ id: 2 }),
      "{not json",
      JSON.stringify({ id: 4, prompt: [{ content: "no role" }] }),
      JSON.stringify({ id: 5, prompt: 42 }),
      JSON.stringify({ prompt: "no id" }),
      JSON.stringify({ id: 7, prompt: [{ role: "user", content: 3 }] }),
    ].join("\n");
    const r = runCli([], bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('line 2: "prompt" must be a string or an OpenAI messages array');
    expect(r.stderr).toMatch(/line 3: not valid JSON/);
    expect(r.stderr).toContain("line 4: prompt[0].role must be a string");
    expect(r.stderr).toContain("line 5: \"prompt\" must be a string or an OpenAI messages array, got number");
    expect(r.stderr).toContain('line 6: missing "id"');
    expect(r.stderr).toContain("line 7: prompt[0].content must be a string, null or an array of parts");
    expect(r.stderr).not.toContain("line 1:");
  });

  it("reports an unreadable file plainly", () => {
    const r = runCli(["--in", join(dir, "missing.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*missing\.jsonl/);
  });
});
