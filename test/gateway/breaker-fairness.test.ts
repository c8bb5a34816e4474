/**
 * The shared breaker counts only failures that say something about the model: a client's own
 * oversized requests timing out do not open the circuit for everyone; the same number of
 * ordinary requests timing out does (the control, so this test can fail).
 */
import { describe, expect, it } from "vitest";
import { baseConfig, chat, fake, putConfig, uniq } from "../support/gateway";

const breaker = { failures: 2, windowMs: 60_000, cooldownMs: 30_000 };
const defaults = { timeoutMs: 2_000, maxRetryAfterMs: 1_000, maxBodyBytes: 1_048_576, breaker };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alias = () => `slow-${crypto.randomUUID().slice(0, 8)}`;

async function primaryTried(model: string, content: string): Promise<boolean> {
  const res = await chat({ model, messages: [{ role: "user", content }] });
  expect(res.status).toBe(200);
  await res.text();
  return (res.headers.get("x-tiergate-attempt-chain") ?? "").startsWith(`${model}:`);
}

describe("the breaker and a client's oversized requests", () => {
  it("four oversized requests that time out leave the circuit closed", async () => {
    const m = alias();
    await putConfig(baseConfig({ [m]: fake(`slow:1000:${uniq()}`, undefined, { timeoutMs: 150, fallbacks: ["echo"] }) }, undefined, { defaults }));
    const oversized = "word ".repeat(30_000);
    for (let i = 0; i < 4; i++) expect(await primaryTried(m, oversized)).toBe(true);
    await sleep(300);
    expect(await primaryTried(m, "small")).toBe(true);
  });

  it("control: four ordinary requests that time out open it", async () => {
    const m = alias();
    await putConfig(baseConfig({ [m]: fake(`slow:1000:${uniq()}`, undefined, { timeoutMs: 150, fallbacks: ["echo"] }) }, undefined, { defaults }));
    for (let i = 0; i < 4; i++) await primaryTried(m, "small");
    await sleep(300);
    let skipped = false;
    for (let i = 0; i < 5 && !skipped; i++) {
      skipped = !(await primaryTried(m, "small"));
      if (!skipped) await sleep(300);
    }
    expect(skipped).toBe(true);
  });
});
