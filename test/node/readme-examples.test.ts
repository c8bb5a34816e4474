/**
 * The README's examples run as written. Every code block is classified: `sh` blocks with curl
 * against the local gateway run in bash (a `.dev.vars` and `my-config.json` beside them, as after
 * `npm start`); `js`/`ts` blocks run with tsx; `json` blocks parse and validate (the complete
 * config example must BE the default document); the rest (installing, starting, deploying, the
 * folder tree) are listed below as not run. The gateway is the real bundle on Miniflare, holding
 * the config `npm start` seeds without provider keys (every model simulated).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, buildBundle, REPO, startMiniflareGateway, type MiniflareGateway } from "../../bench/lib/gateway-miniflare";
import { DEFAULT_CONFIG } from "../../src/config/default-config";
import { RouteSchema } from "../../src/config/schema";
import { seedConfig } from "../../src/config/seed";
import { validateConfig } from "../../src/config/validate";

const run = promisify(execFile);

export interface Block {
  lang: string;
  code: string;
  line: number;
}

export function readmeBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]?.match(/^```(\w*)\s*$/);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]?.startsWith("```"); i++) body.push(lines[i] as string);
    blocks.push({ lang: open[1] ?? "", code: body.join("\n"), line: start + 1 });
  }
  return blocks;
}

const README = readFileSync(join(REPO, "README.md"), "utf8");
const BLOCKS = readmeBlocks(README);

/** Blocks a test cannot run here, by a phrase they contain, and why. */
const NOT_RUN: Array<[RegExp, string]> = [
  [/^npm ci\nnpm start/m, "installs and starts the gateway (what this suite does itself)"],
  [/wrangler (kv|d1|deploy|secret)|npx wrangler/, "talks to a Cloudflare account"],
  [/^src\/\s*$/m, "the folder tree"],
  [/npm run (-s )?(simulate|train:router|eval:router|classify|bench)/, "CLI commands, covered by test/node/*-cli tests"],
  [/sqlite3|\.wrangler\/state/, "reads the local D1 file of npm start"],
  [/"keyId": "key_…"/, "mints a token for a key id the reader fills in (client tokens are tested in test/gateway/client-tokens.test.ts)"],
  [/\/my-backend\/tiergate-token/, "browser code that asks the app's own backend for a token (test/gateway/client-tokens.test.ts covers the gateway side)"],
];

const runnable = (b: Block) => (b.lang === "sh" && /curl /.test(b.code)) || b.lang === "js" || b.lang === "ts";
const skipReason = (b: Block) => NOT_RUN.find(([re]) => re.test(b.code))?.[1];

const DEV_KEY = "tg_dev_readme_examples_key_0123456789";
let gateway: MiniflareGateway;
let dir: string;

/** The README's addresses (local dev, a deployed worker) point at the gateway under test. */
const localise = (code: string) => code.replaceAll("http://127.0.0.1:8787", gateway.origin).replaceAll("https://tiergate.example.workers.dev", gateway.origin).replaceAll("https://<your-worker>", gateway.origin);

describe("README code blocks", () => {
  it("are each run, validated, or listed as not run with a reason", () => {
    const unclassified = BLOCKS.filter((b) => !runnable(b) && b.lang !== "json" && !skipReason(b));
    expect(unclassified.map((b) => `line ${b.line}: ${b.code.split("\n")[0]}`)).toEqual([]);
  });

  it("the complete config example is the default document, and every json block is valid", () => {
    const docs = BLOCKS.filter((b) => b.lang === "json");
    expect(docs.length).toBeGreaterThan(3);
    const complete = BLOCKS[BLOCKS.findIndex((b) => b.lang === "json" && b.code.includes('"routes"') && b.code.includes('"providers"') && b.code.trim().startsWith("{"))];
    expect(complete, "the complete example").toBeDefined();
    expect(JSON.parse(complete?.code ?? "null")).toEqual(JSON.parse(JSON.stringify(DEFAULT_CONFIG)));
    for (const b of docs) {
      const text = b.code.trim();
      const value = JSON.parse(text.startsWith('"') ? `{${text.replace(/,\s*$/, "")}}` : text) as Record<string, unknown>;
      if ("routes" in value && "models" in value) expect(validateConfig(value).ok, `line ${b.line}`).toBe(true);
      else if ("name" in value && ("model" in value || "steps" in value || "classifier" in value)) expect(RouteSchema.safeParse(value).success, `line ${b.line}`).toBe(true);
      else if ("providers" in value || "models" in value) {
        const merged = { ...DEFAULT_CONFIG, providers: { ...DEFAULT_CONFIG.providers, ...(value.providers as object) }, models: { ...DEFAULT_CONFIG.models, ...(value.models as object) } };
        expect(validateConfig(merged).ok, `line ${b.line}`).toBe(true);
      } else if ("budgets" in value || "teams" in value) expect(validateConfig({ ...DEFAULT_CONFIG, ...value }).ok, `line ${b.line}`).toBe(true);
    }
  });
});

describe("README examples against a running gateway", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tiergate-readme-"));
    // Inside the repo: workerd refuses bundle paths that climb out of its starting directory.
    const work = join(REPO, "node_modules/.cache/readme-examples");
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const script = buildBundle(join(work, "dist"));
    gateway = await startMiniflareGateway({ scriptPath: script, stateDir: join(work, "state"), configCacheTtlSeconds: 0, d1: "memory", logFile: join(dir, "worker.log") });
    const { config } = seedConfig(DEFAULT_CONFIG, new Set());
    config.access = { requireKey: true, keys: [{ name: "dev", keySha256: createHash("sha256").update(DEV_KEY).digest("hex") }] };
    // Fast simulator: the examples' answers, not their pacing, are under test.
    config.providers.sim = { type: "simulator", latencyMs: 0, tokensPerSecond: 100_000 };
    await gateway.kv.put("config", JSON.stringify(config));
    writeFileSync(join(dir, ".dev.vars"), `ADMIN_TOKEN=${ADMIN_TOKEN}\nTIERGATE_DEV_KEY=${DEV_KEY}\n`);
    writeFileSync(join(dir, "my-config.json"), JSON.stringify(config));
  }, 120_000);

  afterAll(async () => {
    await gateway?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ ...process.env, TIERGATE_DEV_KEY: DEV_KEY, TIERGATE_KEY: DEV_KEY, ADMIN_TOKEN });

  it("the first curl without its key is refused with 401 invalid_api_key (authentication is on by default)", async () => {
    const first = BLOCKS.find((b) => b.lang === "sh" && /curl /.test(b.code) && b.code.includes("TIERGATE_DEV_KEY"));
    expect(first, "a curl block with the dev key").toBeDefined();
    const keyless = (first?.code ?? "").split("\n").filter((l) => !/authorization: Bearer \$TIERGATE_DEV_KEY/.test(l)).join("\n");
    expect(keyless).not.toContain("authorization");
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", localise(keyless).replace(/curl -s /, "curl -s -w '\\n%{http_code}' ")], { cwd: dir, env: env(), timeout: 30_000 });
    expect(stdout.trim().split("\n").at(-1)).toBe("401");
    expect(stdout).toContain("invalid_api_key");
  }, 60_000);

  for (const b of BLOCKS.filter((x) => runnable(x) && !skipReason(x))) {
    it(`line ${b.line} (${b.lang}) runs as written`, async () => {
      if (b.lang === "sh") {
        const { stdout } = await run("bash", ["-euo", "pipefail", "-c", localise(b.code)], { cwd: dir, env: env(), timeout: 30_000 });
        // Each curl prints a JSON answer (or an SSE stream): none of them an error.
        expect(stdout.trim().length).toBeGreaterThan(0);
        expect(stdout).not.toMatch(/"error"\s*:\s*\{/);
        return;
      }
      const file = join(REPO, "node_modules/.cache/readme-examples", `line-${b.line}.mts`);
      writeFileSync(file, localise(b.code));
      const { stdout, stderr } = await run(process.execPath, [join(REPO, "node_modules/tsx/dist/cli.mjs"), file], { cwd: REPO, env: env(), timeout: 60_000 });
      expect(stderr).not.toMatch(/Error/);
      expect(stdout.length + stderr.length).toBeGreaterThanOrEqual(0);
    }, 90_000);
  }
});
