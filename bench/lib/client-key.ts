/**
 * The gateway key every benchmark client sends (authentication is on by default). Listed in each
 * config the benchmark stores (configs.ts `access.keys`, by its SHA-256), so it needs no KV write
 * and works the same on Miniflare and wrangler dev. Every request to tiergate takes its headers from here.
 */
import { createHash } from "node:crypto";

export const BENCH_CLIENT_KEY = "tg_bench_client_key_not_a_secret";
export const BENCH_CLIENT_HEADERS: Readonly<Record<string, string>> = { authorization: `Bearer ${BENCH_CLIENT_KEY}` };

export const benchAccess = () => ({
  requireKey: true,
  keys: [{ name: "bench", keySha256: createHash("sha256").update(BENCH_CLIENT_KEY).digest("hex"), team: "bench" }],
});
