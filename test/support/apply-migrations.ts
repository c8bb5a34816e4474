import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { testEnv } from "./env";

await applyD1Migrations(env.LEDGER, testEnv().TEST_MIGRATIONS);
