import { SELF, env } from "cloudflare:test";
import { it, expect } from "vitest";
it("reaches node upstream", async () => {
  const r = await SELF.fetch("http://x/probe");
  expect(await r.text()).toBe("got:hi from node");
});
it("has kv and d1", async () => {
  await (env as any).CONFIG.put("a", "b");
  expect(await (env as any).CONFIG.get("a")).toBe("b");
  const row = await (env as any).LEDGER.prepare("select 1 as x").first();
  expect(row.x).toBe(1);
});
