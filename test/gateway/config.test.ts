import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN, baseConfig, chat, clearConfig, fake, gw, ledger, putConfig, userMessage } from "../support/gateway";
import { testEnv } from "../support/env";
import { KV_CONFIG_KEY, KV_LAST_VALID_KEY } from "../../src/storage/kv-keys";
import { resetConfigCache } from "../../src/storage/config-store";

const good = () => baseConfig({ served: fake("echo") }, [{ name: "default", match: {}, model: "served" }]);
const status = async () => (await (await gw("/admin/config/status", { headers: ADMIN })).json()) as { ok: boolean; source: string; problem: { code: string; message: string; issues: Array<{ path: string; message: string }> } | null };
const servedBy = async () => {
  const res = await chat({ model: "auto", messages: userMessage("hi") });
  return { status: res.status, model: res.headers.get("x-tiergate-model"), id: res.headers.get("x-tiergate-request-id") };
};

beforeEach(async () => {
  await clearConfig();
  await putConfig(good());
  expect(await servedBy()).toMatchObject({ status: 200, model: "served" });
});

describe("a broken config document in KV", () => {
  it("that is not JSON keeps the last valid config serving and reports the parse error", async () => {
    await putConfig('{"baseline": "big", "providers": {');
    const r = await servedBy();
    expect(r).toMatchObject({ status: 200, model: "served" });
    expect((await ledger(r.id)).request).toMatchObject({ status: "ok", served_model: "served" });
    const s = await status();
    expect(s).toMatchObject({ ok: false, source: "last-valid", problem: { code: "invalid_json" } });
    expect(s.problem?.issues[0]?.path).toBe("$");
    expect((await (await gw("/healthz")).json()) as object).toMatchObject({ status: "degraded" });
  });

  it("that fails validation keeps serving and shows the error with its JSON path", async () => {
    const broken = good();
    (broken.providers.up as { timeoutMs: unknown }).timeoutMs = "soon";
    await putConfig(broken);
    expect(await servedBy()).toMatchObject({ status: 200, model: "served" });
    const s = await status();
    expect(s).toMatchObject({ ok: false, source: "last-valid", problem: { code: "invalid_config" } });
    expect(s.problem?.issues[0]).toMatchObject({ path: "$.providers.up.timeoutMs" });
  });

  it("that names an unknown model keeps serving and points at the reference", async () => {
    const broken = good();
    (broken.routes[0] as { model: string }).model = "no-such-model";
    await putConfig(broken);
    expect(await servedBy()).toMatchObject({ status: 200, model: "served" });
    const issue = (await status()).problem?.issues[0];
    expect(issue?.path).toBe("$.routes[0].model");
    expect(issue?.message).toContain('unknown model "no-such-model"');
  });

  it("is served from the last valid copy in KV by a cold isolate", async () => {
    await putConfig("not json at all");
    resetConfigCache(); // a new isolate: nothing in memory
    const r = await servedBy();
    expect(r).toMatchObject({ status: 200, model: "served" });
    expect(await status()).toMatchObject({ source: "last-valid" });
  });

  it("rejects a misspelt key instead of ignoring it", async () => {
    const doc = good() as unknown as { routes: Array<Record<string, unknown>> };
    doc.routes[0] = { ...doc.routes[0], fallback: ["big"] };
    await putConfig(doc);
    const s = await status();
    expect(s.problem?.issues[0]).toMatchObject({ path: "$.routes[0]" });
    expect(s.problem?.issues[0]?.message).toContain("fallback");
  });

  it("with no valid config at all answers 503 with a clear error and still records the request", async () => {
    await clearConfig();
    await putConfig("{}");
    const res = await chat({ model: "auto", messages: userMessage("hi") });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: "config_unavailable", type: "config_error" } });
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ status: "error", http_status: 503, error_class: "config", route: "-" });
    expect((await gw("/healthz")).status).toBe(503);
  });
});

describe("edits in KV", () => {
  it("take effect without a deploy", async () => {
    await putConfig(baseConfig({ other: fake("echo") }, [{ name: "default", match: {}, model: "other" }]));
    expect(await servedBy()).toMatchObject({ model: "other" });
  });

  it("are copied to the last-valid key once validated", async () => {
    const doc = baseConfig({ other: fake("echo") }, [{ name: "default", match: {}, model: "other" }]);
    await putConfig(doc);
    await servedBy();
    for (let i = 0; i < 40 && (await testEnv().CONFIG.get(KV_LAST_VALID_KEY)) !== JSON.stringify(doc); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await testEnv().CONFIG.get(KV_LAST_VALID_KEY)).toBe(JSON.stringify(doc));
  });
});

describe("/admin/config", () => {
  it("refuses requests without the admin token", async () => {
    expect((await gw("/admin/config")).status).toBe(401);
    expect((await gw("/admin/config", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  });

  it("returns the active document", async () => {
    const res = await gw("/admin/config", { headers: ADMIN });
    expect(res.headers.get("x-tiergate-config-source")).toBe("config");
    const body = (await res.json()) as { routes: Array<{ model: string }> };
    expect(body.routes[0]?.model).toBe("served");
  });

  it("validates without storing in validate-only mode", async () => {
    const doc = baseConfig({ other: fake("echo") }, [{ name: "default", match: {}, model: "other" }]);
    const res = await gw("/admin/config?validate=only", { method: "PUT", headers: ADMIN, body: JSON.stringify(doc) });
    expect(await res.json()).toEqual({ valid: true, stored: false });
    expect(await servedBy()).toMatchObject({ model: "served" });
  });

  it("rejects an invalid document with 400 and its paths, leaving the stored config untouched", async () => {
    const before = await testEnv().CONFIG.get(KV_CONFIG_KEY);
    const res = await gw("/admin/config", { method: "PUT", headers: ADMIN, body: JSON.stringify({ ...good(), baseline: "nope" }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; param: string }; issues: Array<{ path: string }> };
    expect(body.error).toMatchObject({ code: "invalid_config", param: "$.baseline" });
    expect(await testEnv().CONFIG.get(KV_CONFIG_KEY)).toBe(before);
    const notJson = await gw("/admin/config", { method: "PUT", headers: ADMIN, body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(await testEnv().CONFIG.get(KV_CONFIG_KEY)).toBe(before);
  });

  it("stores a valid document, which then serves at once", async () => {
    const doc = baseConfig({ other: fake("echo") }, [{ name: "default", match: {}, model: "other" }]);
    const res = await gw("/admin/config", { method: "PUT", headers: ADMIN, body: JSON.stringify(doc) });
    expect(await res.json()).toMatchObject({ valid: true, stored: true });
    expect(await servedBy()).toMatchObject({ model: "other" });
    expect(await testEnv().CONFIG.get(KV_LAST_VALID_KEY)).toBe(JSON.stringify(doc));
  });
});
