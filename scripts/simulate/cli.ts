/**
 * npm run -s simulate -- …   The what-if simulator and traffic-mix report (README: "Simulate before you route").
 *
 *   a mix:        --requests 1000000 --input-tokens 500 --output-tokens 200 --mix gpt-4o-mini=70,claude-sonnet-4-6=25,claude-opus-4-6=5
 *   a log:        --log traffic.jsonl [--decisions decisions.jsonl]
 *   the ledger:   --ledger ledger.json                      (what the config would have done with recorded traffic)
 *   traffic mix:  report --ledger ledger.json [--from DATE] [--to DATE] [--budget-model MODEL]
 *   any of them:  [--config FILE] [--baseline MODEL] [--format text|json|csv]
 *
 * The simulation itself is src/simulate/ (shared with the Worker's stats API); this file only reads
 * files and flags, draws the progress bar (stderr, terminals only) and prints. Exit codes: 0 done,
 * 1 bad input (each problem named `file:line: message`, nothing on stdout), 2 bad usage.
 */
import { createReadStream, createWriteStream, readFileSync, realpathSync, renameSync, statSync, unlinkSync } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_CONFIG } from "../../src/config/default-config";
import type { Config } from "../../src/config/schema";
import { validateConfig, validateConfigText } from "../../src/config/validate";
import { formatIssue, inputError, SimulationInputError, type InputIssue } from "../../src/simulate/issues";
import { parseLedgerExport } from "../../src/simulate/ledger-export";
import { LedgerWhatIf } from "../../src/simulate/ledger-whatif";
import { parseMix, simulateMix } from "../../src/simulate/mix";
import { decisionRecord, Replay } from "../../src/simulate/replay";
import type { SimulationReport } from "../../src/simulate/report";
import { parseTrafficLine } from "../../src/simulate/traffic-log";
import { groupLedgerRows, parseTimeBound, trafficMixReport } from "../../src/simulate/traffic-mix";
import { clean, FORMATS, renderSimulation, renderTrafficMix, type Format } from "./format";
import { Progress } from "./progress";

const USAGE = `usage:
  npm run -s simulate -- --requests N --input-tokens N --output-tokens N --mix MODEL=PCT,MODEL=PCT,… [options]
  npm run -s simulate -- --log traffic.jsonl [--decisions FILE] [options]
  npm run -s simulate -- --ledger ledger.json [options]
  npm run -s simulate -- report --ledger ledger.json [--from DATE] [--to DATE] [--budget-model MODEL] [options]
options:
  --config FILE      routing config and price table (default: the default config, src/config/default-config.ts)
  --baseline MODEL   the model savings are measured against (default: the config's baseline)
  --format FORMAT    text (default), json or csv
  --log -            reads the log from stdin`;

class UsageError extends Error {}

const OPTIONS = {
  requests: { type: "string" },
  "input-tokens": { type: "string" },
  "output-tokens": { type: "string" },
  mix: { type: "string" },
  log: { type: "string" },
  ledger: { type: "string" },
  decisions: { type: "string" },
  config: { type: "string" },
  baseline: { type: "string" },
  format: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "budget-model": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

/** `…in JSON at position 57` → the line it is on, so a broken file is named with its line. */
function jsonErrorLine(text: string, message: string): number | null {
  const m = message.match(/position (\d+)/);
  if (!m) return null;
  return text.slice(0, Number(m[1])).split("\n").length;
}

function readText(path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    throw inputError(path, `cannot read: ${(e as Error).message}`);
  }
}

export function loadConfigFile(path: string | undefined): Config {
  if (path === undefined) {
    const v = validateConfig(DEFAULT_CONFIG);
    if (!v.ok) throw new Error(`the default config is invalid: ${v.message}`);
    return v.config;
  }
  const text = readText(path);
  const v = validateConfigText(text);
  if (v.ok) return v.config;
  const summary = `${path} is not a valid routing config`;
  if (v.code === "invalid_json") throw new SimulationInputError(path, [{ line: jsonErrorLine(text, v.message), message: v.message }], summary);
  throw new SimulationInputError(path, v.issues.map((i) => ({ line: null, message: `${i.path}: ${i.message}` })), summary);
}

function integerFlag(values: Values, name: "requests" | "input-tokens" | "output-tokens"): number {
  const raw = values[name];
  if (raw === undefined) throw new UsageError(`--${name} is required with --mix`);
  const n = Number(raw.replace(/[_,]/g, ""));
  if (!Number.isInteger(n) || n < 0) throw inputError(`--${name}`, `must be a non-negative integer, got "${raw}"`);
  return n;
}

async function replayLog(path: string, config: Config, baseline: string, decisionsPath: string | undefined): Promise<SimulationReport> {
  let size: number | null = null;
  if (path !== "-") {
    try {
      size = statSync(path).size;
    } catch (e) {
      throw inputError(path, `cannot read: ${(e as Error).message}`);
    }
  }
  const input = path === "-" ? process.stdin : createReadStream(path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const replay = new Replay(config, baseline, path === "-" ? "stdin" : path);
  const progress = new Progress(size, "lines");
  const partial = decisionsPath ? `${decisionsPath}.partial` : undefined;
  const out = partial ? createWriteStream(partial) : undefined;
  const write = async (obj: unknown) => {
    if (out && !out.write(JSON.stringify(obj, (_k, v: unknown) => (typeof v === "number" ? clean(v) : v)) + "\n")) await once(out, "drain");
  };
  const issues: InputIssue[] = [];
  let n = 0;
  let bytes = 0;
  try {
    for await (const raw of lines) {
      n++;
      bytes += Buffer.byteLength(raw) + 1;
      progress.update(bytes, n);
      const parsed = parseTrafficLine(raw, n);
      if (!parsed.ok) {
        issues.push({ line: n, message: parsed.message });
        continue;
      }
      // After a bad line, keep reading only to name every other bad line.
      if (parsed.value === null || issues.length > 0) continue;
      const outcome = replay.add(parsed.value);
      if (!outcome.ok) await write({ line: n, ...(parsed.value.id !== undefined ? { id: parsed.value.id } : {}), error: outcome.message });
      else for (const d of outcome.decisions) await write(decisionRecord(parsed.value, d, replay.baselineCost(parsed.value)));
    }
  } finally {
    progress.done();
    if (out) await new Promise<void>((resolve) => out.end(resolve));
  }
  if (issues.length > 0) {
    if (partial) unlinkSync(partial);
    throw new SimulationInputError(path === "-" ? "stdin" : path, issues);
  }
  if (partial && decisionsPath) renameSync(partial, decisionsPath);
  return replay.report();
}

function ledgerWhatIf(path: string, config: Config, baseline: string): SimulationReport {
  const { rows } = parseLedgerExport(readText(path), path);
  const whatIf = new LedgerWhatIf(config, baseline, path);
  const progress = new Progress(rows.length, "rows");
  rows.forEach((row, i) => {
    whatIf.add(row, i + 1);
    progress.update(i + 1, i + 1);
  });
  progress.done();
  return whatIf.report();
}

function trafficReport(values: Values, config: Config) {
  const path = values.ledger;
  if (path === undefined) throw new UsageError("report needs --ledger FILE (an export of the requests table, see the README)");
  const bound = (name: "from" | "to") => {
    const v = parseTimeBound(values[name]);
    if (v !== null && !Number.isFinite(v)) throw inputError(`--${name}`, `must be an ISO 8601 date (2026-04-01, 2026-04-01T12:00:00Z) or ms since epoch, got "${values[name]}"`);
    return v;
  };
  const from = bound("from");
  const to = bound("to");
  const budget = values["budget-model"];
  if (budget !== undefined && !(budget in config.models)) throw inputError("--budget-model", `unknown model "${budget}"; models are: ${Object.keys(config.models).join(", ")}`);
  const { rows } = parseLedgerExport(readText(path), path);
  const { groups, excluded, feedbackKnown } = groupLedgerRows(rows, from, to);
  const notes = feedbackKnown ? [] : ["the export has no negative_feedback column: client feedback is not taken into account (see the README's export command)"];
  return trafficMixReport(groups, excluded, config, { from, to, notes, ...(budget ? { budgetModel: budget } : {}) });
}

export async function run(argv: string[]): Promise<string> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const values = parsed.values as Values;
  if (values.help) throw new UsageError("");
  const [command, ...extra] = parsed.positionals;
  if (extra.length > 0 || (command !== undefined && command !== "report")) throw new UsageError(`unexpected argument "${extra[0] ?? command}"`);
  const format = (values.format ?? "text") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${values.format}"`);

  const config = loadConfigFile(values.config);
  const baseline = values.baseline ?? config.baseline;
  if (!(baseline in config.models)) throw inputError("--baseline", `unknown model "${baseline}"; models are: ${Object.keys(config.models).join(", ")}`);

  if (command === "report") {
    const stray = (["mix", "log", "decisions", "requests", "input-tokens", "output-tokens"] as const).find((f) => values[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} does not go with report`);
    return renderTrafficMix(trafficReport(values, config), format);
  }
  const reportOnly = (["from", "to", "budget-model"] as const).find((f) => values[f] !== undefined);
  if (reportOnly) throw new UsageError(`--${reportOnly} goes with report`);

  const modes = (["mix", "log", "ledger"] as const).filter((m) => values[m] !== undefined);
  if (modes.length !== 1) throw new UsageError(modes.length === 0 ? "give --mix, --log or --ledger" : `give only one of --${modes.join(", --")}`);
  if (values.decisions !== undefined && modes[0] !== "log") throw new UsageError("--decisions goes with --log");
  let report: SimulationReport;
  if (values.mix !== undefined) {
    const spec = { requests: integerFlag(values, "requests"), inputTokens: integerFlag(values, "input-tokens"), outputTokens: integerFlag(values, "output-tokens"), baseline };
    report = simulateMix({ ...spec, mix: parseMix(values.mix, config) }, config);
  } else if (values.log !== undefined) {
    report = await replayLog(values.log, config, baseline, values.decisions);
  } else {
    report = ledgerWhatIf(values.ledger as string, config, baseline);
  }
  return renderSimulation(report, format);
}

const MAX_SHOWN = 20;

async function main(): Promise<void> {
  try {
    process.stdout.write(await run(process.argv.slice(2)));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`simulate: ${e.message}\n`);
      process.stderr.write(USAGE + "\n");
      process.exitCode = 2;
      return;
    }
    if (e instanceof SimulationInputError) {
      const shown = e.issues.slice(0, MAX_SHOWN).map((i) => formatIssue(e.source, i));
      if (e.issues.length > MAX_SHOWN) shown.push(`… and ${e.issues.length - MAX_SHOWN} more`);
      process.stderr.write(shown.join("\n") + "\n");
      const lines = e.issues.filter((i) => i.line !== null).length;
      const verdict = e.summary ?? (lines > 0 ? `${lines} bad line(s) in ${e.source}` : e.source.startsWith("--") ? `invalid ${e.source}` : `bad input in ${e.source}`);
      process.stderr.write(`simulate: ${verdict}; no report written\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) void main();
