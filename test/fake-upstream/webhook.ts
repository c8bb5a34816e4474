/**
 * A local fake webhook for budget alerts (127.0.0.1 only): records every POST it gets with the
 * status it answered. Control: POST /__fail?scope=<scope>&times=<n> makes the next n deliveries
 * for that scope answer 500; GET /__deliveries?scope=<scope> lists what arrived for it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  path: string;
  body: Record<string, unknown>;
  status: number;
  at: number;
}

export async function startFakeWebhook(): Promise<{ url: string; close: () => Promise<void> }> {
  const deliveries: Delivery[] = [];
  const failures = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method === "POST" && url.pathname === "/__fail") {
        failures.set(url.searchParams.get("scope") ?? "", Number(url.searchParams.get("times") ?? 1));
        return answer(200, { ok: true });
      }
      if (req.method === "GET" && url.pathname === "/__deliveries") {
        const scope = url.searchParams.get("scope");
        return answer(200, deliveries.filter((d) => scope === null || d.body.scope === scope));
      }
      if (req.method !== "POST") return answer(405, { error: "POST only" });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return answer(400, { error: "not JSON" });
      }
      const scope = String(body.scope ?? "");
      const left = failures.get(scope) ?? 0;
      const status = left > 0 ? 500 : 200;
      if (left > 0) failures.set(scope, left - 1);
      deliveries.push({ path: url.pathname, body, status, at: Date.now() });
      return answer(status, { received: status === 200 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
