import { describe, expect, it } from "vitest";
import { BoundedCache } from "./bounded-cache";

describe("BoundedCache", () => {
  it("keeps the charged bytes under its bound, evicting the least recently used", () => {
    const c = new BoundedCache<number>({ maxBytes: 1_000, maxEntryBytes: 500 });
    for (let i = 0; i < 100; i++) {
      c.set(`k${i}`, i, 100);
      expect(c.bytes).toBeLessThanOrEqual(1_000);
    }
    expect(c.get("k0")).toBeUndefined();
    expect(c.get("k99")).toBe(99);
    // Nine entries fit (100 bytes + the key each); touch k95 so it outlives k96 when five more arrive.
    expect(c.size).toBe(9);
    c.get("k95");
    for (let i = 0; i < 5; i++) c.set(`new${i}`, i, 100);
    expect(c.get("k95")).toBe(95);
    expect(c.get("k96")).toBeUndefined();
  });

  it("never keeps an entry larger than maxEntryBytes, and replaces an entry's charge on set", () => {
    const c = new BoundedCache<string>({ maxBytes: 10_000, maxEntryBytes: 1_000 });
    c.set("big", "x", 5_000);
    expect(c.size).toBe(0);
    c.set("a", "1", 100);
    c.set("a", "2", 200);
    expect(c.bytes).toBe(202);
    expect(c.get("a")).toBe("2");
  });
});
