/** Where ../shared lives: $TIERGATE_SHARED, else next to the repository. Node-only (tests, bench, scripts). */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function sharedDir(): string {
  return process.env.TIERGATE_SHARED ? resolve(process.env.TIERGATE_SHARED) : resolve(REPO_ROOT, "../shared");
}

export function sharedAvailable(sub = "wire"): boolean {
  return existsSync(resolve(sharedDir(), sub));
}
