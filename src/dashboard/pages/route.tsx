/** One route: its config, check verdicts, routing accuracy, latency over time, recent requests. */
import type { Context } from "hono";
import { TIERS } from "../../stats/routing-accuracy";
import { readRouteDrift } from "../../storage/drift-read";
import { checkVerdicts, recentRequests } from "../../storage/route-activity";
import { filterQuery, intervalFor, loadConfig, readFilters, seriesChart, statsFor, type Table } from "../data";
import type { DashboardEnv } from "../session";
import { Chart, DataTable, Kpis, Page } from "./layout";

export async function routeTables(c: Context<DashboardEnv>, name: string) {
  const f = readFilters(c);
  const config = await loadConfig(c);
  const [report, verdicts, recent, drift] = await Promise.all([
    statsFor(c, f, { route: name, interval: intervalFor(f) }, config),
    checkVerdicts(c.env.LEDGER, name, f.from, f.to),
    recentRequests(c.env.LEDGER, name, f.from, f.to),
    readRouteDrift(c.env.LEDGER, config, f.to, { filters: { route: [name], ...(f.team ? { team: [f.team] } : {}) } }),
  ]);
  const t = report.total;
  const a = t.routingAccuracy;
  const tables: Table[] = [
    { name: "checks", title: "Check verdicts", columns: ["check", "passed", "failed", "skipped"], rows: verdicts.map((v) => [v.type, v.passed, v.failed, v.skipped]) },
    { name: "accuracy", title: "Routing accuracy (labels count: a labelled request by its label, an unlabelled tier-1 one by its outcome)", columns: ["classified", "tier 1 judged", "tier 1 agreed", "tier 1 rate", "reviewed", "review agreed", "review rate", "judged", "agreed", "rate", "check pass rate", "escalation rate", "served failed"], rows: [[a.classified, a.judged, a.agreed, a.rate, a.reviewed, a.reviewAgreed, a.reviewRate, a.combined.judged, a.combined.agreed, a.combined.rate, t.quality.checkPassRate, t.quality.escalationRate, t.quality.servedFailed]] },
    {
      name: "confusion", title: "Confusion: the tier the classifier chose against outcomes and reviewer labels",
      columns: ["chosen tier", "outcome good", "outcome bad", "outcome unknown", "labelled 1", "labelled 2", "labelled 3", "cheap good enough", "cheap not good enough"],
      rows: TIERS.map((k) => [k, a.outcome[k].good, a.outcome[k].bad, a.outcome[k].unknown, a.review[k].labelled["1"], a.review[k].labelled["2"], a.review[k].labelled["3"], a.review[k].goodEnough, a.review[k].notGoodEnough]),
    },
    {
      name: "recent", title: "Recent requests", columns: ["id", "time", "status", "model", "feature", "team", "cost usd", "latency ms", "quality", "escalations"],
      rows: recent.map((r) => [r.id, new Date(r.ts).toISOString(), r.status, r.served_model, r.feature, r.team, r.cost_usd, r.latency_ms, r.quality, r.escalations]),
      links: { 0: recent.map((r) => `/dashboard/requests/${encodeURIComponent(r.id)}`) },
    },
  ];
  const flagged = drift.find((d) => d.route === name)?.flagged ?? [];
  return { name, f, report, tables, flagged, routeConfig: config?.routes.find((r) => r.name === name) ?? null };
}

export async function routePage(c: Context<DashboardEnv>) {
  const { name, f, report, tables, flagged, routeConfig } = await routeTables(c, c.req.param("name") ?? "");
  const t = report.total;
  const latency = seriesChart("latency", "Latency (ms)", report, "lines", "ms", (x) => x.latencyMs.p50);
  latency.series = (["p50", "p95", "p99"] as const).map((p) => ({ label: p, values: seriesChart("l", "", report, "lines", "", (x) => x.latencyMs[p]).series[0]?.values ?? [] }));
  const q = filterQuery(f);
  return c.html(
    <Page title={`Route ${name}`} role={c.get("role")} filters={f} path={`/dashboard/routes/${encodeURIComponent(name)}`}>
      <h1>Route {name}</h1>
      <p class={flagged.length > 0 ? "drift flagged" : "drift"} data-drift={flagged.join(",")}>{flagged.length > 0 ? `Drift (last 7 days against the 7 before): ${flagged.join(", ")}` : "No drift flag (last 7 days against the 7 before)."}</p>
      <Kpis items={[["Requests", "requests", t.requests, "count"], ["Cost", "costUsd", t.costUsd, "usd"], ["Saved", "savingsUsd", t.savingsUsd, "usd"], ["Check pass rate", "checkPassRate", t.quality.checkPassRate, "rate"], ["Error rate", "errorRate", t.errorRate, "rate"], ["p95 latency (ms)", "latencyP95", t.latencyMs.p95, "ms"]]} />
      <section class="config"><h2>Config</h2><pre>{routeConfig ? JSON.stringify(routeConfig, null, 2) : "not in the current config"}</pre></section>
      <div class="charts"><Chart spec={latency} /></div>
      {tables.map((tb) => <DataTable table={tb} exportHref={`/dashboard/export/route-${tb.name}.csv?${q}&route=${encodeURIComponent(name)}`} />)}
      <p class="note">Each request opens its ledger row (also <code>GET /admin/requests/:id</code>).</p>
    </Page>,
  );
}
