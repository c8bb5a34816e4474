import { createServer } from "node:http";
import type { TestProject } from "vitest/node";
export default async function setup(project: TestProject) {
  const server = createServer((req, res) => { res.end("hi from node"); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  project.provide("upstreamPort", port);
  return async () => { server.close(); };
}
declare module "vitest" { export interface ProvidedContext { upstreamPort: number } }
