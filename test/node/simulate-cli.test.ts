// The simulator as a user runs it (`npm run -s simulate -- …`, a child process through tsx), and its
// pure code: the article's worked examples to the cent, output formats, log replay, the ledger
// what-if, the traffic-mix report, and bad input named by file and line with a non-zero exit.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/default-config";
import { validateConfig } from "../../src/config/validate";
import { CLASSIFIER_PROMPT } from "../../src/routing/llm-rating";
import { costUsd } from "../../src/pricing/cost";
import { parseMix, simulateMix } from "../../src/simulate/mix";
import type { SimulationReport } from "../../src/simulate/report";
import type { TrafficMixReport } from "../../src/simulate/traffic-mix";
import { REPO_ROOT } from "../../scripts/lib/shared-dir";
import { money, SIMULATION_CSV_HEADER, TRAFFIC_CSV_HEADER, usd } from "../../scripts/simulate/format";
import { Progress } from "../../scripts/simulate/progress";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "simulate");
const TRAFFIC = join(FIXTURES, "traffic.jsonl");
const LEDGER = join(FIXTURES, "ledger.json");
const CHEAPER = join(FIXTURES, "cheaper-config.json");
const INVALID = join(FIXTURES, "invalid-config.json");

function runCli(args: string[], stdin = ""): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "scripts", "simulate", "cli.ts"), ...args], { cwd: REPO_ROOT, input: stdin, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], stdin = ""): string {
  const r = runCli(args, stdin);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Bad input: a non-zero exit, nothing on stdout, and stderr naming where. */
function fails(args: string[], ...expected: Array<string | RegExp>): string {
  const r = runCli(args);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  for (const e of expected) expect(r.stderr).toMatch(e);
  return r.stderr;
}

const config = (() => {
  const v = validateConfig(DEFAULT_CONFIG);
  if (!v.ok) throw new Error(v.message);
  return v.config;
})();

const ARTICLE = ["--requests", "1000000", "--input-tokens", "500", "--output-tokens", "200", "--baseline", "gpt-4o"];
const cents = (x: number) => Math.round(x * 100);
const tmp = mkdtempSync(join(tmpdir(), "simulate-"));

describe("the article's worked examples (1M requests of 500 input + 200 output tokens)", () => {
  const mix = (spec: string) => simulateMix({ requests: 1_000_000, inputTokens: 500, outputTokens: 200, mix: parseMix(spec, config), baseline: "gpt-4o" }, config);

  it("prices them to the cent with the default config's price table", () => {
    const allGpt4o = mix("gpt-4o=100");
    expect(cents(allGpt4o.total.costUsd)).toBe(3_250_00);
    expect(cents(allGpt4o.total.baselineCostUsd)).toBe(3_250_00);

    const first = mix("gpt-4o-mini=70,gpt-4o=20,claude-opus-4-6=10");
    expect(cents(first.total.costUsd)).toBe(3_036_50);
    expect(cents(first.total.baselineCostUsd)).toBe(3_250_00);

    const routed = mix("gpt-4o-mini=70,claude-sonnet-4-6=25,claude-opus-4-6=5");
    expect(cents(routed.total.costUsd)).toBe(2_386_50);
    expect(cents(routed.total.savingsUsd)).toBe(863_50);
    expect(Math.round((routed.total.savingsPct ?? 0) * 100)).toBe(27);
    expect(routed.byModel.map((m) => [m.key, m.tier, m.requests, cents(m.costUsd)])).toEqual([
      ["gpt-4o-mini", 1, 700_000, 136_50],
      ["claude-sonnet-4-6", 2, 250_000, 1_125_00],
      ["claude-opus-4-6", 3, 50_000, 1_125_00],
    ]);
    expect(usd(routed.total.costUsd)).toBe("$2,386.50");
    expect(usd(allGpt4o.total.costUsd)).toBe("$3,250.00");
  });

  it("prints them so from npm run simulate", () => {
    expect(ok([...ARTICLE, "--mix", "gpt-4o=100"])).toContain("Cost $3,250.00 vs $3,250.00 all on gpt-4o: saves $0.00 (0%).");
    expect(ok([...ARTICLE, "--mix", "gpt-4o-mini=70,gpt-4o=20,claude-opus-4-6=10"])).toContain("Cost $3,036.50 vs $3,250.00 all on gpt-4o: saves $213.50 (7%).");
    const out = ok([...ARTICLE, "--mix", "gpt-4o-mini=70,claude-sonnet-4-6=25,claude-opus-4-6=5"]);
    expect(out).toContain("Cost $2,386.50 vs $3,250.00 all on gpt-4o: saves $863.50 (27%).");
    expect(out).toMatch(/^gpt-4o-mini\s+1\s+700,000\s+70\.0%\s+350,000,000\s+140,000,000\s+\$136\.50\s+\$2,275\.00\s+\$2,138\.50\s+94\.0%$/m);
    expect(out).toMatch(/^total\s+1,000,000\s+100\.0%\s+500,000,000\s+200,000,000\s+\$2,386\.50\s+\$3,250\.00\s+\$863\.50\s+26\.6%$/m);
  });
});

describe("--format", () => {
  const args = [...ARTICLE, "--mix", "gpt-4o-mini=70,claude-sonnet-4-6=25,claude-opus-4-6=5"];

  it("json: the report object, numbers free of float noise", () => {
    const r = JSON.parse(ok([...args, "--format", "json"])) as SimulationReport;
    expect(Object.keys(r)).toEqual(["kind", "description", "baseline", "total", "byModel", "byTier", "escalated", "unroutable", "notes"]);
    expect(r).toMatchObject({ kind: "mix", baseline: "gpt-4o", escalated: 0, unroutable: { requests: 0, examples: [] } });
    expect(r.total).toEqual({ key: "total", requests: 1_000_000, share: 1, inputTokens: 500_000_000, outputTokens: 200_000_000, costUsd: 2386.5, baselineCostUsd: 3250, savingsUsd: 863.5, savingsPct: 0.265692307692 });
    expect(r.byModel[0]).toEqual({ key: "gpt-4o-mini", tier: 1, requests: 700_000, share: 0.7, inputTokens: 350_000_000, outputTokens: 140_000_000, costUsd: 136.5, baselineCostUsd: 2275, savingsUsd: 2138.5, savingsPct: 0.94 });
    expect(r.byTier.map((t) => t.key)).toEqual(["1", "2", "3"]);
  });

  it("csv: one row per model, tier and the total, under a fixed header", () => {
    const lines = ok([...args, "--format", "csv"]).trimEnd().split("\n");
    expect(lines[0]).toBe(SIMULATION_CSV_HEADER.join(","));
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      "model,gpt-4o-mini", "model,claude-sonnet-4-6", "model,claude-opus-4-6", "tier,1", "tier,2", "tier,3", "total,total",
    ]);
    expect(lines.at(-1)).toBe("total,total,,1000000,1,500000000,200000000,2386.5,3250,863.5,0.265692307692,,");
    expect(lines[1]).toBe("model,gpt-4o-mini,1,700000,0.7,350000000,140000000,136.5,2275,2138.5,0.94,,");
  });

  it("money is $1,234.56, with more decimals only where a whole report is small", () => {
    expect(usd(3250)).toBe("$3,250.00");
    expect(usd(-312.5)).toBe("-$312.50");
    expect(money(0.000195, 6)).toBe("$0.000195");
    expect(money(-0.0000001, 6)).toBe("$0.000000");
  });
});

describe("bad input: a clear error naming the file and line, exit 1, nothing on stdout", () => {
  it("a --mix with an unknown model, shares not adding to 100, or a malformed pair", () => {
    fails([...ARTICLE, "--mix", "gpt-4o-mini=70,gpt-5=30"], /^--mix: unknown model "gpt-5"; models are: gpt-4o-mini, /m, /simulate: invalid --mix; no report written/);
    fails([...ARTICLE, "--mix", "gpt-4o-mini=70,gpt-4o=20"], "--mix: shares add up to 90, not 100");
    fails([...ARTICLE, "--mix", "gpt-4o-mini"], `--mix: "gpt-4o-mini" is not model=percent`);
    fails([...ARTICLE, "--mix", "gpt-4o=50,gpt-4o=50"], "--mix: gpt-4o is listed twice");
    fails([...ARTICLE, "--mix", "gpt-4o=-10,gpt-4o-mini=110"], "--mix: the share of gpt-4o must be a non-negative number");
    fails(["--requests", "lots", "--input-tokens", "500", "--output-tokens", "200", "--mix", "gpt-4o=100"], `--requests: must be a non-negative integer, got "lots"`);
    fails([...ARTICLE, "--mix", "gpt-4o=100", "--baseline", "gpt-9"], `--baseline: unknown model "gpt-9"`);
  });

  it("usage mistakes exit 2 with the usage", () => {
    for (const args of [["--mix", "gpt-4o=100"], [...ARTICLE, "--mix", "gpt-4o=100", "--format", "xml"], ["--log", TRAFFIC, "--ledger", LEDGER], ["--frobnicate"], [], ["--ledger", LEDGER, "--from", "2026-04-01"], ["report", "--ledger", LEDGER, "--log", TRAFFIC], ["report", "extra"]]) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("usage:");
    }
  });

  it("an invalid --config: every issue with its JSON path", () => {
    const err = fails([...ARTICLE, "--mix", "gpt-4o=100", "--config", INVALID]);
    expect(err).toContain(`${INVALID}: $.routes[0].model: unknown model "gpt-4o-mnii"`);
    expect(err).toContain(`${INVALID}: $.routes[2].match.maxPromptChars: Too small`);
    expect(err).toContain(`simulate: ${INVALID} is not a valid routing config; no report written`);
    const notJson = join(tmp, "broken.json");
    writeFileSync(notJson, '{\n  "version": 1,\n  "baseline": "gpt-4o",\n}\n');
    fails(["--log", TRAFFIC, "--config", notJson], new RegExp(`^${notJson}:4: config is not valid JSON`, "m"));
  });

  it("a traffic log: every bad line by number; no report, no decisions file", () => {
    const log = join(tmp, "traffic.jsonl");
    const decisions = join(tmp, "bad-decisions.jsonl");
    writeFileSync(
      log,
      [
        JSON.stringify({ prompt: "fine", input_tokens: 10, output_tokens: 5 }),
        "{not json",
        JSON.stringify({ prompt: "hi", input_tokens: -3, output_tokens: 5 }),
        JSON.stringify({ prompt: "hi", output_tokens: 5 }),
        JSON.stringify({ prompt: "hi", input_tokens: 4, output_tokens: "many" }),
        JSON.stringify({ input_tokens: 4, output_tokens: 4 }),
        JSON.stringify({ prompt: "x", prompt_chars: 1, input_tokens: 4, output_tokens: 4 }),
        JSON.stringify({ prompt: [{ role: "user" }], input_tokens: 4, output_tokens: 4 }),
        JSON.stringify({ prompt: "x", input_tokens: 4, output_tokens: 4, labels: { tier: 5 } }),
        JSON.stringify({ prompt: "x", input_tokens: 4, output_tokens: 4, response_format: "yaml" }),
        "",
        "[1, 2]",
      ].join("\n"),
    );
    const [first, ...rest] = fails(["--log", log, "--decisions", decisions]).trimEnd().split("\n");
    expect(first).toMatch(new RegExp(`^${log}:2: not valid JSON \\(.+\\)$`));
    expect(rest).toEqual([
      `${log}:3: input_tokens must be a non-negative integer, got -3`,
      `${log}:4: input_tokens is missing`,
      `${log}:5: output_tokens must be a non-negative integer, got "many"`,
      `${log}:6: prompt (a string or a messages array) or prompt_chars is required`,
      `${log}:7: give prompt or prompt_chars, not both`,
      `${log}:8: prompt[0].content: must be a string or an array of content parts`,
      `${log}:9: labels.tier must be 1, 2 or 3, got 5`,
      `${log}:10: response_format must be one of text, json_object, json_schema (or {"type": …}), got "yaml"`,
      `${log}:12: expected a JSON object describing one request, got an array`,
      `simulate: 10 bad line(s) in ${log}; no report written`,
    ]);
    expect(existsSync(decisions)).toBe(false);
    expect(existsSync(`${decisions}.partial`)).toBe(false);
    fails(["--log", join(tmp, "missing.jsonl")], /missing\.jsonl: cannot read: ENOENT/);
  });

  it("a ledger export: the bad row by position and id (JSON) or by line (JSONL)", () => {
    const rows = JSON.parse(readFileSync(LEDGER, "utf8"))[0].results as Array<Record<string, unknown>>;
    const json = join(tmp, "bad-ledger.json");
    writeFileSync(json, JSON.stringify([{ results: [rows[0], { ...rows[1], input_tokens: -1 }, { ...rows[2], classifier_tier: 7 }], success: true }]));
    fails(["--ledger", json], `${json}: row 2 (id req-02): input_tokens must be a non-negative integer, got -1`, `${json}: row 3 (id req-03): classifier_tier must be 1, 2, 3 or null, got 7`);
    const jsonl = join(tmp, "bad-ledger.jsonl");
    writeFileSync(jsonl, [JSON.stringify(rows[0]), JSON.stringify({ ...rows[1], cost_usd: "free" }), "oops"].join("\n"));
    fails(["report", "--ledger", jsonl], `${jsonl}:2: cost_usd must be a non-negative number, got "free"`, new RegExp(`${jsonl}:3: not valid JSON`));
    const truncated = join(tmp, "truncated.json");
    writeFileSync(truncated, readFileSync(LEDGER, "utf8").slice(0, 500));
    fails(["--ledger", truncated], `${truncated}: not valid JSON`);
    fails(["report", "--ledger", LEDGER, "--from", "last tuesday"], `--from: must be an ISO 8601 date`);
    fails(["report", "--ledger", LEDGER, "--budget-model", "gpt-9"], `--budget-model: unknown model "gpt-9"`);
  });
});

type Decision = { line: number; id?: string; weight?: number; route?: string; strategy?: string; served?: string; calls?: string[]; escalations?: number; rating_call?: string; cost_usd?: number; flags?: string[]; error?: string; plan?: Record<string, unknown> };

describe("replaying a JSONL traffic log (test/fixtures/simulate/traffic.jsonl)", () => {
  const readDecisions = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Decision);
  const price = (model: string, input: number, output: number) => costUsd({ input, output, cachedInput: 0, cacheWrite: 0, reasoning: 0, estimated: false }, config.models[model]!.price);

  it("routes every line as the default config does, and writes the decision per line", () => {
    const decisionsFile = join(tmp, "decisions.jsonl");
    const r = JSON.parse(ok(["--log", TRAFFIC, "--decisions", decisionsFile, "--format", "json"])) as SimulationReport;
    const d = readDecisions(decisionsFile);
    const byId = (id: string) => d.filter((x) => x.id === id);
    expect(byId("c1")[0]).toMatchObject({ line: 1, route: "classify", strategy: "rules", served: "gpt-4o-mini", calls: ["gpt-4o-mini"] });
    expect(byId("e1")[0]).toMatchObject({ route: "extract", strategy: "cascade", served: "gpt-4o-mini", escalations: 0, flags: ["checks-assumed-passed"] });
    expect(byId("e2")[0]).toMatchObject({ served: "claude-sonnet-4-6", calls: ["gpt-4o-mini", "claude-sonnet-4-6"], escalations: 1, flags: ["escalated"] });
    expect(byId("e2")[0]?.cost_usd).toBeCloseTo(price("gpt-4o-mini", 300, 55) + price("claude-sonnet-4-6", 300, 55), 12);
    expect(byId("e3")[0]).toMatchObject({ escalations: 1 }); // labels.passes: false
    expect(byId("s1")[0]).toMatchObject({ route: "summarize", served: "claude-haiku-4-5" }); // prompt_chars 12000 < 48000
    expect(byId("k1")[0]).toMatchObject({ route: "code", served: "claude-sonnet-4-6" });
    expect(byId("l1")[0]).toMatchObject({ route: "long-context", served: "gemini-2.5-pro" }); // prompt_chars 60000
    expect(byId("d1")[0]).toMatchObject({ route: "default", strategy: "classifier", served: "gpt-4o-mini", plan: { classifier: { type: "local", tier: 1 } } });
    expect(byId("d2")[0]).toMatchObject({ served: "claude-sonnet-4-6", plan: { classifier: { tier: 2 } } });
    expect(byId("d3")[0]).toMatchObject({ served: "claude-opus-4-6", plan: { classifier: { tier: 3 } } });
    // No text to score: split by the route's expected shares (25% / 5% configured → 70 / 25 / 5).
    expect(byId("d4").map((x) => [x.weight, x.served])).toEqual([[0.7, "gpt-4o-mini"], [0.25, "claude-sonnet-4-6"], [0.05, "claude-opus-4-6"]]);
    expect(byId("d5")[0]).toMatchObject({ served: "claude-opus-4-6", flags: ["local-tier-given"] });
    expect(byId("n1")[0]).toMatchObject({ route: "direct", served: "gpt-4o" });
    expect(byId("x1")[0]?.error).toMatch(/^model "gpt-4" is not configured/);
    expect(d.filter((x) => x.line === 9)).toEqual([]); // the blank line

    expect(r.kind).toBe("replay");
    expect(r.total.requests).toBeCloseTo(14, 12);
    expect(r.unroutable).toMatchObject({ requests: 1, examples: [{ line: 16 }] });
    expect(r.escalated).toBe(2);
    expect(r.byFeature?.find((f) => f.key === "extract")?.requests).toBe(3);
    expect(r.byRoute?.find((f) => f.key === "default")?.requests).toBeCloseTo(5, 12);
    const sum = d.filter((x) => !x.error).reduce((s, x) => s + (x.weight ?? 1) * (x.cost_usd ?? 0), 0);
    expect(r.total.costUsd).toBeCloseTo(sum, 9);
    expect(r.notes.join("\n")).toMatch(/2 lines: a cascade check failed \(labels\), so the next tier answered and both tiers are paid/);
    expect(r.notes.join("\n")).toMatch(/1 line: no prompt text and no tier on a local classifier route, so each is split/);
  });

  it("answers what a changed config would do: samples, llm default tier flagged, the rating call priced", () => {
    const decisionsFile = join(tmp, "decisions-cheaper.jsonl");
    const text = ok(["--log", TRAFFIC, "--config", CHEAPER, "--decisions", decisionsFile]);
    const d = readDecisions(decisionsFile);
    const k1 = d.find((x) => x.id === "k1");
    expect(k1).toMatchObject({ route: "code", served: "gpt-4o-mini", calls: ["gpt-4o-mini", "gpt-4o-mini"], flags: ["checks-assumed-passed", "samples"] });
    const a1 = d.find((x) => x.id === "a1");
    expect(a1).toMatchObject({ route: "analysis", served: "claude-sonnet-4-6", rating_call: "gemini-2.0-flash", flags: ["llm-default-tier"], plan: { classifier: { type: "llm", tier: 2, source: "default" } } });
    const ratingTokens = Math.ceil((CLASSIFIER_PROMPT.length + "Compare three pricing strategies for a B2B SaaS launch.".length) / 4);
    expect(a1?.cost_usd).toBeCloseTo(price("claude-sonnet-4-6", 2000, 900) + price("gemini-2.0-flash", ratingTokens, 1), 12);
    expect(d.find((x) => x.id === "x1")).toMatchObject({ route: "legacy", served: "gpt-4o-mini" });
    expect(text).toContain("- FLAGGED, 1 line: an llm classifier route with no tier known");
    expect(text).toContain("1 line: extra self-consistency samples paid");
    expect(text).toMatch(/^Cost \$0\.\d{6} vs \$0\.\d{6} all on gpt-4o: saves \$0\.\d{6} \(27%\)\.$/m);
  });

  it("reads stdin with --log -, and draws no progress bar when stderr is not a terminal", () => {
    const fromFile = JSON.parse(ok(["--log", TRAFFIC, "--format", "json"])) as SimulationReport;
    const fromStdin = JSON.parse(ok(["--log", "-", "--format", "json"], readFileSync(TRAFFIC, "utf8"))) as SimulationReport; // ok() checks stderr is empty
    expect(fromStdin.total).toEqual(fromFile.total);
    expect(fromStdin.description).toContain("from stdin");
  });

  it("the progress bar draws on a terminal and clears itself", () => {
    let written = "";
    const tty = { isTTY: true, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const bar = new Progress(1000, "lines", tty);
    bar.update(500, 1234);
    expect(written).toContain("[###############...............]  50% 1,234 lines");
    bar.done();
    expect(written.endsWith("\r\x1b[2K")).toBe(true);
    let piped = "";
    const pipe = new Progress(1000, "lines", { isTTY: false, write: (s: string) => ((piped += s), true) } as unknown as NodeJS.WriteStream);
    pipe.update(500, 1);
    pipe.done();
    expect(piped).toBe("");
  });
});

describe("the ledger what-if (test/fixtures/simulate/ledger.json, wrangler d1 execute --json output)", () => {
  const rows = JSON.parse(readFileSync(LEDGER, "utf8"))[0].results as Array<Record<string, unknown>>;
  const answered = rows.filter((r) => r.status === "ok");

  it("under the config that recorded it, reproduces what each row cost, except where a fallback answered", () => {
    const r = JSON.parse(ok(["--ledger", LEDGER, "--format", "json"])) as SimulationReport;
    expect(r.kind).toBe("ledger");
    expect(r.total.requests).toBe(answered.length);
    expect(r.skipped).toEqual({ "status error": 1, "status partial": 1 });
    expect(r.total.actualCostUsd).toBeCloseTo(answered.reduce((s, x) => s + (x.cost_usd as number), 0), 12);
    const changes = r.byChange ?? [];
    for (const c of changes.filter((x) => x.key.endsWith("(unchanged)"))) expect(Math.abs(c.changeUsd ?? 1), c.key).toBeLessThan(1e-12);
    expect(changes.filter((x) => !x.key.endsWith("(unchanged)")).map((x) => [x.key, x.requests])).toEqual([["gemini-2.0-flash → gpt-4o-mini", 1]]);
    expect(r.escalated).toBe(1);
    expect(r.notes.join("\n")).toContain("4 rows: the recorded local classifier score, re-tiered under this config's thresholds");
  });

  it("under a changed config, compares actual and what-if per model, feature and route", () => {
    const r = JSON.parse(ok(["--ledger", LEDGER, "--config", CHEAPER, "--format", "json"])) as SimulationReport;
    const change = Object.fromEntries((r.byChange ?? []).map((c) => [c.key, c.requests]));
    expect(change["gpt-4o → gpt-4o-mini"]).toBe(3); // the new legacy route remaps gpt-4o (direct and shadow rows)
    expect(change["gemini-2.5-pro → gemini-2.5-flash"]).toBe(1); // long-context: input_tokens × 4 ≥ 48,000 chars
    expect(change["gpt-4o-mini → gemini-2.0-flash"]).toBe(1); // classify
    expect(r.byRoute?.map((x) => x.key)).toContain("legacy");
    expect(r.total.costUsd).toBeLessThan(r.total.actualCostUsd ?? 0);
    const text = ok(["--ledger", LEDGER, "--config", CHEAPER]);
    expect(text).toMatch(/^What-if cost \$0\.057047 vs actual \$0\.244486: saves \$0\.187440 \(76\.7%\)\./m);
    expect(text).toContain("FLAGGED, 1 row: an llm classifier route with no tier known");
    const csv = ok(["--ledger", LEDGER, "--config", CHEAPER, "--format", "csv"]).trimEnd().split("\n");
    expect(csv[0]).toBe(SIMULATION_CSV_HEADER.join(","));
    expect(new Set(csv.slice(1).map((l) => l.split(",")[0]))).toEqual(new Set(["model", "tier", "feature", "route", "change", "total"]));
  });

  it("accepts a plain JSON array of rows and JSONL as well", () => {
    const array = join(tmp, "rows.json");
    const jsonl = join(tmp, "rows.jsonl");
    writeFileSync(array, JSON.stringify(rows));
    writeFileSync(jsonl, rows.map((x) => JSON.stringify(x)).join("\n") + "\n");
    const base = (JSON.parse(ok(["--ledger", LEDGER, "--format", "json"])) as SimulationReport).total;
    expect((JSON.parse(ok(["--ledger", array, "--format", "json"])) as SimulationReport).total).toEqual(base);
    expect((JSON.parse(ok(["--ledger", jsonl, "--format", "json"])) as SimulationReport).total).toEqual(base);
  });
});

describe("the traffic-mix report from a ledger export", () => {
  it("gives the share by feature and prompt length, and what a budget model took or could take", () => {
    const r = JSON.parse(ok(["report", "--ledger", LEDGER, "--format", "json"])) as TrafficMixReport;
    expect(r.requests).toBe(15);
    expect(r.excluded).toEqual({ error: 1, partial: 1 });
    const f = Object.fromEntries(r.byFeature.map((x) => [x.key, x]));
    expect(f.classify).toMatchObject({ requests: 2, budgetTaken: 2, budgetCouldTake: 0, budgetShare: 1 });
    expect(f.extract).toMatchObject({ requests: 2, budgetTaken: 1 }); // the escalated one is not the budget model's
    expect(f["(none)"]).toMatchObject({ requests: 8, budgetTaken: 1, budgetCouldTake: 1 }); // negative feedback; a shadow row rated tier 1
    expect(f.classify?.share).toBeCloseTo(2 / 15, 12);
    expect(r.byPromptLength.map((b) => [b.key, b.requests])).toEqual([["0-99", 0], ["100-499", 6], ["500-1999", 6], ["2000-7999", 2], ["8000-31999", 1], ["32000+", 0]]);
    expect(r.budget.taken).toMatchObject({ requests: 5 });
    expect(r.budget.couldTake).toMatchObject({ requests: 1, model: "gemini-2.0-flash" });
    expect(r.budget.total.share).toBeCloseTo(6 / 15, 12);
    expect(r.notes).toEqual([]);

    const text = ok(["report", "--ledger", LEDGER]);
    expect(text).toContain("A budget model took or could take 40.0% of answered requests (6):");
    expect(text).toContain("Definition: share of answered requests a budget model took or could take: taken = a tier-1 model");
    const csv = ok(["report", "--ledger", LEDGER, "--format", "csv"]).trimEnd().split("\n");
    expect(csv[0]).toBe(TRAFFIC_CSV_HEADER.join(","));
    expect(csv.at(-1)).toBe("total,answered,15,1,,,0.2444865,5,1,0.4");
  });

  it("takes a period, a budget model, and says when the export has no feedback column", () => {
    const r = JSON.parse(ok(["report", "--ledger", LEDGER, "--from", "2026-04-01T16:00:00Z", "--to", "1775088000000", "--budget-model", "gpt-4o-mini", "--format", "json"])) as TrafficMixReport;
    expect(r.period).toEqual({ from: "2026-04-01T16:00:00.000Z", to: "2026-04-02T00:00:00.000Z" });
    expect(r.requests + Object.values(r.excluded).reduce((s, n) => s + n, 0)).toBe(8); // rows 7 to 14
    expect(r.budget.couldTake.model).toBe("gpt-4o-mini");
    const rows = (JSON.parse(readFileSync(LEDGER, "utf8"))[0].results as Array<Record<string, unknown>>).map(({ negative_feedback: _, ...rest }) => rest);
    const noFeedback = join(tmp, "no-feedback.jsonl");
    writeFileSync(noFeedback, rows.map((x) => JSON.stringify(x)).join("\n"));
    const nf = JSON.parse(ok(["report", "--ledger", noFeedback, "--format", "json"])) as TrafficMixReport;
    expect(nf.notes[0]).toMatch(/no negative_feedback column/);
    expect(nf.budget.taken.requests).toBe(6); // the row with negative feedback now counts
  });
});
