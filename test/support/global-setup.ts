/** Starts the fake upstream for the Workers test project and finds a port where nothing listens. */
import { freePort } from "../../scripts/lib/free-port";
import type { TestProject } from "vitest/node";
import { listRecordings, startFakeUpstream, type RecordingEntry } from "../fake-upstream/server";
import { sharedAvailable, sharedDir } from "../../scripts/lib/shared-dir";


export default async function setup(project: TestProject) {
  const upstream = await startFakeUpstream();
  const wire = sharedAvailable("wire");
  if (!wire) console.warn(`[tiergate tests] ${sharedDir()}/wire not found: suites that replay recorded provider responses are SKIPPED (set TIERGATE_SHARED to run them).`);
  project.provide("upstreamUrl", upstream.url);
  project.provide("refusedUrl", `http://127.0.0.1:${await freePort()}`);
  project.provide("wireAvailable", wire);
  project.provide("recordings", listRecordings());
  return async () => upstream.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    upstreamUrl: string;
    refusedUrl: string;
    wireAvailable: boolean;
    recordings: RecordingEntry[];
  }
}
