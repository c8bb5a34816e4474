/**
 * tiergate under `wrangler dev --local`: the developer's loop, with wrangler's dev proxy and
 * request logging in front of workerd. Reported as a dev-mode figure only.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ADMIN_TOKEN, REPO } from "./gateway-miniflare";
import { freePort, startChild, type Child } from "./procs";

const WRANGLER = join(REPO, "node_modules/wrangler/bin/wrangler.js");

export interface WranglerGateway {
  origin: string;
  child: Child;
}

export async function startWranglerDev(stateDir: string, logFile: string): Promise<WranglerGateway> {
  execFileSync(process.execPath, [WRANGLER, "d1", "migrations", "apply", "LEDGER", "--local", "--persist-to", stateDir], {
    cwd: REPO, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CI: "true" }, timeout: 120_000,
  });
  const [port, inspector] = [await freePort(), await freePort()];
  const { child } = await startChild(
    "wrangler dev",
    process.execPath,
    [
      WRANGLER, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-ip", "127.0.0.1", "--inspector-port", String(inspector),
      "--persist-to", stateDir, "--show-interactive-dev-session=false", "--var", `ADMIN_TOKEN:${ADMIN_TOKEN}`,
    ],
    { cwd: REPO, ready: /Ready on http:\/\/127\.0\.0\.1:\d+/, readyTimeoutMs: 90_000, logFile },
  );
  return { origin: `http://127.0.0.1:${port}`, child };
}
