import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest(({ inject }) => ({
          main: "./src/index.ts",
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: { bindings: { UPSTREAM: `http://127.0.0.1:${inject("upstreamPort")}` } },
        }))],
        test: { name: "workers", globalSetup: ["./test/support/global-setup.ts"], include: ["test/**/*.test.ts", "src/**/*.test.ts"], exclude: ["test/node/**"] },
      },
      { test: { name: "node", environment: "node", include: ["test/node/**/*.test.ts"] } },
    ],
  },
});
