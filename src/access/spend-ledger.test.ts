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
