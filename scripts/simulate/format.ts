/** Renders simulator reports as a text table, CSV or JSON. Money as `$3,250.00`. */
import type { ReportRow, SimulationReport } from "../../src/simulate/report";
import type { MixRow, TrafficMixReport } from "../../src/simulate/traffic-mix";
import { csvCell as safeCsvCell, terminalSafe } from "../../src/core/display-text";

export type Format = "text" | "json" | "csv";
export const FORMATS: readonly Format[] = ["text", "json", "csv"];

const US = "en-US";

/** `$3,250.00`. Reports of small sums (a short log, a test ledger) use more decimals, the same in every cell: see moneyDigits. */
export function money(x: number, digits = 2): string {
  const rounded = Number(Math.abs(x).toFixed(digits));
  const sign = x < 0 && rounded !== 0 ? "-" : "";
  return `${sign}$${rounded.toLocaleString(US, { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** Cents from $100 up; below that 4 decimals, below $1 6, so a small log does not read $0.00 everywhere. */
export function moneyDigits(largest: number): number {
  return largest >= 100 ? 2 : largest >= 1 ? 4 : 6;
}

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

export function pct(x: number | null, digits = 1): string {
  return x === null ? "-" : `${(x * 100).toFixed(digits)}%`;
}

export const usd = (x: number) => money(x, 2);

/** Whole numbers with separators; fractional request counts (tier splits) with up to two decimals. */
export function count(x: number): string {
  const rounded = Math.round(x * 100) / 100;
  return rounded.toLocaleString(US, { maximumFractionDigits: 2 });
}

/** Rounds away float noise (136.49999999999997) but keeps tiny per-request costs. */
export function clean(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(12));
}

function deepClean<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "number" ? clean(x) : x))) as T;
}

function table(headers: string[], unsafeRows: string[][], leftCols = 1): string {
  // Cells may hold client-chosen strings (feature tags, model names): no control character reaches the terminal.
  const rows = unsafeRows.map((r) => r.map(terminalSafe));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftCols ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(clean(v));
  return safeCsvCell(v);
}

const csv = (rows: Array<Array<string | number | null | undefined>>) => rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";

// ---- simulation (mix, replay, ledger) -------------------------------------------------------

const SECTIONS: Array<[keyof SimulationReport, string, string]> = [
  ["byModel", "By model", "model"],
  ["byTier", "By tier", "tier"],
  ["byFeature", "By feature", "feature"],
  ["byRoute", "By route", "route"],
  ["byChange", "Answering model, actual → what-if", "change"],
];

function simRow(r: ReportRow, withTier: boolean, ledger: boolean, d: number): string[] {
  const usd = (x: number) => money(x, d);
  const cells = [r.key];
  if (withTier) cells.push(r.tier === undefined || r.tier === null ? "-" : String(r.tier));
  cells.push(count(r.requests), pct(r.share), count(r.inputTokens), count(r.outputTokens));
  if (ledger) cells.push(usd(r.actualCostUsd ?? 0));
  cells.push(usd(r.costUsd));
  if (ledger) cells.push(usd(r.changeUsd ?? 0));
  cells.push(usd(r.baselineCostUsd), usd(r.savingsUsd), pct(r.savingsPct));
  return cells;
}

function reportDigits(r: SimulationReport): number {
  return moneyDigits(Math.max(r.total.costUsd, r.total.baselineCostUsd, r.total.actualCostUsd ?? 0));
}

export function summaryLine(r: SimulationReport): string {
  const t = r.total;
  const d = reportDigits(r);
  const usd = (x: number) => money(x, d);
  const saving = t.savingsUsd >= 0 ? `saves ${usd(t.savingsUsd)} (${pct(t.savingsPct, 0)})` : `costs ${usd(-t.savingsUsd)} more (${pct(t.savingsPct === null ? null : -t.savingsPct, 0)})`;
  if (r.kind === "ledger") {
    const actual = t.actualCostUsd ?? 0;
    const change = t.costUsd - actual;
    const rel = actual > 0 ? ` (${pct(Math.abs(change) / actual)})` : "";
    return `What-if cost ${usd(t.costUsd)} vs actual ${usd(actual)}: ${change <= 0 ? "saves" : "adds"} ${usd(Math.abs(change))}${rel}. Against all on ${r.baseline} (${usd(t.baselineCostUsd)}) the what-if ${saving}.`;
  }
  return `Cost ${usd(t.costUsd)} vs ${usd(t.baselineCostUsd)} all on ${r.baseline}: ${saving}.`;
}

export function renderSimulationText(r: SimulationReport): string {
  const ledger = r.kind === "ledger";
  const d = reportDigits(r);
  const out: string[] = [r.description, `Baseline: the same tokens all on ${r.baseline}`, ""];
  for (const [field, title, keyName] of SECTIONS) {
    const rows = r[field] as ReportRow[] | undefined;
    if (!rows) continue;
    const withTier = field === "byModel";
    const headers = [keyName];
    if (withTier) headers.push("tier");
    headers.push("requests", "share", "input tokens", "output tokens");
    if (ledger) headers.push("actual");
    headers.push(ledger ? "what-if" : "cost");
    if (ledger) headers.push("change");
    headers.push("baseline", "savings", "saved");
    const body = rows.map((x) => simRow(x, withTier, ledger, d));
    body.push(simRow({ ...r.total, key: "total" }, withTier, ledger, d).map((c, i) => (withTier && i === 1 ? "" : c)));
    out.push(title, table(headers, body, withTier ? 1 : 1), "");
  }
  out.push(summaryLine(r));
  if (r.escalated > 0) out.push(`${plural(r.escalated, "request", "requests")} escalated in a cascade (both tiers paid).`);
  if (r.unroutable.requests > 0) {
    out.push(`${plural(r.unroutable.requests, "request", "requests")} could not be routed by this config (the gateway would answer them with an error); they are not in the figures:`);
    for (const e of r.unroutable.examples) out.push(`  line ${e.line}: ${e.message}`);
  }
  if (r.skipped && Object.keys(r.skipped).length > 0) out.push(`Left out (not answered): ${Object.entries(r.skipped).map(([k, n]) => `${n} ${k}`).join(", ")}.`);
  if (r.notes.length > 0) out.push("", "Notes:", ...r.notes.map((n) => `- ${n}`));
  return out.join("\n") + "\n";
}

export const SIMULATION_CSV_HEADER = ["section", "key", "tier", "requests", "share", "input_tokens", "output_tokens", "cost_usd", "baseline_cost_usd", "savings_usd", "savings_pct", "actual_cost_usd", "change_usd"];

export function renderSimulationCsv(r: SimulationReport): string {
  const rows: Array<Array<string | number | null | undefined>> = [SIMULATION_CSV_HEADER];
  const push = (section: string, x: ReportRow) =>
    rows.push([section, x.key, x.tier ?? null, x.requests, x.share, x.inputTokens, x.outputTokens, x.costUsd, x.baselineCostUsd, x.savingsUsd, x.savingsPct, x.actualCostUsd ?? null, x.changeUsd ?? null]);
  for (const [field, , section] of SECTIONS) for (const x of (r[field] as ReportRow[] | undefined) ?? []) push(section, x);
  push("total", r.total);
  return csv(rows);
}

export function renderSimulation(r: SimulationReport, format: Format): string {
  if (format === "json") return JSON.stringify(deepClean(r), null, 2) + "\n";
  if (format === "csv") return renderSimulationCsv(r);
  return terminalText(renderSimulationText(r));
}

// ---- traffic mix -----------------------------------------------------------------------------

function mixRow(x: MixRow, d: number): string[] {
  const usd = (v: number) => money(v, d);
  return [x.key, count(x.requests), pct(x.share), count(x.inputTokens), count(x.outputTokens), usd(x.costUsd), count(x.budgetTaken), count(x.budgetCouldTake), pct(x.budgetShare)];
}

export function renderTrafficMixText(r: TrafficMixReport): string {
  const headers = ["", "requests", "share", "input tokens", "output tokens", "cost", "budget took", "could take", "budget share"];
  const d = moneyDigits(r.costUsd);
  const usd = (v: number) => money(v, d);
  const period = r.period.from || r.period.to ? ` from ${r.period.from ?? "the start"} to ${r.period.to ?? "the end"}` : "";
  const excluded = Object.entries(r.excluded);
  const out = [
    `Traffic mix: ${count(r.requests)} answered requests${period}, ${usd(r.costUsd)}` + (excluded.length > 0 ? ` (not counted: ${excluded.map(([k, n]) => `${n} ${k}`).join(", ")})` : ""),
    "",
    "By feature",
    table(["feature", ...headers.slice(1)], r.byFeature.map((x) => mixRow(x, d))),
    "",
    "By prompt length (input tokens of the answering call)",
    table(["prompt length", ...headers.slice(1)], r.byPromptLength.map((x) => mixRow(x, d))),
    "",
  ];
  const b = r.budget;
  out.push(`A budget model took or could take ${pct(b.total.share)} of answered requests (${count(b.total.requests)}):`);
  out.push(`- took ${pct(b.taken.share)} (${count(b.taken.requests)}): answered by a tier-1 model (${b.tier1Models.join(", ") || "none configured"}) with no escalation, failed check or negative feedback`);
  const c = b.couldTake;
  const priced = c.requests > 0 && c.model && c.onBudgetCostUsd !== null ? `; they cost ${usd(c.costUsd)}, on ${c.model} ${usd(c.onBudgetCostUsd)} (saving ${usd(c.savingsUsd ?? 0)})` : "";
  out.push(`- could take ${pct(c.share)} more (${count(c.requests)}): rated tier 1 by a classifier but answered by a stronger model, with no escalation or failed check${priced}`);
  out.push(`Definition: ${b.definition}.`);
  if (r.notes.length > 0) out.push("", "Notes:", ...r.notes.map((n) => `- ${n}`));
  return out.join("\n") + "\n";
}

export const TRAFFIC_CSV_HEADER = ["section", "key", "requests", "share", "input_tokens", "output_tokens", "cost_usd", "budget_taken", "budget_could_take", "budget_share"];

export function renderTrafficMixCsv(r: TrafficMixReport): string {
  const rows: Array<Array<string | number | null>> = [TRAFFIC_CSV_HEADER];
  const push = (section: string, x: MixRow) => rows.push([section, x.key, x.requests, x.share, x.inputTokens, x.outputTokens, x.costUsd, x.budgetTaken, x.budgetCouldTake, x.budgetShare]);
  r.byFeature.forEach((x) => push("feature", x));
  r.byPromptLength.forEach((x) => push("prompt_length", x));
  const b = r.budget;
  rows.push(["budget", "taken", b.taken.requests, b.taken.share, null, null, b.taken.costUsd, b.taken.requests, null, null]);
  rows.push(["budget", "could_take", b.couldTake.requests, b.couldTake.share, null, null, b.couldTake.costUsd, null, b.couldTake.requests, null]);
  rows.push(["total", "answered", r.requests, 1, null, null, r.costUsd, b.taken.requests, b.couldTake.requests, b.total.share]);
  return csv(rows);
}

export function renderTrafficMix(r: TrafficMixReport, format: Format): string {
  if (format === "json") return JSON.stringify(deepClean(r), null, 2) + "\n";
  if (format === "csv") return renderTrafficMixCsv(r);
  return terminalText(renderTrafficMixText(r));
}

/** Every line made terminal-safe (client-chosen names appear outside tables too), line breaks kept. */
function terminalText(text: string): string {
  return text.split("\n").map(terminalSafe).join("\n");
}
