import { createApp } from "./http/app";
import type { Bindings } from "./env";
import { rememberSecrets } from "./core/secrets";
import { consumeLedgerBatch } from "./storage/ledger-queue";

export { ModelHealthObject } from "./storage/model-health-object";

const app = createApp();

export default {
  fetch: app.fetch,
  /** The ledger queue's consumer: writes delivered entries to D1 in batches. */
  queue: (batch: MessageBatch<unknown>, env: Bindings) => {
    rememberSecrets(env);
    return consumeLedgerBatch(batch, env.LEDGER);
  },
} satisfies ExportedHandler<Bindings>;
