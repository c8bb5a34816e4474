/**
 * /admin/keys: gateway keys. Create (the secret is in that answer only), list, read, update,
 * rotate (new secret, old one refused) and revoke. Records live in KV, see storage/gateway-keys.ts.
 */
import { Hono, type Context } from "hono";
import type { z } from "zod";
import { KeySettingsSchema, KeyUpdateSchema, newKeyRecord, newKeySecret, publicKeyView, type GatewayKeyRecord } from "../access/gateway-key";
import { GatewayError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import type { AppEnv } from "../env";
import { listKeys, readKeyById, replaceKey, writeKey } from "../storage/gateway-keys";
import { invalidBody } from "./openai-codec";
import { parseJsonBody, readBodyText } from "./read-body";

const MAX_KEY_BODY_BYTES = 16_384;

export const adminKeys = new Hono<AppEnv>();

async function body<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(parseJsonBody(await readBodyText(c.req.raw, MAX_KEY_BODY_BYTES)));
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

async function existing(c: Context<AppEnv>): Promise<GatewayKeyRecord> {
  const record = await readKeyById(c.env.CONFIG, c.req.param("id") ?? "");
  if (!record) throw new GatewayError({ status: 404, type: "not_found_error", code: "key_not_found", message: "no gateway key with that id", param: "id", errorClass: "not_found", retryable: false });
  return record;
}

adminKeys.post("/", async (c) => {
  const settings = await body(c, KeySettingsSchema);
  const secret = newKeySecret();
  const record = newKeyRecord(settings, secret, await sha256Hex(secret), Date.now());
  await writeKey(c.env.CONFIG, record);
  return c.json({ ...publicKeyView(record), key: secret, note: "the key is shown only in this answer; store it now" }, 201);
});

adminKeys.get("/", async (c) => c.json({ object: "list", data: (await listKeys(c.env.CONFIG)).map(publicKeyView) }));

adminKeys.get("/:id", async (c) => c.json(publicKeyView(await existing(c))));

adminKeys.patch("/:id", async (c) => {
  const record = await existing(c);
  const update = await body(c, KeyUpdateSchema);
  const next: GatewayKeyRecord = { ...record, updatedAt: new Date().toISOString() };
  if (update.name !== undefined) next.name = update.name;
  if (update.team !== undefined) next.team = update.team;
  if (update.userTier !== undefined) next.userTier = update.userTier;
  if (update.expiresAt !== undefined) next.expiresAt = update.expiresAt;
  if (update.routes !== undefined) next.routes = update.routes;
  if (update.models !== undefined) next.models = update.models;
  if (update.maxTokens !== undefined) next.maxTokens = update.maxTokens;
  if (update.maxN !== undefined) next.maxN = update.maxN;
  if (update.origins !== undefined) next.origins = update.origins;
  if (update.rpm !== undefined) next.rpm = update.rpm;
  if (update.tpm !== undefined) next.tpm = update.tpm;
  if (update.concurrency !== undefined) next.concurrency = update.concurrency;
  if (update.budget !== undefined) next.budget = update.budget;
  await writeKey(c.env.CONFIG, next);
  return c.json(publicKeyView(next));
});

adminKeys.post("/:id/rotate", async (c) => {
  const record = await existing(c);
  if (record.revokedAt) throw new GatewayError({ status: 409, type: "invalid_request_error", code: "key_revoked", message: "a revoked key cannot be rotated; create a new one", param: "id", errorClass: "bad_request", retryable: false });
  const secret = newKeySecret();
  const next: GatewayKeyRecord = { ...record, secretSha256: await sha256Hex(secret), hint: secret.slice(-4), updatedAt: new Date().toISOString() };
  await replaceKey(c.env.CONFIG, record, next);
  return c.json({ ...publicKeyView(next), key: secret, note: "the old key is refused from now on (other locations: within the revocation bound)" });
});

async function revoke(c: Context<AppEnv>): Promise<Response> {
  const record = await existing(c);
  const next: GatewayKeyRecord = { ...record, revokedAt: record.revokedAt ?? new Date().toISOString(), updatedAt: new Date().toISOString() };
  await writeKey(c.env.CONFIG, next);
  return c.json(publicKeyView(next));
}
adminKeys.post("/:id/revoke", revoke);
adminKeys.delete("/:id", revoke);
