import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../fake-upstream/server";

let up: FakeUpstream;
beforeAll(async () => {
  up = await startFakeUpstream();
});
afterAll(() => up.close());

async function call(model: string, stream = false): Promise<{ status: number; text: string } | { error: string }> {
  try {
    const res = await fetch(`${up.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] }) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { error: String(e) };
  }
}

async function statuses(model: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await call(model);
    out.push("status" in r ? r.status : 0);
  }
  return out;
}

describe("intermittent faults of the fake upstream", () => {
  it("fails a seeded share of calls, the same calls again after a reset", async () => {
    const first = await statuses("flaky:503:rate=0.25:seed=3", 200);
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(25);
    expect(failures).toBeLessThan(75);
    expect(first.filter((s) => s !== 503).every((s) => s === 200)).toBe(true);
    await fetch(`${up.url}/__reset`, { method: "POST" });
    expect(await statuses("flaky:503:rate=0.25:seed=3", 200)).toEqual(first);
  });

  it("hangs up, cuts streams and answers normally outside the fault", async () => {
    expect(await call("flaky:hangup:rate=1")).toHaveProperty("error");
    const cut = await call("flaky:cut:rate=1:chunks=1", true);
    expect("error" in cut || ("text" in cut && !cut.text.includes("[DONE]"))).toBe(true);
    const fine = await call("flaky:503:rate=0", true);
    expect(fine).toMatchObject({ status: 200 });
    expect("text" in fine && fine.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("fails only inside the outage window, counted from the first call", async () => {
    const model = "outage:503:after=0:for=300";
    expect(await statuses(model, 1)).toEqual([503]);
    await new Promise((r) => setTimeout(r, 400));
    expect(await statuses(model, 1)).toEqual([200]);
  });
});
