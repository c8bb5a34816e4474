import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./src/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                TEST_UPSTREAM_URL: inject("upstreamUrl"),
                TEST_REFUSED_URL: inject("refusedUrl"),
                TEST_WIRE_AVAILABLE: inject("wireAvailable") ? "1" : "0",
                // The recordings in ../shared/wire (JSON list), so suites can make one test per file.
                TEST_RECORDINGS: JSON.stringify(inject("recordings")),
                // A provider key the tests check never leaks into responses or records.
                TEST_UPSTREAM_API_KEY: "sk-test-upstream-secret-0123456789",
                // The test key may go to the fake upstream only (src/config/provider-keys.ts).
                PROVIDER_KEY_HOSTS: JSON.stringify({ TEST_UPSTREAM_API_KEY: ["127.0.0.1"] }),
                ADMIN_TOKEN: "test-admin-token",
                DASHBOARD_TOKEN: "test-dashboard-token",
                // Re-read KV on every request so tests see their config writes at once.
                CONFIG_CACHE_TTL_SECONDS: "0",
                // The same for gateway keys: a revocation is seen by the next request.
                KEY_CACHE_TTL_SECONDS: "0",
                TOKEN_SIGNING_SECRET: "test-token-signing-secret",
                // Budget alerts go to the local fake webhook; the path stands for the secret part of a real one.
                BUDGET_ALERT_WEBHOOK_URL: `${inject("webhookUrl")}/hook/test-webhook-secret-path`,
                TEST_WEBHOOK_URL: inject("webhookUrl"),
                // Drift flags go to the same fake webhook, under their own path.
                DRIFT_WEBHOOK_URL: `${inject("webhookUrl")}/drift/test-drift-secret-path`,
              },
              // Deliver ledger batches at once: production waits up to 1 s to fill them, tests need not.
              queueConsumers: {
                "tiergate-ledger": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 10, deadLetterQueue: "tiergate-ledger-dlq" },
                "tiergate-ledger-dlq": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100 },
                "tiergate-alerts": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 3 },
                "tiergate-drift": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 3 },
              },
            },
          })),
        ],
        test: {
          name: "workers",
          globalSetup: ["./test/support/global-setup.ts"],
          setupFiles: ["./test/support/apply-migrations.ts"],
          // Everything that needs bindings (KV, D1, the Queue, the Durable Object, SELF) lives under test/.
          include: ["test/**/*.test.ts"],
          exclude: ["test/node/**"],
          testTimeout: 20_000,
        },
      },
      // Pure code's tests sit beside it in src/ and run in plain Node: no workerd, no bindings, fast.
      { test: { name: "unit", environment: "node", include: ["src/**/*.test.ts"], setupFiles: ["./test/support/unit-shims.ts"], testTimeout: 10_000 } },
      { test: { name: "node", environment: "node", include: ["test/node/**/*.test.ts"], testTimeout: 120_000 } },
    ],
  },
});
