/**
 * /dashboard, served by the Worker: server-rendered pages (hono/jsx) over the same figures as
 * GET /admin/stats; charts are drawn in the browser by uPlot from the Worker's static assets
 * (public/, `[assets]` in wrangler.toml). Sign-in: see ./session.ts.
 */
import { Hono } from "hono";
import { readLedgerEntry } from "../storage/ledger-store";
import { parseLabel } from "../ledger/review-sample";
import { labelSample } from "../storage/review-store";
import { toCsv } from "./csv";
import type { Table } from "./data";
import { Page } from "./pages/layout";
import { LoginPage } from "./pages/login";
import { overviewPage, overviewTables } from "./pages/overview";
import { reviewPage } from "./pages/review";
import { routePage, routeTables } from "./pages/route";
import { routesPage, routesTable } from "./pages/routes";
import { clearedSessionCookie, type DashboardEnv, requireSession, roleOfToken, sessionCookie } from "./session";

export const dashboard = new Hono<DashboardEnv>();

dashboard.use("*", async function noStore(c, next) {
  await next();
  c.header("cache-control", "no-store");
  c.header("x-frame-options", "DENY");
});

dashboard.get("/login", (c) => c.html(<LoginPage />));

dashboard.post("/login", async (c) => {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const token = typeof form.token === "string" ? form.token.trim() : "";
  const role = token ? await roleOfToken(c, token) : null;
  if (!role) return c.html(<LoginPage error="That token does not open the dashboard." />, 401);
  c.header("set-cookie", await sessionCookie(c, role, Date.now()));
  return c.redirect("/dashboard", 303);
});

dashboard.post("/logout", (c) => {
  c.header("set-cookie", clearedSessionCookie);
  return c.redirect("/dashboard/login", 303);
});

dashboard.use("*", requireSession());

dashboard.get("/", overviewPage);
dashboard.get("/routes", routesPage);
dashboard.get("/routes/:name", routePage);
dashboard.get("/review", reviewPage);

/**
 * A label from the review page's form: admin sessions only (the read-only token gets 403). The
 * session cookie is SameSite=Strict, and a cross-origin Origin header is refused as well.
 */
dashboard.post("/review/:id", async (c) => {
  if (c.get("role") !== "admin") return c.html(<Page title="Forbidden" role={c.get("role")}><p>Labelling needs the admin token; this session is read-only.</p></Page>, 403);
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin) return c.text("cross-origin post refused", 403);
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const input = parseLabel(form as Record<string, unknown>);
  if ("error" in input) return c.html(<Page title="Bad label" role={c.get("role")}><p>{input.error}</p></Page>, 400);
  const id = c.req.param("id");
  const label = await labelSample(c.env.LEDGER, id, input, "dashboard admin", Date.now());
  if (!label) return c.html(<Page title="Not found" role={c.get("role")}><p>No review sample with that id.</p></Page>, 404);
  return c.redirect(`/dashboard/review?saved=${encodeURIComponent(id)}`, 303);
});

dashboard.get("/requests/:id", async (c) => {
  const entry = await readLedgerEntry(c.env.LEDGER, c.req.param("id"));
  if (!entry) return c.html(<Page title="Not found" role={c.get("role")}><p>No ledger row with that id (it may be past the retention).</p></Page>, 404);
  return c.html(
    <Page title={`Request ${entry.request.id}`} role={c.get("role")}>
      <h1>Request {String(entry.request.id)}</h1>
      <p>The ledger row and its attempts, as <code>GET /admin/requests/{String(entry.request.id)}</code> gives them.</p>
      <pre class="ledger">{JSON.stringify(entry, null, 2)}</pre>
    </Page>,
  );
});

/** CSV of any table a page shows, with the page's filters. */
dashboard.get("/export/:file{[a-z0-9-]+\\.csv}", async (c) => {
  const name = c.req.param("file").replace(/\.csv$/, "");
  let table: Table | undefined;
  if (name === "routes") table = (await routesTable(c)).table;
  else if (name.startsWith("route-")) table = (await routeTables(c, c.req.query("route") ?? "")).tables.find((t) => `route-${t.name}` === name);
  else table = (await overviewTables(c)).tables.find((t) => t.name === name);
  if (!table) return c.text(`no table ${name}`, 404);
  c.header("content-type", "text/csv; charset=utf-8");
  c.header("content-disposition", `attachment; filename="${name}.csv"`);
  return c.body(toCsv(table));
});
