/**
 * The peer: Portkey's open-source gateway (@portkey-ai/gateway, pinned in bench/peer), installed
 * outside tiergate's dependency tree on first use and run as its own Node process on 127.0.0.1.
 * It reaches the same fake upstream through its OpenAI provider with a custom host.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./gateway-miniflare";
import { freePort, startChild, type Child } from "./procs";

const PEER_DIR = join(REPO, "bench/peer");
const ENTRY = join(PEER_DIR, "node_modules/@portkey-ai/gateway/build/start-server.js");

export interface Peer {
  name: string;
  version: string;
  origin: string;
  child: Child;
  /** Headers that make it call our upstream. */
  headers(upstreamOrigin: string): Record<string, string>;
}

export function installPeer(log: (m: string) => void): void {
  if (existsSync(ENTRY)) return;
  log("installing the peer gateway: npm ci --prefix bench/peer");
  execFileSync("npm", ["ci", "--prefix", PEER_DIR, "--no-audit", "--no-fund", "--loglevel=error"], { stdio: ["ignore", "ignore", "pipe"], timeout: 300_000 });
}

export async function startPeer(logFile: string, log: (m: string) => void): Promise<Peer> {
  installPeer(log);
  const version = (JSON.parse(execFileSync(process.execPath, ["-p", "JSON.stringify(require('./node_modules/@portkey-ai/gateway/package.json'))"], { cwd: PEER_DIR }).toString()) as { version: string }).version;
  const port = await freePort();
  const { child } = await startChild("portkey", process.execPath, ["--import", join(PEER_DIR, "listen-loopback.mjs"), ENTRY, `--port=${port}`, "--headless"], {
    cwd: PEER_DIR, ready: /Ready for connections/i, readyTimeoutMs: 60_000, logFile,
  });
  return {
    name: "Portkey gateway",
    version,
    origin: `http://127.0.0.1:${port}`,
    child,
    headers: (up) => ({ "x-portkey-provider": "openai", "x-portkey-custom-host": `${up}/v1`, authorization: "Bearer sk-bench-not-a-real-key" }),
  };
}
