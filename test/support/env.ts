/** The test-only bindings set in vitest.config.ts, on top of the Worker's own. */
import type { D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";

export interface TestEnv extends Env {
  TEST_MIGRATIONS: D1Migration[];
  TEST_UPSTREAM_URL: string;
  TEST_REFUSED_URL: string;
  TEST_WIRE_AVAILABLE: string;
  TEST_RECORDINGS: string;
  TEST_UPSTREAM_API_KEY: string;
  /** The fake budget-alert webhook's base URL (its control endpoints). */
  TEST_WEBHOOK_URL: string;
  ADMIN_TOKEN: string;
}

export function testEnv(): TestEnv {
  return env as unknown as TestEnv;
}
