/** Per-route table: every figure of GET /admin/stats for each group (route by default). */
import type { Context } from "hono";
import { filterQuery, loadConfig, metricsTable, readFilters, statsFor } from "../data";
import type { DashboardEnv } from "../session";
import { DataTable, Page } from "./layout";

export async function routesTable(c: Context<DashboardEnv>) {
  const f = readFilters(c);
  const report = await statsFor(c, f, { group: f.group }, await loadConfig(c));
  return { f, table: metricsTable("routes", `Every metric by ${f.group}`, report, true) };
}

export async function routesPage(c: Context<DashboardEnv>) {
  const { f, table } = await routesTable(c);
  return c.html(
    <Page title="Routes" role={c.get("role")} filters={f} path="/dashboard/routes">
      <DataTable table={table} exportHref={`/dashboard/export/routes.csv?${filterQuery(f)}`} />
    </Page>,
  );
}
