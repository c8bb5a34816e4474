import { describe, expect, it } from "vitest";
import { baselineCostUsd, costUsd, countsFromUsage } from "./cost";

describe("costUsd", () => {
  it("prices input and output per million tokens", () => {
    const t = countsFromUsage({ prompt_tokens: 500, completion_tokens: 200, total_tokens: 700 });
    // gpt-4o at 2.50 / 10.00: 500 * 2.5e-6 + 200 * 1e-5 = 0.00325 (the article's $3,250 per 1M requests).
    expect(costUsd(t, { input: 2.5, output: 10 })).toBeCloseTo(0.00325, 12);
    expect(baselineCostUsd(t, { input: 2.5, output: 10 })).toBeCloseTo(0.00325, 12);
  });

  it("prices cache reads and writes at their own rates, defaulting to the input price", () => {
    const t = countsFromUsage({ prompt_tokens: 1000, completion_tokens: 0, total_tokens: 1000, prompt_tokens_details: { cached_tokens: 600, cache_creation_tokens: 100 } });
    expect(costUsd(t, { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 })).toBeCloseTo((300 * 3 + 600 * 0.3 + 100 * 3.75) / 1e6, 12);
    expect(costUsd(t, { input: 3, output: 15 })).toBeCloseTo((1000 * 3) / 1e6, 12);
  });
});
