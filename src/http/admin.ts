/** /admin: read and replace the routing config, see why it is (in)valid, look up a ledger entry, traffic statistics. */
import { Hono } from "hono";
import { GatewayError } from "../core/errors";
import { validateConfigText } from "../config/validate";
import type { AppEnv } from "../env";
import { readConfigText, storeConfig } from "../storage/config-store";
import { readLedgerEntry } from "../storage/ledger-store";
import { replayDeadLetters } from "../storage/ledger-dead-letters";
import { requireAdmin } from "./admin-auth";
import { adminKeys } from "./admin-keys";
import { adminRoutes } from "./admin-routes";
import { handleBudgets } from "./admin-budgets";
import { handleMintToken } from "./admin-tokens";
import { configUnavailable, reloadConfig } from "./config-access";
import { DEFAULT_MAX_BODY_BYTES } from "./gateway-handler";
import { readBodyText } from "./read-body";
import { handleExplain } from "./explain";
import { handleReviewLabel, handleReviewQueue } from "./admin-review";
import { handleTrafficStats } from "./stats";
import { handleStats, handleStatsDefinitions, handleStatsDrift } from "./stats-api";

export const admin = new Hono<AppEnv>();
admin.use("*", requireAdmin());

/** Writes the ledger entries dead-lettered during a D1 outage (parked in KV); idempotent, repeat while `more`. */
admin.post("/ledger/replay", async (c) => c.json(await replayDeadLetters(c.env.LEDGER, c.env.CONFIG)));

admin.get("/config/status", async (c) => {
  const state = await reloadConfig(c);
  return c.json({
    ok: state.problem === null,
    source: state.source,
    hash: state.hash,
    loadedAt: new Date(state.loadedAt).toISOString(),
    problem: state.problem,
  }, state.config ? 200 : 503);
});

/**
 * The active document itself, byte for byte as stored, so GET → edit → PUT round-trips. Where it
 * came from is in headers (the details, problems included, at /admin/config/status).
 */
admin.get("/config", async (c) => {
  const state = await reloadConfig(c);
  const stored = await readConfigText(c.env.CONFIG);
  const active = state.source === "config" ? stored.config : state.source === "last-valid" ? stored.lastValid : null;
  if (active === null) throw configUnavailable(state);
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "x-tiergate-config-source": state.source,
    "x-tiergate-config-ok": String(state.problem === null),
  };
  if (state.hash) headers["x-tiergate-config-hash"] = state.hash;
  return new Response(active, { status: 200, headers });
});

admin.put("/config", async (c) => {
  const text = await readBodyText(c.req.raw, DEFAULT_MAX_BODY_BYTES);
  const result = validateConfigText(text);
  const validateOnly = ["only", "true", "1"].includes(c.req.query("validate") ?? "");
  if (!result.ok) {
    return c.json({ error: { message: result.message, type: "invalid_request_error", code: result.code, param: result.issues[0]?.path ?? null }, issues: result.issues }, 400);
  }
  if (validateOnly) return c.json({ valid: true, stored: false });
  // Store the document as sent (people read it back in the dashboard), normalised only to valid JSON.
  const hash = await storeConfig(c.env.CONFIG, text);
  await reloadConfig(c);
  return c.json({ valid: true, stored: true, hash });
});

admin.route("/keys", adminKeys);
admin.route("/routes", adminRoutes);
admin.get("/budgets", handleBudgets);
admin.post("/tokens", handleMintToken);

admin.post("/explain", handleExplain);

admin.get("/stats/traffic", handleTrafficStats);
admin.get("/stats/definitions", handleStatsDefinitions);
admin.get("/stats/drift", handleStatsDrift);
admin.get("/stats", handleStats);
admin.get("/review", handleReviewQueue);
admin.post("/review/:id/label", handleReviewLabel);

admin.get("/requests/:id", async (c) => {
  const entry = await readLedgerEntry(c.env.LEDGER, c.req.param("id"));
  if (!entry) throw new GatewayError({ status: 404, type: "not_found_error", code: "not_found", message: "no ledger entry with that id", param: "id", errorClass: "not_found", retryable: false });
  return c.json(entry);
});
