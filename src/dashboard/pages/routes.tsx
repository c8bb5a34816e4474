/** Per-route table: every figure of GET /admin/stats for each group (route by default), with the route's drift flag. */
import type { Context } from "hono";
import { readRouteDrift } from "../../storage/drift-read";
import { filterQuery, loadConfig, metricsTable, readFilters, statsFor, type Filters } from "../data";
import type { DashboardEnv } from "../session";
import { DataTable, Page } from "./layout";

/** Drift per route as GET /admin/stats/drift gives it for the week before the window's end (the config's thresholds). */
async function driftByRoute(c: Context<DashboardEnv>, f: Filters, config: Awaited<ReturnType<typeof loadConfig>>): Promise<Map<string, string>> {
  const drift = await readRouteDrift(c.env.LEDGER, config, f.to, { filters: f.team ? { team: [f.team] } : {} });
  return new Map(drift.map((d) => [d.route, d.flagged.length === 0 ? "ok" : `drift: ${d.flagged.join(", ")}`]));
}

export async function routesTable(c: Context<DashboardEnv>) {
  const f = readFilters(c);
  const config = await loadConfig(c);
  const report = await statsFor(c, f, { group: f.group }, config);
  const table = metricsTable("routes", `Every metric by ${f.group}`, report, true);
  if (report.group.length === 1 && report.group[0] === "route") {
    const drift = await driftByRoute(c, f, config);
    table.columns.push("drift (7 d vs 7 d before)");
    report.groups.forEach((g, i) => table.rows[i]?.push(drift.get(g.key.route ?? "-") ?? "ok"));
  }
  return { f, table };
}

export async function routesPage(c: Context<DashboardEnv>) {
  const { f, table } = await routesTable(c);
  return c.html(
    <Page title="Routes" role={c.get("role")} filters={f} path="/dashboard/routes">
      <DataTable table={table} exportHref={`/dashboard/export/routes.csv?${filterQuery(f)}`} />
    </Page>,
  );
}
