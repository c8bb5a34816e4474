/** Starts the fake upstream for the Workers test project and finds a port where nothing listens. */
import { freePort } from "../../scripts/lib/free-port";
import type { TestProject } from "vitest/node";
import { listRecordings, startFakeUpstream, type RecordingEntry } from "../fake-upstream/server";
import { startFakeWebhook } from "../fake-upstream/webhook";
import { sharedAvailable, sharedDir } from "../../scripts/lib/shared-dir";


export default async function setup(project: TestProject) {
  const upstream = await startFakeUpstream();
  const webhook = await startFakeWebhook();
  const wire = sharedAvailable("wire");
  if (!wire) console.warn(`[tiergate tests] ${sharedDir()}/wire not found: suites that replay recorded provider responses are SKIPPED (set TIERGATE_SHARED to run them).`);
  project.provide("upstreamUrl", upstream.url);
  project.provide("refusedUrl", `http://127.0.0.1:${await freePort()}`);
  project.provide("wireAvailable", wire);
  project.provide("recordings", listRecordings());
  project.provide("webhookUrl", webhook.url);
  return async () => {
    await upstream.close();
    await webhook.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    upstreamUrl: string;
    refusedUrl: string;
    wireAvailable: boolean;
    recordings: RecordingEntry[];
    /** The fake budget-alert webhook (test/fake-upstream/webhook.ts). */
    webhookUrl: string;
  }
}
