/**
 * Gateway keys: authentication is on by default on every /v1/* endpoint; keys are created,
 * rotated and revoked through /admin/keys and stored hashed in KV; config `access.keys` still work.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import { lookupKey, resetKeyCache } from "../../src/storage/gateway-keys";
import { KV_GATEWAY_KEY_PREFIX } from "../../src/storage/kv-keys";
import { ADMIN, baseConfig, chat, clearConfig, gw, ledger, messages, putConfig, TEST_CLIENT, userMessage } from "../support/gateway";

const body = { model: "auto", messages: userMessage() };
const anthropicBody = { model: "auto", max_tokens: 5, messages: userMessage() };

async function createKey(settings: Record<string, unknown>): Promise<{ id: string; key: string; [k: string]: unknown }> {
  const res = await gw("/admin/keys", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string };
}

/** Every /v1 endpoint with the given credential (null: none). */
async function everyEndpoint(key: string | null): Promise<Record<string, number>> {
  return {
    models: (await gw("/v1/models", {}, { key })).status,
    chat: (await chat(body, {}, { key })).status,
    messages: (await messages(anthropicBody, {}, { key })).status,
    feedback: (await gw("/v1/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ request_id: "req_0000000000000000", success: true }) }, { key })).status,
  };
}
const all401 = { models: 401, chat: 401, messages: 401, feedback: 401 };

beforeEach(async () => putConfig(baseConfig()));

describe("authentication is on by default", () => {
  it("refuses absent and wrong credentials with 401 on every /v1 endpoint, /v1/models included", async () => {
    expect(await everyEndpoint(null)).toEqual(all401);
    expect(await everyEndpoint("tg_not_a_key_this_gateway_knows")).toEqual(all401);
    const res = await chat(body, {}, { key: null });
    expect(await res.json()).toMatchObject({ error: { type: "authentication_error", code: "invalid_api_key" } });
    const anth = await messages(anthropicBody, {}, { key: "wrong" });
    expect(await anth.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });

  it("the default is closed when the config says nothing, and also while there is no config at all", async () => {
    const { access: _access, ...noAccess } = baseConfig();
    await putConfig(noAccess);
    expect((await chat(body, {}, { key: null })).status).toBe(401);
    await clearConfig();
    expect((await chat(body, {}, { key: null })).status).toBe(401);
    // A valid key passes and then meets the missing config.
    expect((await chat(body)).status).toBe(503);
  });

  it("requireKey: false (explicit) admits requests without a key, but never a wrong one", async () => {
    await putConfig(baseConfig({}, undefined, { access: { requireKey: false, keys: [] } }));
    expect((await chat(body, {}, { key: null })).status).toBe(200);
    expect((await chat(body, {}, { key: "tg_wrong" })).status).toBe(401);
  });

  it("the test harness's key is a KV gateway key and is recorded with its team", async () => {
    const res = await chat(body);
    expect(res.status).toBe(200);
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ key_name: TEST_CLIENT.name, team: TEST_CLIENT.team });
  });
});

describe("/admin/keys", () => {
  it("creates a key whose secret is shown once and stored only as its SHA-256", async () => {
    const created = await createKey({ name: "search-backend", team: "search", userTier: "pro" });
    expect(created.key).toMatch(/^tg_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: "search-backend", team: "search", userTier: "pro", state: "active", hint: created.key.slice(-4) });
    const stored = await env.CONFIG.get(KV_GATEWAY_KEY_PREFIX + (await sha256Hex(created.key)));
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(created.key);
    const read = await (await gw(`/admin/keys/${created.id}`, { headers: ADMIN })).json();
    const list = (await (await gw("/admin/keys", { headers: ADMIN })).json()) as { data: Array<{ id: string }> };
    expect(JSON.stringify(read)).not.toContain(created.key);
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(JSON.stringify(list)).not.toContain(await sha256Hex(created.key));
    expect(list.data.map((k) => k.id)).toContain(created.id);

    const res = await chat(body, {}, { key: created.key });
    expect(res.status).toBe(200);
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ key_name: "search-backend", team: "search", user_tier: "pro" });
    // x-api-key works as well (Anthropic SDKs), on /v1/messages too.
    expect((await messages(anthropicBody, { "x-api-key": created.key }, { key: null })).status).toBe(200);
  });

  it("needs the admin token and validates what it is given", async () => {
    expect((await gw("/admin/keys", { method: "POST", body: JSON.stringify({ name: "x" }) })).status).toBe(401);
    const bad = await gw("/admin/keys", { method: "POST", headers: ADMIN, body: JSON.stringify({ name: "", colour: "red" }) });
    expect(bad.status).toBe(400);
    expect((await gw("/admin/keys/key_nope", { headers: ADMIN })).status).toBe(404);
  });

  it("updates a key's team: the next request is recorded with the new team", async () => {
    const created = await createKey({ name: "mover", team: "ads" });
    const patched = await gw(`/admin/keys/${created.id}`, { method: "PATCH", headers: ADMIN, body: JSON.stringify({ team: "search" }) });
    expect(await patched.json()).toMatchObject({ team: "search", name: "mover" });
    const res = await chat(body, {}, { key: created.key });
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ key_name: "mover", team: "search" });
  });

  it("rotates: the new secret works, the old one gets 401 saying it was rotated", async () => {
    const created = await createKey({ name: "rotating" });
    const rotated = (await (await gw(`/admin/keys/${created.id}/rotate`, { method: "POST", headers: ADMIN })).json()) as { id: string; key: string };
    expect(rotated.id).toBe(created.id);
    expect(rotated.key).not.toBe(created.key);
    expect((await chat(body, {}, { key: rotated.key })).status).toBe(200);
    const old = await chat(body, {}, { key: created.key });
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: { message: string } }).error.message).toMatch(/rotated/);
  });

  it("revokes: the next request with the key gets 401 on every endpoint (cache TTL 0 here)", async () => {
    const created = await createKey({ name: "leaked" });
    expect((await chat(body, {}, { key: created.key })).status).toBe(200);
    const revoked = await gw(`/admin/keys/${created.id}`, { method: "DELETE", headers: ADMIN });
    expect(await revoked.json()).toMatchObject({ state: "revoked" });
    expect(await everyEndpoint(created.key)).toEqual(all401);
    const res = await chat(body, {}, { key: created.key });
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    expect((await (await gw(`/admin/keys/${created.id}`, { headers: ADMIN })).json()) as object).toMatchObject({ state: "revoked" });
  });

  it("an expired key gets 401 on every endpoint", async () => {
    const created = await createKey({ name: "temp", expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await chat(body, {}, { key: created.key })).status).toBe(200);
    await gw(`/admin/keys/${created.id}`, { method: "PATCH", headers: ADMIN, body: JSON.stringify({ expiresAt: new Date(Date.now() - 1_000).toISOString() }) });
    expect(await everyEndpoint(created.key)).toEqual(all401);
    const res = await chat(body, {}, { key: created.key });
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
  });
});

describe("revocation bound", () => {
  // Stated bound: KEY_CACHE_TTL_SECONDS (default 10 s) in the isolate + KV's propagation between locations (up to ~60 s).
  it("an isolate sees a revocation once its cached lookup is older than the TTL, never later", async () => {
    resetKeyCache();
    const created = await createKey({ name: "cached" });
    const sha = await sha256Hex(created.key);
    let now = 1_000_000;
    const opts = { ttlMs: 10_000, now: () => now };
    expect((await lookupKey(env.CONFIG, sha, opts))?.revokedAt).toBeNull();
    // Revoked elsewhere (another isolate's admin call): only KV changes, this isolate's cache does not.
    const record = (await env.CONFIG.get(KV_GATEWAY_KEY_PREFIX + sha, "json")) as Record<string, unknown>;
    await env.CONFIG.put(KV_GATEWAY_KEY_PREFIX + sha, JSON.stringify({ ...record, revokedAt: new Date().toISOString() }));
    now += 9_999; // within the TTL this isolate may still use its cached lookup…
    expect((await lookupKey(env.CONFIG, sha, opts))?.revokedAt ?? null).toBeNull();
    now += 1; // …and at the TTL it reads KV again and sees the revocation.
    expect((await lookupKey(env.CONFIG, sha, opts))?.revokedAt).toEqual(expect.any(String));
  });
});

describe("config access.keys keep working (read both: KV keys first, then the config's)", () => {
  it("a key listed only in the config document is accepted and attributed", async () => {
    const key = "tg-config-listed-key";
    await putConfig(baseConfig({}, undefined, { access: { requireKey: true, keys: [{ name: "legacy", keySha256: await sha256Hex(key), team: "old" }] } }));
    const res = await chat(body, {}, { key });
    expect(res.status).toBe(200);
    expect((await ledger(res.headers.get("x-tiergate-request-id"))).request).toMatchObject({ key_name: "legacy", team: "old" });
    expect((await gw("/v1/models", {}, { key })).status).toBe(200);
  });
});
