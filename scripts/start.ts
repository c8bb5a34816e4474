/**
 * `npm start`: the gateway on this machine in one command, offline.
 * 1. keeps local secrets in .dev.vars (created on first start with a random admin token);
 * 2. applies the D1 migrations to the local database;
 * 3. seeds the default config into local KV when none is there (the simulator standing in
 *    for every provider whose key is not in .dev.vars);
 * 4. makes sure a local development gateway key exists: TIERGATE_DEV_KEY in .dev.vars (created on
 *    first start), its record (SHA-256 only) in local KV — authentication is on by default;
 *    With a config already there, provider keys in .dev.vars it does not use are reported;
 *    `npm start -- --use-keys` switches the models of those providers to them;
 * 5. runs `wrangler dev` on 127.0.0.1:8787 (PORT overrides) and prints the URLs and the dev key.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_CONFIG } from "../src/config/default-config";
import { seedConfig, unusedKeys, useKeys } from "../src/config/seed";
import type { ConfigInput } from "../src/config/schema";
import { validateConfig } from "../src/config/validate";
import { newKeyRecord, newKeySecret } from "../src/access/gateway-key";
import { KV_CONFIG_KEY, KV_GATEWAY_KEY_ID_PREFIX, KV_GATEWAY_KEY_PREFIX } from "../src/storage/kv-keys";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const USE_KEYS = process.argv.includes("--use-keys");
const port = Number(process.env.PORT ?? 8787);
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? join(root, ".wrangler", "xdg"),
};
const wranglerBin = join(root, "node_modules", ".bin", "wrangler");

function wrangler(args: string[], quiet = true): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(wranglerBin, args, { cwd: root, env, encoding: "utf8" });
  if (!quiet || r.status !== 0) process.stderr.write(r.stderr);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

function devVars(): Map<string, string> {
  const file = join(root, ".dev.vars");
  if (!existsSync(file)) {
    const token = randomBytes(24).toString("hex");
    writeFileSync(
      file,
      [
        "# Local secrets for `npm start` (wrangler dev). Not committed.",
        `ADMIN_TOKEN=${token}`,
        "# Provider keys: models of a provider whose key is absent are served by the simulator.",
        "# OPENAI_API_KEY=sk-...",
        "# ANTHROPIC_API_KEY=sk-ant-...",
        "# GEMINI_API_KEY=...",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    console.log(`created .dev.vars with a new ADMIN_TOKEN`);
  }
  const vars = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*)\s*$/);
    if (m && m[1] && m[2]) vars.set(m[1], m[2].replace(/^"(.*)"$/, "$1"));
  }
  return vars;
}

/** TIERGATE_DEV_KEY: kept in .dev.vars beside ADMIN_TOKEN, stored in local KV as any gateway key is (hashed). */
function ensureDevKey(vars: Map<string, string>): string {
  let key = vars.get("TIERGATE_DEV_KEY");
  if (!key) {
    key = newKeySecret();
    appendFileSync(join(root, ".dev.vars"), `# The local development gateway key (clients send Authorization: Bearer <it>).\nTIERGATE_DEV_KEY=${key}\n`);
    vars.set("TIERGATE_DEV_KEY", key);
    console.log("added a new TIERGATE_DEV_KEY to .dev.vars");
  }
  const sha = createHash("sha256").update(key).digest("hex");
  const existing = wrangler(["kv", "key", "get", KV_GATEWAY_KEY_PREFIX + sha, "--binding", "CONFIG", "--local", "--text"]);
  if (!(existing.ok && existing.stdout.trim().startsWith("{"))) {
    const record = newKeyRecord({ name: "dev", team: "dev", models: ["*"] }, key, sha, Date.now(), "key_dev");
    const dir = mkdtempSync(join(tmpdir(), "tiergate-"));
    writeFileSync(join(dir, "key.json"), JSON.stringify(record));
    writeFileSync(join(dir, "id.txt"), sha);
    if (!wrangler(["kv", "key", "put", KV_GATEWAY_KEY_PREFIX + sha, "--path", join(dir, "key.json"), "--binding", "CONFIG", "--local"]).ok) process.exit(1);
    if (!wrangler(["kv", "key", "put", KV_GATEWAY_KEY_ID_PREFIX + record.id, "--path", join(dir, "id.txt"), "--binding", "CONFIG", "--local"]).ok) process.exit(1);
    console.log("stored the dev key in local KV (gateway key \"dev\", team \"dev\")");
  }
  return key;
}

/**
 * Provider keys added to .dev.vars after the first start are not in the stored config (its
 * models were seeded onto the simulator): say so and what to do, or switch them with --use-keys.
 */
function noticeUnusedKeys(storedText: string, vars: Map<string, string>): void {
  let stored: ConfigInput;
  try {
    stored = JSON.parse(storedText) as ConfigInput;
  } catch {
    return;
  }
  if (!stored.models || !stored.providers) return;
  const unused = unusedKeys(stored, DEFAULT_CONFIG, new Set(vars.keys()));
  if (unused.length === 0) return;
  const list = unused.map((u) => `${u.keySecret} (${u.provider}: ${u.models.join(", ")})`).join("; ");
  if (!USE_KEYS) {
    console.log(`.dev.vars has provider keys the local config does not use, so these models are still simulated: ${list}.
  To use them: npm start -- --use-keys  (switches those models to their providers in the local config),
  or PUT your own config to /admin/config, or rm -rf .wrangler/state to seed afresh.`);
    return;
  }
  const config = useKeys(stored, DEFAULT_CONFIG, unused);
  const check = validateConfig(config);
  if (!check.ok) {
    console.error(`--use-keys: the switched config would be invalid (${check.message}); left as it is`);
    return;
  }
  const file = join(mkdtempSync(join(tmpdir(), "tiergate-")), "config.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  if (!wrangler(["kv", "key", "put", KV_CONFIG_KEY, "--path", file, "--binding", "CONFIG", "--local"]).ok) process.exit(1);
  console.log(`--use-keys: now served by their providers: ${list}`);
}

function main() {
  const vars = devVars();

  console.log("applying D1 migrations to the local database…");
  if (!wrangler(["d1", "migrations", "apply", "LEDGER", "--local"]).ok) process.exit(1);

  const existing = wrangler(["kv", "key", "get", KV_CONFIG_KEY, "--binding", "CONFIG", "--local", "--text"]);
  const hasConfig = existing.ok && existing.stdout.trim().startsWith("{");
  if (hasConfig) {
    console.log(`local KV already has "${KV_CONFIG_KEY}"; leaving it as it is (PUT /admin/config to replace it)`);
    noticeUnusedKeys(existing.stdout, vars);
  } else {
    const { config } = seedConfig(DEFAULT_CONFIG, new Set(vars.keys()));
    const check = validateConfig(config);
    if (!check.ok) throw new Error(`default config is invalid: ${check.message}`);
    const file = join(mkdtempSync(join(tmpdir(), "tiergate-")), "config.json");
    writeFileSync(file, JSON.stringify(config, null, 2));
    if (!wrangler(["kv", "key", "put", KV_CONFIG_KEY, "--path", file, "--binding", "CONFIG", "--local"]).ok) process.exit(1);
    const simulated = Object.entries(config.models).filter(([, m]) => config.providers[m.provider]?.type === "simulator").map(([alias]) => alias);
    console.log(`seeded the default config into local KV; served by the simulator (no key in .dev.vars): ${simulated.join(", ") || "none"}`);
  }

  const devKey = ensureDevKey(vars);

  const base = `http://127.0.0.1:${port}`;
  console.log(`
tiergate is starting on ${base}
  chat:    POST ${base}/v1/chat/completions
  models:  GET  ${base}/v1/models
  health:  GET  ${base}/healthz
  admin:   GET  ${base}/admin/config/status   (Authorization: Bearer <ADMIN_TOKEN from .dev.vars>)

  dev key (TIERGATE_DEV_KEY in .dev.vars; every /v1 request needs a key):
    ${devKey}
  try:     export TIERGATE_DEV_KEY=$(grep ^TIERGATE_DEV_KEY= .dev.vars | cut -d= -f2)
`);
  const child = spawn(wranglerBin, ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"], { cwd: root, env, stdio: "inherit" });
  const stop = () => child.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => process.exit(code ?? 0));
}

main();
