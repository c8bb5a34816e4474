/** Overview: spend over time stacked by model and by route, cost against the baseline, tier mix, top features by cost. */
import type { Context } from "hono";
import { costTable, filterQuery, intervalFor, loadConfig, readFilters, seriesChart, statsFor, type Table } from "../data";
import type { DashboardEnv } from "../session";
import { Chart, DataTable, Kpis, Page } from "./layout";

export async function overviewTables(c: Context<DashboardEnv>) {
  const f = readFilters(c);
  const config = await loadConfig(c);
  const interval = intervalFor(f);
  const [total, byModel, byRoute, byTier, byFeature] = await Promise.all([
    statsFor(c, f, { interval }, config),
    statsFor(c, f, { group: "model", interval }, config),
    statsFor(c, f, { group: "route", interval }, config),
    statsFor(c, f, { group: "tier", interval }, config),
    statsFor(c, f, { group: "feature" }, config),
  ]);
  const tables: Table[] = [costTable("features", "Top features by cost", byFeature), costTable("models", "Spend by model", byModel, 50), costTable("routes-cost", "Spend by route", byRoute, 50)];
  return { f, total, byModel, byRoute, byTier, tables };
}

export async function overviewPage(c: Context<DashboardEnv>) {
  const { f, total, byModel, byRoute, byTier, tables } = await overviewTables(c);
  const t = total.total;
  const charts = [
    seriesChart("spend-by-model", "Spend by model (USD)", byModel, "stacked", "USD", (x) => x.costUsd),
    seriesChart("spend-by-route", "Spend by route (USD)", byRoute, "stacked", "USD", (x) => x.costUsd),
    { ...seriesChart("savings", "Cost against the baseline (USD)", total, "lines", "USD", (x) => x.costUsd), series: [
      { label: "cost", values: seriesChart("s", "", total, "lines", "", (x) => x.costUsd).series[0]?.values ?? [] },
      { label: "baseline", values: seriesChart("s", "", total, "lines", "", (x) => x.baselineCostUsd).series[0]?.values ?? [] },
    ] },
    seriesChart("tier-mix", "Tier mix (share of requests)", byTier, "stacked", "share", (x) => x.share),
  ];
  return c.html(
    <Page title="Overview" role={c.get("role")} filters={f} path="/dashboard">
      <Kpis items={[["Requests", "requests", t.requests, "count"], ["Cost", "costUsd", t.costUsd, "usd"], ["Baseline", "baselineCostUsd", t.baselineCostUsd, "usd"], ["Saved", "savingsUsd", t.savingsUsd, "usd"], ["Saved (%)", "savingsPct", t.savingsPct, "pct"], ["Error rate", "errorRate", t.errorRate, "rate"], ["Escalation rate", "escalationRate", t.quality.escalationRate, "rate"], ["Recovered streams", "recoveredStreamRate", t.recoveredStreamRate, "rate"], ["p95 latency (ms)", "latencyP95", t.latencyMs.p95, "ms"]]} />
      <div class="charts">{charts.map((s) => <Chart spec={s} />)}</div>
      {tables.map((tb) => <DataTable table={tb} exportHref={`/dashboard/export/${tb.name}.csv?${filterQuery(f)}`} />)}
    </Page>,
  );
}
