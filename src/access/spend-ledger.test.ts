import { describe, expect, it } from "vitest";
import { SpendLedger } from "./spend-ledger";

const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);
const req = (id: string, now: number, tokens = 10) => ({ id, now, rpm: 3, tpm: 100, tokens, worstUsd: 0 });

describe("SpendLedger.release", () => {
  it("gives back a refused request's place in the window and in flight", () => {
    const l = new SpendLedger();
    expect(l.admit(req("a", T0)).ok).toBe(true);
    expect(l.admit(req("b", T0 + 1, 30)).ok).toBe(true);
    l.release("b", T0 + 2);
    const next = l.admit(req("c", T0 + 3));
    expect(next.ok && next.rate).toMatchObject({ remainingRequests: 1, remainingTokens: 80 });
    expect(l.view(T0 + 3, null).inFlight).toBe(2);
  });

  it("does not touch the next window's counts, nor anything for an unknown id", () => {
    const l = new SpendLedger();
    expect(l.admit(req("a", T0 + 59_000)).ok).toBe(true);
    expect(l.admit(req("b", T0 + 60_500)).ok).toBe(true);
    l.release("a", T0 + 60_600);
    l.release("nope", T0 + 60_700);
    const next = l.admit(req("c", T0 + 60_800));
    expect(next.ok && next.rate).toMatchObject({ remainingRequests: 1, remainingTokens: 80 });
  });
});

describe("SpendLedger alert thresholds", () => {
  const budget = { limitUsd: 1, period: "day" as const, alerts: [50, 80], enforce: true };
  const spend = (l: SpendLedger, id: string, now: number, usd: number) => {
    expect(l.admit({ id, now, tokens: 1, budget, worstUsd: usd }).ok).toBe(true);
    return l.settle(id, usd, now, budget);
  };

  it("each fires once per period, and again in the next period", () => {
    const l = new SpendLedger();
    expect(spend(l, "a", T0, 0.4)).toEqual([]);
    expect(spend(l, "b", T0 + 1, 0.2)).toEqual([50]);
    expect(spend(l, "c", T0 + 2, 0.05)).toEqual([]);
    expect(spend(l, "d", T0 + 3, 0.2)).toEqual([80]);
    expect(spend(l, "e", T0 + 4, 0.01)).toEqual([]);
    const tomorrow = T0 + 86_400_000;
    expect(spend(l, "f", tomorrow, 0.9)).toEqual([50, 80]);
    expect(l.view(tomorrow, budget).spentUsd).toBeCloseTo(0.9, 12);
  });
});
