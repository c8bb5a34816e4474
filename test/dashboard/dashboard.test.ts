// /dashboard in the Workers runtime: sign-in by form into an HttpOnly SameSite=Strict cookie (admin
// or read-only token, never in a URL), pages over seeded rows with the API's numbers, CSV export,
// and the read-only token reaching no write endpoint.
import { beforeAll, describe, expect, it } from "vitest";
import type { StatsReport } from "../../src/stats/report";
import { ADMIN, baseConfig, fake, gw, putConfig } from "../support/gateway";
import { seedLedger, syntheticLedger } from "../support/seed-ledger";

const HOUR = 3_600_000;
const TO = Date.UTC(2026, 1, 10, 12);
const { requests, feedback } = syntheticLedger(5, TO - 48 * HOUR, 48, 4, "dash");

async function signIn(token: string): Promise<Response> {
  return gw("/dashboard/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token }).toString(), redirect: "manual" });
}

async function cookieFor(token: string): Promise<string> {
  const res = await signIn(token);
  expect(res.status).toBe(303);
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

beforeAll(async () => {
  await putConfig(baseConfig({ cheap: fake("echo", { input: 0.15, output: 0.6 }, { tier: 1 }), mid: fake("echo", { input: 1, output: 2 }, { tier: 2 }), big: fake("echo", { input: 10, output: 30 }, { tier: 3 }) }));
  await seedLedger(requests, feedback);
});

describe("dashboard sign-in", () => {
  it("sends a visitor without a session to the form, and refuses a wrong token", async () => {
    const res = await gw("/dashboard", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/login");
    const bad = await signIn("nope");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("set-cookie")).toBeNull();
    expect(await bad.text()).toContain("does not open the dashboard");
  });

  it("sets an HttpOnly, SameSite=Strict session cookie that holds no token", async () => {
    for (const token of ["test-admin-token", "test-dashboard-token"]) {
      const res = await signIn(token);
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/dashboard/);
      expect(cookie).not.toContain(token);
      expect(res.headers.get("location")).toBe("/dashboard");
    }
    const page = await gw("/dashboard?window=1d", { headers: { cookie: await cookieFor("test-dashboard-token") } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign out (viewer)");
    // A forged or tampered cookie opens nothing.
    const forged = (await cookieFor("test-dashboard-token")).replace("viewer.", "admin.");
    expect((await gw("/dashboard", { headers: { cookie: forged }, redirect: "manual" })).status).toBe(303);
  });

  it("the read-only token and its session reach no write endpoint", async () => {
    const cookie = await cookieFor("test-dashboard-token");
    const writes: Array<[string, string]> = [["PUT", "/admin/config"], ["POST", "/admin/explain"], ["POST", "/admin/keys"], ["GET", "/admin/stats"]];
    for (const [method, path] of writes) {
      const body = method === "GET" ? undefined : "{}";
      const asBearer = await gw(path, { method, headers: { authorization: "Bearer test-dashboard-token", "content-type": "application/json" }, body });
      expect(asBearer.status, `${method} ${path}`).toBe(401);
      const asCookie = await gw(path, { method, headers: { cookie, "content-type": "application/json" }, body });
      expect(asCookie.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("dashboard pages", () => {
  it("show the API's numbers and export the same table as CSV", async () => {
    const cookie = await cookieFor("test-dashboard-token");
    const query = `window=7d&to=${TO}&group=route`;
    const html = await (await gw(`/dashboard/routes?${query}`, { headers: { cookie } })).text();
    const api = (await (await gw(`/admin/stats?from=${TO - 7 * 24 * HOUR}&to=${TO}&group=route`, { headers: ADMIN })).json()) as StatsReport;
    expect(api.groups.length).toBe(3);
    for (const g of api.groups) {
      expect(html).toContain(`href="/dashboard/routes/${g.key.route}"`);
      expect(html).toContain(`data-col="cost usd" data-value="${g.figures.costUsd}"`);
      expect(html).toContain(`data-col="latency p95" data-value="${g.figures.latencyMs.p95}"`);
      expect(html).toMatch(/data-col="drift \(7 d vs 7 d before\)" data-value="(ok|drift: [a-zA-Z, ]+)"/);
    }
    const csv = await gw(`/dashboard/export/routes.csv?${query}`, { headers: { cookie } });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n").map((l) => l.split(","));
    expect(lines[0]).toContain("cost usd");
    const costCol = lines[0]!.indexOf("cost usd");
    expect(lines[0]?.at(-1)).toBe("drift (7 d vs 7 d before)");
    expect(lines.slice(1).map((l) => [l[0], Number(l[costCol])])).toEqual(api.groups.map((g) => [g.key.route, g.figures.costUsd]));

    for (const path of ["/dashboard", "/dashboard/routes/chat", "/dashboard/review", `/dashboard/requests/${requests[0]!.id}`]) {
      const res = await gw(`${path}?${query}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
    }
    const overview = await (await gw(`/dashboard?${query}`, { headers: { cookie } })).text();
    const total = (await (await gw(`/admin/stats?from=${TO - 7 * 24 * HOUR}&to=${TO}`, { headers: ADMIN })).json()) as StatsReport;
    expect(overview).toContain(`data-kpi="costUsd" data-value="${total.total.costUsd}"`);
    expect((overview.match(/data-chart=/g) ?? []).length).toBe(4);
  });
});
