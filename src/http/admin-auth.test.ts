import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../core/errors";
import type { AppEnv } from "../env";
import { requireAdmin } from "./admin-auth";
import { createApp } from "./app";

const env = (token?: string) => ({ ...(token === undefined ? {} : { ADMIN_TOKEN: token }) }) as AppEnv["Bindings"];

describe("the admin-auth middleware", () => {
  it("answers 503 admin_disabled through the app's error handler when no ADMIN_TOKEN is set", async () => {
    const res = await createApp().request("/admin/config/status", {}, env());
    expect(res.status).toBe(503);
    expect(res.headers.get("x-tiergate-request-id")).toMatch(/.+/);
    expect(await res.json()).toMatchObject({ error: { code: "admin_disabled", type: "permission_error" } });
  });

  it("answers 401 invalid_admin_token for a missing or wrong token", async () => {
    const cases: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: "Basic s3cret" }];
    for (const headers of cases) {
      const res = await createApp().request("/admin/config/status", { headers }, env("s3cret"));
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_admin_token", type: "authentication_error" } });
    }
  });

  it("throws a GatewayError rather than building a response, and lets the right token through", async () => {
    const seen: unknown[] = [];
    const app = new Hono<AppEnv>();
    app.use("*", requireAdmin({ token: () => "s3cret" }));
    app.get("/x", (c) => c.text("in"));
    app.onError((err, c) => {
      seen.push(err);
      return c.text("handled", 418);
    });
    expect((await app.request("/x", { headers: { authorization: "Bearer nope" } })).status).toBe(418);
    expect(seen[0]).toBeInstanceOf(GatewayError);
    expect((seen[0] as GatewayError).status).toBe(401);
    const ok = await app.request("/x", { headers: { authorization: "bearer  s3cret " } });
    expect(await ok.text()).toBe("in");
  });
});
