import { describe, expect, it } from "vitest";
import { mergeCounts, routingConfusion, routingKey } from "./routing-accuracy";

describe("the routing confusion table", () => {
  it("counts outcomes per chosen tier, labels per chosen and labelled tier, and judges labelled requests by their label", () => {
    const counts = mergeCounts({}, {
      [routingKey(1, "good", null, null)]: 3, // tier 1, passed its check: agreed
      [routingKey(1, "bad", null, null)]: 1, // tier 1, escalated: disagreed
      [routingKey(1, "good", 2, 0)]: 1, // passed, but a reviewer says tier 2 was needed: the label wins (disagreed)
      [routingKey(3, null, 1, 1)]: 2, // tier 3 chosen, reviewer says tier 1 would do: disagreed
      [routingKey(2, null, 2, 0)]: 1, // tier 2 chosen and labelled 2: agreed
      [routingKey(2, "good", null, null)]: 4, // tier 2 answers that worked: not judged (nothing says tier 1 would not)
    });
    const c = routingConfusion(counts);
    expect(c.outcome).toEqual({ "1": { good: 4, bad: 1, unknown: 0 }, "2": { good: 4, bad: 0, unknown: 1 }, "3": { good: 0, bad: 0, unknown: 2 } });
    expect(c.review["1"]).toEqual({ labelled: { "1": 0, "2": 1, "3": 0 }, goodEnough: 0, notGoodEnough: 1 });
    expect(c.review["3"]).toEqual({ labelled: { "1": 2, "2": 0, "3": 0 }, goodEnough: 2, notGoodEnough: 0 });
    expect(c.review["2"]).toEqual({ labelled: { "1": 0, "2": 1, "3": 0 }, goodEnough: 0, notGoodEnough: 1 });
    expect([c.reviewed, c.reviewAgreed, c.reviewRate]).toEqual([4, 1, 0.25]);
    // judged: 4 labelled + 4 unlabelled tier-1 with an outcome; agreed: 1 by label + 3 by outcome.
    expect(c.combined).toEqual({ judged: 8, agreed: 4, rate: 0.5 });
  });

  it("is empty without classified requests", () => {
    expect(routingConfusion({}).combined).toEqual({ judged: 0, agreed: 0, rate: null });
  });
});
