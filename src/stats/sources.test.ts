import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "./cell";
import { planSources, type SourcePlan, type TimeRange } from "./sources";

const D0 = Date.UTC(2025, 4, 1);
const covered = (p: SourcePlan): TimeRange[] => [...p.day, ...p.hour, ...p.raw].sort((x, y) => x.from - y.from);

/** The ranges tile the window exactly: no gap, no overlap. */
function expectTiles(p: SourcePlan, w: TimeRange): void {
  const parts = covered(p);
  expect(parts[0]?.from).toBe(w.from);
  expect(parts.at(-1)?.to).toBe(w.to);
  for (let i = 1; i < parts.length; i++) expect(parts[i]!.from).toBe(parts[i - 1]!.to);
}

describe("the source plan of a stats window", () => {
  it("reads everything raw before any rollup exists", () => {
    const w = { from: D0, to: D0 + 3 * DAY_MS };
    expect(planSources(w, { hour: null, day: null }, true)).toEqual({ day: [], hour: [], raw: [w] });
  });

  it("reads whole closed days from daily rollups, the hours around them hourly, the open tail raw", () => {
    const w = { from: D0 + 5 * HOUR_MS + 7, to: D0 + 4 * DAY_MS + 30 * 60_000 };
    const marks = { hour: D0 + 3 * DAY_MS + 2 * HOUR_MS, day: D0 + 3 * DAY_MS };
    const p = planSources(w, marks, true);
    expect(p).toEqual({
      day: [{ from: D0 + DAY_MS, to: D0 + 3 * DAY_MS }],
      hour: [{ from: D0 + 6 * HOUR_MS, to: D0 + DAY_MS }, { from: D0 + 3 * DAY_MS, to: marks.hour }],
      raw: [{ from: w.from, to: D0 + 6 * HOUR_MS }, { from: marks.hour, to: w.to }],
    });
    expectTiles(p, w);
    // By the hour: no daily rollup.
    const hourly = planSources(w, marks, false);
    expect(hourly.day).toEqual([]);
    expectTiles(hourly, w);
  });

  it("tiles any window under any watermarks", () => {
    for (let i = 0; i < 500; i++) {
      const from = D0 + Math.floor(Math.random() * 10 * DAY_MS);
      const w = { from, to: from + 1 + Math.floor(Math.random() * 10 * DAY_MS) };
      const hour = D0 + Math.floor(Math.random() * 24 * 12) * HOUR_MS;
      const day = Math.min(hour, D0 + Math.floor(Math.random() * 12) * DAY_MS);
      const p = planSources(w, { hour, day }, Math.random() < 0.5);
      expectTiles(p, w);
      for (const r of p.day) expect(r.to).toBeLessThanOrEqual(day);
      for (const r of [...p.day, ...p.hour]) expect(r.to).toBeLessThanOrEqual(hour);
    }
  });
});
