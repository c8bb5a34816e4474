import { describe, expect, it } from "vitest";
import { routeDrift } from "./drift";
import type { Figures } from "./figures";

const fig = (o: { requests: number; cost: number; esc: number; fb: number; err: number; success: number | null }) =>
  ({ requests: o.requests, costUsd: o.cost, quality: { escalationRate: o.esc }, fallbackRate: o.fb, errorRate: o.err, feedback: { successRate: o.success } }) as unknown as Figures;

describe("route drift", () => {
  it("flags the metrics that rose past their thresholds and only those", () => {
    const before = fig({ requests: 100, cost: 1, esc: 0.1, fb: 0.02, err: 0.01, success: 0.9 });
    const after = fig({ requests: 100, cost: 1.3, esc: 0.2, fb: 0.06, err: 0.01, success: 0.85 });
    const d = routeDrift("r", before, after);
    expect(d.flagged).toEqual(["escalationRate", "costPerRequest"]);
    expect(d.metrics.escalationRate).toEqual({ previous: 0.1, current: 0.2, change: 0.1, flagged: true });
    expect(d.metrics.costPerRequest).toEqual({ previous: 0.01, current: 0.013, change: 0.3, flagged: true });
    expect(d.metrics.fallbackRate.flagged).toBe(false);
    expect(d.metrics.negativeFeedbackRate).toEqual({ previous: 0.1, current: 0.15, change: 0.05, flagged: false });
  });

  it("flags nothing without traffic in both weeks", () => {
    const d = routeDrift("r", undefined, fig({ requests: 10, cost: 1, esc: 1, fb: 1, err: 1, success: 0 }));
    expect(d.flagged).toEqual([]);
    expect(d.metrics.errorRate.change).toBeNull();
  });
});
