/** The frame of every dashboard page: nav, filters, and the chart script from the Worker's static assets. */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { ChartSpec, Filters, Table } from "../data";
import { filterQuery, WINDOWS } from "../data";
import type { Role } from "../session";
import { formatValue, kindOfColumn, type ValueKind } from "../format";

export const GROUPS = ["route", "route,model", "model", "feature", "team", "tier", "provider", "key"];

export function Page(props: { title: string; role: Role | null; filters?: Filters; path?: string; children?: Child }) {
  const f = props.filters;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{`${props.title} · tiergate`}</title>
        <link rel="stylesheet" href="/dashboard-assets/vendor/uPlot.min.css" />
        <link rel="stylesheet" href="/dashboard-assets/dashboard.css" />
      </head>
      <body data-from={f ? String(f.from) : undefined} data-to={f ? String(f.to) : undefined}>
        <header>
          <strong>tiergate</strong>
          {props.role && (
            <nav>
              <a href={`/dashboard${f ? `?${filterQuery(f)}` : ""}`}>Overview</a>
              <a href={`/dashboard/routes${f ? `?${filterQuery(f)}` : ""}`}>Routes</a>
              <a href="/dashboard/review">Review</a>
              <form method="post" action="/dashboard/logout" class="inline"><button type="submit">Sign out ({props.role})</button></form>
            </nav>
          )}
        </header>
        {f && props.path && (
          <form method="get" action={props.path} class="filters">
            <label>Window <select name="window">{Object.keys(WINDOWS).map((w) => <option value={w} selected={w === f.window}>{w}</option>)}</select></label>
            <label>Group <select name="group">{GROUPS.map((g) => <option value={g} selected={g === f.group}>{g}</option>)}</select></label>
            <label>Team <input name="team" value={f.team ?? ""} placeholder="all teams" /></label>
            <button type="submit">Apply</button>
          </form>
        )}
        <main>{props.children}</main>
        <script src="/dashboard-assets/vendor/uPlot.iife.min.js"></script>
        <script src="/dashboard-assets/dashboard.js"></script>
      </body>
    </html>
  );
}


export function DataTable(props: { table: Table; exportHref?: string }) {
  const t = props.table;
  return (
    <section class="table" data-table={t.name}>
      <h2>{t.title} {props.exportHref && <a class="csv" href={props.exportHref} download={`${t.name}.csv`}>Export CSV</a>}</h2>
      <div class="scroll">
        <table>
          <thead><tr>{t.columns.map((c) => <th>{c}</th>)}</tr></thead>
          <tbody>
            {t.rows.map((r, i) => (
              <tr>
                {r.map((v, j) => {
                  const href = t.links?.[j]?.[i];
                  const text = formatValue(kindOfColumn(t.columns[j] ?? ""), v);
                  return <td data-col={t.columns[j]} data-value={v === null ? "" : String(v)}>{href ? <a href={href}>{text}</a> : text}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {t.rows.length === 0 && <p class="empty">No requests in this window.</p>}
    </section>
  );
}

/** A chart container; dashboard.js draws it with uPlot from the JSON beside it and marks it data-drawn. */
export function Chart(props: { spec: ChartSpec }) {
  const json = JSON.stringify(props.spec).replace(/</g, "\\u003c");
  return (
    <section class="chart" data-chart={props.spec.id}>
      <h2>{props.spec.title}</h2>
      <div class="plot"></div>
      <script type="application/json">{raw(json)}</script>
    </section>
  );
}

/** Headline figures: label, name (data-kpi), value, how to show it. */
export function Kpis(props: { items: Array<[string, string, number | null, ValueKind]> }) {
  return (
    <section class="kpis">
      {props.items.map(([label, name, v, kind]) => (
        <div class="kpi" data-kpi={name} data-value={v === null ? "" : String(v)}><span>{label}</span><b>{formatValue(kind, v)}</b></div>
      ))}
    </section>
  );
}
