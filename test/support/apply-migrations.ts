import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { newKeyRecord } from "../../src/access/gateway-key";
import { sha256Hex } from "../../src/core/hash";
import { writeKey } from "../../src/storage/gateway-keys";
import { testEnv } from "./env";
import { TEST_CLIENT, TEST_CLIENT_KEY } from "./gateway";

await applyD1Migrations(env.LEDGER, testEnv().TEST_MIGRATIONS);
// The gateway key the helpers in gateway.ts send (authentication is on by default).
await writeKey(testEnv().CONFIG, newKeyRecord({ ...TEST_CLIENT, models: ["*"] }, TEST_CLIENT_KEY, await sha256Hex(TEST_CLIENT_KEY), Date.now(), "key_testclient"));
