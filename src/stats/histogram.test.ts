import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addValue, bucketOf, HISTOGRAM_RELATIVE_ERROR, mergeInto, percentile, type Histogram } from "./histogram";

const exact = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * values.length)) - 1]!;

describe("the latency histogram", () => {
  it("reports every percentile within its stated error of the exact nearest-rank value", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (values, p) => {
        const h: Histogram = {};
        for (const v of values) addValue(h, v);
        const want = exact(values, p);
        expect(Math.abs(percentile(h, p)! - want)).toBeLessThanOrEqual(want * HISTOGRAM_RELATIVE_ERROR + 0.05);
      }),
    );
  });

  it("states an error under 5%, and buckets so that merged histograms equal one over all values", () => {
    expect(HISTOGRAM_RELATIVE_ERROR).toBeLessThan(0.05);
    const a: Histogram = {};
    const b: Histogram = {};
    const all: Histogram = {};
    [3, 70, 900].forEach((v) => (addValue(a, v), addValue(all, v)));
    [0, 70, 12_000].forEach((v) => (addValue(b, v), addValue(all, v)));
    expect(mergeInto({ ...a }, b)).toEqual(all);
    expect(percentile(all, 0.5)).toBeCloseTo(70, -1);
    expect(percentile({}, 0.5)).toBeNull();
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.5)).toBe(0);
    expect(bucketOf(1)).toBe(1);
  });
});
