/**
 * npm run tune:route -- --route NAME --ledger FILE [--target 0.95] [--cheap MODEL]
 *                       [--cheap-cost USD --strong-cost USD] [--current-threshold T] [--out proposal.json]
 *
 * Fits a classifier route's threshold from its own labelled outcomes (tune-fit.ts says which rows are
 * labels), fit on the older 70% and tested on the newer 30%; prints the cost–quality curve on the newer
 * labels with the current and proposed operating points, warns when the labels are too few to trust, and
 * writes a proposal. FILE: the route's request rows as JSON lines, a JSON array, or the output of
 * `wrangler d1 execute tiergate-ledger --json --command "SELECT r.*, f.success AS feedback_success FROM
 * requests r LEFT JOIN feedback f ON f.request_id = r.id WHERE r.route = 'NAME'"`.
 * The threshold is the tier 1 / tier 2 boundary (cheap vs anything stronger). The operator applies a
 * proposal by setting the route's `classifier.thresholds["2"]` to `proposal.threshold` (dropping `shares`,
 * keeping `thresholds["3"]` at or above it) in the document from GET /admin/config and PUTting it back.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { labelOf, tuneThreshold, type LedgerRow, type OperatingPoint, type TuneResult } from "./tune-fit";
import { fnv1a } from "./splits";

function parseRows(text: string): LedgerRow[] {
  const t = text.trim();
  if (t.startsWith("[")) {
    const v = JSON.parse(t) as unknown[];
    // wrangler d1 execute --json: [{ results: [...] }]
    if (v.length > 0 && typeof v[0] === "object" && v[0] !== null && Array.isArray((v[0] as { results?: unknown }).results)) return v.flatMap((x) => (x as { results: LedgerRow[] }).results);
    return v as LedgerRow[];
  }
  return t.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as LedgerRow);
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : "-");
const usd = (x: number): string => `$${(1000 * x).toFixed(4)}/1k`;

export function report(route: string, r: TuneResult, target: number): string {
  const out: string[] = [];
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
  out.push(`route ${route}: ${r.labels} labels (${Object.entries(r.bySource).map(([k, v]) => `${k} ${v}`).join(", ")}); fit on ${r.fit.n} older (${day(r.fit.from)}..${day(r.fit.to)}), tested on ${r.test.n} newer (${day(r.test.from)}..${day(r.test.to)}); quality target ${target}`);
  out.push("");
  out.push("cost–quality curve on the newer labels (score >= threshold goes strong):");
  out.push("| threshold | strong share | quality | cost | |");
  out.push("|---:|---:|---:|---:|---|");
  const step = Math.max(1, Math.floor(r.testCurve.length / 20));
  const mark = (p: OperatingPoint): string => [r.current && Math.abs(p.threshold - r.current.test.threshold) < 1e-12 ? "current" : "", Math.abs(p.threshold - r.proposed.test.threshold) < 1e-12 ? "proposed" : ""].filter(Boolean).join(", ");
  const rows = r.testCurve.filter((_, i) => i % step === 0 || i === r.testCurve.length - 1);
  for (const p of [...rows, ...(r.current ? [r.current.test] : []), r.proposed.test].sort((a, b) => a.strongShare - b.strongShare || b.threshold - a.threshold)) {
    out.push(`| ${f3(p.threshold)} | ${(100 * p.strongShare).toFixed(1)}% | ${f3(p.quality)} | ${usd(p.cost)} | ${mark(p)} |`);
  }
  out.push("");
  if (r.current) out.push(`current  threshold ${f3(r.current.test.threshold)}: newer labels quality ${f3(r.current.test.quality)}, strong ${(100 * r.current.test.strongShare).toFixed(1)}%, cost ${usd(r.current.test.cost)}`);
  out.push(`proposed threshold ${f3(r.proposed.fit.threshold)}: fit quality ${f3(r.proposed.fit.quality)}; newer labels quality ${f3(r.proposed.test.quality)}, strong ${(100 * r.proposed.test.strongShare).toFixed(1)}%, cost ${usd(r.proposed.test.cost)}`);
  for (const w of r.warnings) out.push(`WARNING: ${w}`);
  if (r.trustworthy) out.push("enough labels: the proposal can be trusted as far as the labels go");
  return out.join("\n");
}

function main(): void {
  const args = process.argv.slice(2);
  const route = arg(args, "--route"), file = arg(args, "--ledger");
  if (!route || !file) {
    process.stderr.write("usage: npm run tune:route -- --route NAME --ledger FILE [--target 0.95] [--cheap MODEL] [--cheap-cost USD --strong-cost USD] [--current-threshold T] [--out FILE]\n");
    process.exit(2);
  }
  const target = Number(arg(args, "--target") ?? "0.95");
  const rows = parseRows(readFileSync(file, "utf8")).filter((r) => r.route === route);
  // the cheap model: the one served most often without escalation, unless named
  const counts = new Map<string, number>();
  for (const r of rows) if ((r.escalations ?? 0) === 0 && r.served_model) counts.set(r.served_model, (counts.get(r.served_model) ?? 0) + 1);
  const cheap = arg(args, "--cheap") ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const meanCost = (pred: (r: LedgerRow) => boolean): number => {
    const c = rows.filter(pred).map((r) => r.cost_usd ?? 0);
    return c.length ? c.reduce((a, b) => a + b, 0) / c.length : NaN;
  };
  const cheapCost = Number(arg(args, "--cheap-cost") ?? meanCost((r) => r.served_model === cheap && (r.escalations ?? 0) === 0));
  // the strong model's cost: rows it served directly, else escalated rows minus the cheap step's cost
  const direct = meanCost((r) => r.served_model !== cheap && (r.escalations ?? 0) === 0);
  const strongCost = Number(arg(args, "--strong-cost") ?? (Number.isFinite(direct) ? direct : meanCost((r) => (r.escalations ?? 0) > 0) - cheapCost));
  if (!Number.isFinite(cheapCost) || !Number.isFinite(strongCost)) {
    process.stderr.write(`tune:route: cannot estimate per-request costs from the rows (cheap ${cheapCost}, strong ${strongCost}); pass --cheap-cost and --strong-cost\n`);
    process.exit(2);
  }
  const labels = rows.map((r) => labelOf(r, cheap)).filter((l) => l !== undefined);
  const cur = arg(args, "--current-threshold");
  const result = tuneThreshold(labels, { target, cheapCost, strongCost, ...(cur !== undefined ? { currentThreshold: Number(cur) } : {}) });
  process.stdout.write(report(route, result, target) + "\n");
  const date = new Date().toISOString();
  const proposal = {
    route,
    threshold: result.proposed.fit.threshold,
    tuning: { id: `tune-${fnv1a(`${route}:${date}:${result.labels}`).toString(16)}`, date, target, cheapModel: cheap, labels: result.labels, bySource: result.bySource, fit: result.proposed.fit, test: result.proposed.test, current: result.current?.test ?? null, trustworthy: result.trustworthy, warnings: result.warnings },
    apply: `GET /admin/config; on the route named ${route}: remove classifier.shares, set classifier.thresholds = { "2": ${result.proposed.fit.threshold}, "3": <the old tier-3 threshold, at least ${result.proposed.fit.threshold}> }; PUT /admin/config`,
  };
  const out = arg(args, "--out") ?? `tune-${route}.json`;
  writeFileSync(out, JSON.stringify(proposal, null, 1) + "\n");
  process.stderr.write(`wrote ${out}\n`);
}

if (process.argv[1]?.endsWith("tune.ts")) main();
