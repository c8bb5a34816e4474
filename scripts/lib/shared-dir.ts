/**
 * Where the shared (never committed) data lives: $TIERGATE_SHARED if set, else <repo root>/../shared.
 * Scripts and tests that need the routing data call routingDataDir() and skip plainly when it is null.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function sharedDir(): string {
  const fromEnv = process.env.TIERGATE_SHARED;
  return fromEnv !== undefined && fromEnv !== "" ? resolve(fromEnv) : resolve(REPO_ROOT, "..", "shared");
}

/** Whether a part of the shared folder (e.g. "wire") is there. */
export function sharedAvailable(sub: string): boolean {
  return existsSync(resolve(sharedDir(), sub));
}

const REQUIRED_FILES = [
  "mmlu-pro/questions.jsonl",
  "mmlu-pro/correctness.csv",
  "mmlu-pro/output_chars.csv",
  "llmrouter/train.json",
  "llmrouter/test.json",
  "llmrouter/default_llm.json",
];

/** The routing data directory, or null when any required file is missing (see missingRoutingData()). */
export function routingDataDir(): string | null {
  return missingRoutingData() === null ? resolve(sharedDir(), "data", "routing") : null;
}

/** A plain sentence saying why the routing data cannot be used, or null when it is all there. */
export function missingRoutingData(): string | null {
  const dir = resolve(sharedDir(), "data", "routing");
  const missing = REQUIRED_FILES.filter((f) => !existsSync(resolve(dir, f)));
  if (missing.length === 0) return null;
  return `routing data not found: ${dir} lacks ${missing.join(", ")} (set TIERGATE_SHARED to the shared/ directory)`;
}
