// The dashboard in a real browser: Debian's chromium driven by playwright-core against `wrangler dev`
// (static assets, D1, the Cron Trigger through --test-scheduled) over seeded ledger rows. Signs in
// with the read-only token, opens every page, checks each chart drew on its canvas and the numbers
// shown equal GET /admin/stats, exports a CSV, labels a review item as the admin and checks the route's accuracy table counts it,
// and saves screenshots under test/artifacts/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startChild, type Child } from "../../bench/lib/procs";
import type { StatsReport } from "../../src/stats/report";
import { formatValue } from "../../src/dashboard/format";
import { syntheticLedger } from "../support/synthetic-ledger";

const REPO = resolve(import.meta.dirname, "../..");
const WRANGLER = join(REPO, "node_modules/wrangler/bin/wrangler.js");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(REPO, "test/artifacts");
const ADMIN_TOKEN = "browser-admin-token";
const DASHBOARD_TOKEN = "browser-dashboard-token";
const HOUR = 3_600_000;
const REVIEW_ID = "browser-review-1";
const available = existsSync(CHROMIUM);
if (!available) console.warn(`dashboard browser test skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`);

const CONFIG = {
  version: 1, baseline: "big",
  providers: { sim: { type: "simulator" } },
  models: {
    cheap: { provider: "sim", id: "small", tier: 1, price: { input: 0.15, output: 0.6 } },
    mid: { provider: "sim", id: "mid", tier: 2, price: { input: 1, output: 4 } },
    big: { provider: "sim", id: "big", tier: 3, price: { input: 10, output: 30 } },
  },
  routes: [{ name: "chat", match: {}, model: "cheap" }],
};

const sqlValue = (v: unknown) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
function insertSql(table: string, rows: Array<Record<string, unknown>>): string {
  return rows.map((r) => `INSERT INTO ${table} (${Object.keys(r).join(", ")}) VALUES (${Object.values(r).map(sqlValue).join(", ")});`).join("\n");
}

let server: Child | undefined;
let browser: Browser | undefined;
let origin = "";

async function api(query: string): Promise<StatsReport> {
  const res = await fetch(`${origin}/admin/stats?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as StatsReport;
}

async function chartsDrawn(page: Page): Promise<void> {
  const charts = await page.locator("section[data-chart]").count();
  expect(charts).toBeGreaterThan(0);
  // (Browser-side code as strings: this project's types have no DOM.)
  await page.waitForFunction(`[...document.querySelectorAll("section[data-chart]")].every((s) => s.getAttribute("data-drawn") === "1")`, null, { timeout: 10_000 });
  // Every chart's canvas has pixels that are not transparent.
  const painted = await page.evaluate<number[]>(`[...document.querySelectorAll("section[data-chart] canvas")].map((c) => {
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    })`);
  expect(painted.length).toBe(charts);
  for (const n of painted) expect(n).toBeGreaterThan(100);
}

const windowOf = async (page: Page) => ({ from: await page.locator("body").getAttribute("data-from"), to: await page.locator("body").getAttribute("data-to") });

it.runIf(!available && process.env.CI === "true")("has chromium in CI (.ci/run installs it)", () => {
  expect.fail(`no chromium at ${CHROMIUM}`);
});

describe.skipIf(!available)("the dashboard in headless Chromium", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const state = mkdtempSync(join(tmpdir(), "tiergate-dash-"));
    const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", XDG_CONFIG_HOME: state };
    const run = (args: string[]) => execFileSync(process.execPath, [WRANGLER, ...args], { cwd: REPO, env, stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
    run(["d1", "migrations", "apply", "LEDGER", "--local", "--persist-to", state]);
    // Three days of traffic up to the last hour.
    const to = Math.floor(Date.now() / HOUR) * HOUR;
    const { requests, feedback } = syntheticLedger(21, to - 72 * HOUR, 72, 10, "browser");
    const seed = join(state, "seed.sql");
    // A classifier route's request the review sample kept (a minute ago), for a person to label.
    const reviewed = { id: REVIEW_ID, ts: Date.now() - 60_000, route: "classy", strategy: "classifier", classifier: "local", classifier_tier: 1, served_model: "cheap", provider: "sim", status: "ok", http_status: 200, latency_ms: 120, cost_usd: 0.0001, baseline_cost_usd: 0.002 };
    const sample = { request_id: REVIEW_ID, ts: reviewed.ts, route: "classy", classifier_tier: 1, served_model: "cheap", prompt: "user: Prove that there are infinitely many primes.", answer: "There are.", truncated: 0, expires_at: reviewed.ts + 14 * 24 * HOUR };
    writeFileSync(seed, `${insertSql("requests", [...requests, reviewed].map((r) => ({ http_status: r.status === "error" ? 502 : 200, ...r })))}\n${insertSql("feedback", feedback as unknown as Array<Record<string, unknown>>)}\n${insertSql("review_samples", [sample])}\n`);
    run(["d1", "execute", "LEDGER", "--local", "--persist-to", state, "--file", seed, "--yes"]);
    const port = await freePort();
    ({ child: server } = await startChild("wrangler dev", process.execPath, [
      WRANGLER, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-ip", "127.0.0.1", "--inspector-port", String(await freePort()),
      "--persist-to", state, "--test-scheduled", "--show-interactive-dev-session=false",
      "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`, "--var", `DASHBOARD_TOKEN:${DASHBOARD_TOKEN}`,
    ], { cwd: REPO, env, ready: /Ready on http:\/\/127\.0\.0\.1:\d+/, readyTimeoutMs: 90_000, logFile: join(state, "wrangler.log") }));
    origin = `http://127.0.0.1:${port}`;
    const put = await fetch(`${origin}/admin/config`, { method: "PUT", headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(CONFIG) });
    expect(put.status, await put.text()).toBe(200);
    // The Cron Trigger folds the closed hours: the pages read rollups and the raw tail.
    expect((await fetch(`${origin}/__scheduled?cron=*/15+*+*+*+*`)).status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("signs in, draws every chart with the API's numbers, exports a CSV, opens every page", async () => {
    const context = await browser!.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const seen: string[] = [];
    page.on("request", (r) => seen.push(r.url()));
    await page.goto(`${origin}/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/dashboard/login");
    await page.fill("input[name=token]", DASHBOARD_TOKEN);
    await Promise.all([page.waitForURL(`${origin}/dashboard`), page.click("button[type=submit]")]);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "tiergate_session", httpOnly: true, sameSite: "Strict", path: "/dashboard" });
    expect(cookie!.value).not.toContain(DASHBOARD_TOKEN);

    // Overview.
    await chartsDrawn(page);
    const w = await windowOf(page);
    const total = await api(`from=${w.from}&to=${w.to}`);
    expect(total.total.requests).toBeGreaterThan(500);
    for (const [kpi, value] of [["requests", total.total.requests], ["costUsd", total.total.costUsd], ["savingsUsd", total.total.savingsUsd], ["latencyP95", total.total.latencyMs.p95], ["recoveredStreamRate", total.total.recoveredStreamRate]] as const) {
      expect(await page.locator(`[data-kpi=${kpi}]`).getAttribute("data-value"), kpi).toBe(String(value));
    }
    // Shown rounded: money to 4 significant digits, rates as a percentage with 1 decimal, ms whole.
    expect(await page.locator("[data-kpi=costUsd] b").textContent()).toBe(formatValue("usd", total.total.costUsd));
    expect(await page.locator("[data-kpi=costUsd] b").textContent()).toMatch(/^\$[\d,]+(\.\d{1,4})?$/);
    expect(await page.locator("[data-kpi=errorRate] b").textContent()).toMatch(/^\d+\.\d%$/);
    expect(await page.locator("[data-kpi=recoveredStreamRate] b").textContent()).toBe(formatValue("rate", total.total.recoveredStreamRate));
    expect(await page.locator("[data-kpi=latencyP95] b").textContent()).toMatch(/^[\d,]+$/);
    // Every chart's y-axis starts at 0 (the tier mix included).
    await page.waitForFunction(`[...document.querySelectorAll("section[data-chart]")].every((s) => s.hasAttribute("data-y-min"))`, null, { timeout: 10_000 });
    expect(await page.locator("section[data-chart]").evaluateAll((s) => s.map((x) => x.getAttribute("data-y-min")))).toEqual((await page.locator("section[data-chart]").all()).map(() => "0"));
    const features = await api(`from=${w.from}&to=${w.to}&group=feature`);
    const featureCosts = (await page.locator("[data-table=features] td[data-col='cost usd']").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-value")))).map(Number);
    expect(featureCosts).toEqual(features.groups.slice(0, 10).map((g) => g.figures.costUsd));
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-overview.png"), fullPage: true });

    // CSV export of the top-features table.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-table=features] a.csv")]);
    const csv = readFileSync((await download.path())!, "utf8").trim().split("\r\n");
    expect(csv[0]).toBe("feature,requests,cost usd,baseline usd,savings usd,cost share");
    expect(csv.slice(1).map((l) => Number(l.split(",")[2]))).toEqual(featureCosts);

    // Per-route table: every metric; the numbers are the API's.
    await page.click("nav a:has-text('Routes')");
    await page.waitForSelector("[data-table=routes]");
    const routes = await api(`from=${w.from}&to=${w.to}&group=route`);
    const rows = await page.locator("[data-table=routes] tbody tr").evaluateAll((trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("td")].map((td) => [td.getAttribute("data-col"), td.getAttribute("data-value")]))));
    expect(rows.map((r) => r.route)).toEqual(routes.groups.map((g) => g.key.route));
    rows.forEach((r, i) => {
      const f = routes.groups[i]!.figures;
      expect([r["requests"], r["cost usd"], r["error rate"], r["latency p99"], r["feedback success"], r["recovered-stream rate"], r["served failed rate"]]).toEqual([f.requests, f.costUsd, f.errorRate, f.latencyMs.p99, f.feedback.successRate, f.recoveredStreamRate, f.quality.servedFailedRate].map((v) => (v === null ? "" : String(v))));
    });
    // The recovered-stream rate is there and not 0 (the seeded rows include recovered streams); shown as a percentage.
    expect(routes.total.recoveredStreamRate).toBeGreaterThan(0);
    const shown = await page.locator("[data-table=routes] tbody tr:first-child td[data-col='recovered-stream rate']").textContent();
    expect(shown).toBe(formatValue("rate", routes.groups[0]!.figures.recoveredStreamRate));
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-routes.png"), fullPage: true });

    // One route's page, and a request from its recent list.
    await page.click("[data-table=routes] tbody tr:first-child a");
    await chartsDrawn(page);
    const name = routes.groups[0]!.key.route!;
    const one = await api(`from=${w.from}&to=${w.to}&route=${name}`);
    expect(await page.locator("[data-kpi=requests]").getAttribute("data-value")).toBe(String(one.total.requests));
    expect(await page.locator("[data-table=recent] tbody tr").count()).toBe(50);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-route.png"), fullPage: true });
    await page.click("[data-table=recent] tbody tr:first-child a");
    await page.waitForSelector("pre.ledger");

    // The review queue: the read-only session sees the sample but no label form.
    await page.goto(`${origin}/dashboard/review`);
    await page.waitForSelector(`[data-review="${REVIEW_ID}"]`);
    expect(await page.locator("form.label").count()).toBe(0);

    // Nothing came from outside the Worker, and no token ever appeared in a URL.
    expect(seen.filter((u) => !u.startsWith(origin))).toEqual([]);
    expect(seen.filter((u) => u.includes(DASHBOARD_TOKEN) || u.includes(ADMIN_TOKEN))).toEqual([]);
    await context.close();
  }, 120_000);

  it("labels a review item as the admin, and the route's accuracy table counts it as the API does", async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${origin}/dashboard/login`);
    await page.fill("input[name=token]", ADMIN_TOKEN);
    await Promise.all([page.waitForURL(`${origin}/dashboard`), page.click("button[type=submit]")]);
    await page.goto(`${origin}/dashboard/review`);
    const item = page.locator(`[data-review="${REVIEW_ID}"]`);
    expect(await item.locator("pre.text").first().textContent()).toContain("infinitely many primes");
    // The classifier chose tier 1; the reviewer says it needed tier 3 and the cheap answer was not good enough.
    await item.locator("select[name=tier]").selectOption("3");
    await item.locator("select[name=goodEnough]").selectOption("no");
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-review.png"), fullPage: true });
    await Promise.all([page.waitForURL(/\/dashboard\/review\?saved=/), item.locator("button[type=submit]").click()]);
    expect(await page.locator(`[data-saved="${REVIEW_ID}"]`).count()).toBe(1);
    expect(await page.locator(`[data-review="${REVIEW_ID}"]`).count()).toBe(0); // labelled: out of the queue
    // The cron refolds the label's hour if it was already folded; the page and the API read the same cells.
    expect((await fetch(`${origin}/__scheduled?cron=*/15+*+*+*+*`)).status).toBe(200);

    await page.goto(`${origin}/dashboard/routes/classy`);
    await page.waitForSelector("[data-table=confusion]");
    const w = await windowOf(page);
    const acc = (await api(`from=${w.from}&to=${w.to}&route=classy`)).total.routingAccuracy;
    expect(acc).toMatchObject({ reviewed: 1, reviewAgreed: 0, combined: { judged: 1, agreed: 0, rate: 0 } });
    const tier1 = (await page.locator("[data-table=confusion] tbody tr").evaluateAll((trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("td")].map((td) => [td.getAttribute("data-col"), td.getAttribute("data-value")])))))[0] as Record<string, string>;
    expect(tier1).toMatchObject({ "chosen tier": "1", "labelled 3": String(acc.review["1"].labelled["3"]), "cheap not good enough": String(acc.review["1"].notGoodEnough) });
    expect(tier1["labelled 3"]).toBe("1");
    const rates = (await page.locator("[data-table=accuracy] tbody tr").evaluateAll((trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("td")].map((td) => [td.getAttribute("data-col"), td.getAttribute("data-value")])))))[0] as Record<string, string>;
    expect([rates["reviewed"], rates["rate"]]).toEqual(["1", "0"]);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-route-accuracy.png"), fullPage: true });
    await context.close();
  }, 120_000);
});
