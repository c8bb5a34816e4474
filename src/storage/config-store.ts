/**
 * The active config: read from KV, validated, cached per isolate with a short TTL.
 * A broken or missing `config` never takes the gateway down: it keeps serving the last valid
 * document (also kept in KV, so a cold isolate has it) and reports the problem.
 */
import type { Config } from "../config/schema";
import { validateConfigText, type ConfigIssue, type ConfigValidation } from "../config/validate";
import { fnv1a } from "../core/hash";
import { KV_CONFIG_KEY, KV_LAST_VALID_KEY } from "./kv-keys";
import { logEvent } from "../core/log";

export interface ConfigProblem {
  code: "missing" | "invalid_json" | "invalid_config" | "kv_error";
  message: string;
  issues: ConfigIssue[];
}

export interface ConfigState {
  config: Config | null;
  /** Where the active config came from. */
  source: "config" | "last-valid" | "none";
  /** Hash of the active document's text. */
  hash: string | null;
  /** What is wrong with the `config` key, when something is. */
  problem: ConfigProblem | null;
  loadedAt: number;
}

export interface ConfigStoreOptions {
  ttlMs: number;
  now(): number;
  waitUntil(p: Promise<unknown>): void;
}

const textHash = (text: string) => fnv1a(text).toString(16).padStart(8, "0");

// Per-isolate cache. One KV binding per deployment, so one slot is enough.
let cached: { state: ConfigState; expiresAt: number } | undefined;
let refreshing: Promise<ConfigState> | undefined;
let lastValidHash: string | undefined;

// Validation results by the hash of the raw text (the live document and the last valid copy):
// an unchanged document, however large, is parsed and validated once per isolate, not at every expiry.
const validated = new Map<string, { raw: string; result: ConfigValidation }>();
const MAX_VALIDATED = 2;
let validations = 0;

function validateOnce(raw: string, hash: string): ConfigValidation {
  const hit = validated.get(hash);
  if (hit && hit.raw.length === raw.length && hit.raw === raw) return hit.result;
  validations++;
  const result = validateConfigText(raw);
  validated.delete(hash);
  if (validated.size >= MAX_VALIDATED) validated.delete(validated.keys().next().value as string);
  validated.set(hash, { raw, result });
  return result;
}

/** How many times this isolate has parsed and validated a config text (tests). */
export const configValidationCount = (): number => validations;

export function resetConfigCache(): void {
  cached = undefined;
  refreshing = undefined;
  lastValidHash = undefined;
  validated.clear();
}

export async function activeConfig(kv: KVNamespace, opts: ConfigStoreOptions): Promise<ConfigState> {
  const now = opts.now();
  if (cached && now < cached.expiresAt) return cached.state;
  if (cached && opts.ttlMs > 0) {
    // Stale: serve what we have, refresh in the background.
    if (!refreshing) opts.waitUntil(refresh(kv, opts));
    return cached.state;
  }
  return refresh(kv, opts);
}

/** Reads KV now, bypassing the cache (status endpoint, after a PUT). */
export function refresh(kv: KVNamespace, opts: ConfigStoreOptions): Promise<ConfigState> {
  refreshing ??= load(kv, opts)
    .then((state) => {
      cached = { state, expiresAt: opts.now() + opts.ttlMs };
      return state;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

async function load(kv: KVNamespace, opts: ConfigStoreOptions): Promise<ConfigState> {
  const loadedAt = opts.now();
  let problem: ConfigProblem;
  try {
    const raw = await kv.get(KV_CONFIG_KEY);
    if (raw === null) {
      problem = { code: "missing", message: `KV key "${KV_CONFIG_KEY}" is not set`, issues: [] };
    } else {
      const hash = textHash(raw);
      const v = validateOnce(raw, hash);
      if (v.ok) {
        if (hash !== lastValidHash) opts.waitUntil(rememberLastValid(kv, raw, hash));
        return { config: v.config, source: "config", hash, problem: null, loadedAt };
      }
      problem = { code: v.code, message: v.message, issues: v.issues };
    }
  } catch (err) {
    problem = { code: "kv_error", message: `could not read KV: ${err instanceof Error ? err.message : String(err)}`, issues: [] };
  }
  if (cached?.state.problem?.message !== problem.message) {
    logEvent("warn", "config_invalid", { code: problem.code, message: problem.message });
  }
  // Prefer the in-memory last valid config when this isolate has one; else the copy in KV.
  const inMemory = cached?.state.config ? cached.state : undefined;
  if (inMemory && inMemory.config) return { config: inMemory.config, source: "last-valid", hash: inMemory.hash, problem, loadedAt };
  try {
    const lastRaw = await kv.get(KV_LAST_VALID_KEY);
    if (lastRaw !== null) {
      const lastHash = textHash(lastRaw);
      const v = validateOnce(lastRaw, lastHash);
      if (v.ok) return { config: v.config, source: "last-valid", hash: lastHash, problem, loadedAt };
    }
  } catch {
    // fall through: nothing valid to serve
  }
  return { config: null, source: "none", hash: null, problem, loadedAt };
}

async function rememberLastValid(kv: KVNamespace, raw: string, hash: string): Promise<void> {
  try {
    const current = await kv.get(KV_LAST_VALID_KEY);
    if (current === null || textHash(current) !== hash) await kv.put(KV_LAST_VALID_KEY, raw);
    lastValidHash = hash;
  } catch (err) {
    logEvent("error", "config_last_valid_write_failed", { error: String(err) });
  }
}

/** Stores a document that has already passed validation, as both the live and the last valid config. */
export async function storeConfig(kv: KVNamespace, text: string): Promise<string> {
  await kv.put(KV_CONFIG_KEY, text);
  await kv.put(KV_LAST_VALID_KEY, text);
  lastValidHash = textHash(text);
  cached = undefined;
  return lastValidHash;
}

export async function readConfigText(kv: KVNamespace): Promise<{ config: string | null; lastValid: string | null }> {
  const [config, lastValid] = await Promise.all([kv.get(KV_CONFIG_KEY), kv.get(KV_LAST_VALID_KEY)]);
  return { config, lastValid };
}
