/**
 * The counters of one spend scope (a key, a team or a model tier), kept by one Durable Object so
 * every concurrent request sees one truth: a per-minute window of requests and tokens, requests in
 * flight, and a budget per period. A request reserves its worst-case cost before it is sent and
 * settles to its real cost when it ends; it is admitted only while spent + reserved + its worst
 * case fits the limit, so spend can pass a limit only by what admitted requests cost beyond their
 * reservations (nothing, when their max_tokens held).
 */
export type Period = "day" | "month";

export interface BudgetRule {
  limitUsd: number;
  period: Period;
  /** Percentages of the limit; each is reported once per period when settled spend reaches it. */
  alerts: number[];
  /** false: count spend but do not refuse (a downgraded request on its way to a cheaper model). */
  enforce: boolean;
}

export interface AdmitRequest {
  id: string;
  now: number;
  rpm?: number | null;
  tpm?: number | null;
  tokens: number;
  concurrency?: number | null;
  budget?: BudgetRule | null;
  worstUsd: number;
}

export interface RateView {
  limitRequests: number | null;
  remainingRequests: number | null;
  limitTokens: number | null;
  remainingTokens: number | null;
  /** ms until the window resets. */
  resetMs: number;
}

export type AdmitResult =
  | { ok: true; rate: RateView }
  | { ok: false; reason: "rate_requests" | "rate_tokens" | "concurrency" | "budget"; message: string; retryAfterMs: number; rate: RateView };

export interface BudgetView {
  period: Period | null;
  periodStart: number;
  limitUsd: number | null;
  spentUsd: number;
  reservedUsd: number;
  inFlight: number;
  alertsFired: number[];
  state: "ok" | "alerting" | "exhausted";
}

export function periodStart(now: number, period: Period): number {
  const d = new Date(now);
  return period === "day" ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextPeriodStart(now: number, period: Period): number {
  const d = new Date(periodStart(now, period));
  return period === "day" ? d.getTime() + 86_400_000 : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

const MINUTE = 60_000;
/** A request that never settles (its isolate died) stops holding its reservation after this. */
const LEASE_MS = 10 * MINUTE;

export interface SpendSnapshot {
  period: Period | null;
  periodStart: number;
  spentUsd: number;
  fired: number[];
  limitUsd: number | null;
}

export class SpendLedger {
  private windowStart = 0;
  private windowRequests = 0;
  private windowTokens = 0;
  private readonly inflight = new Map<string, { usd: number; until: number; tokens: number; window: number }>();
  snapshot: SpendSnapshot = { period: null, periodStart: 0, spentUsd: 0, fired: [], limitUsd: null };

  private roll(now: number, budget: BudgetRule | null | undefined): void {
    if (now - this.windowStart >= MINUTE) {
      this.windowStart = now - (now % MINUTE);
      this.windowRequests = 0;
      this.windowTokens = 0;
    }
    for (const [id, r] of this.inflight) if (r.until <= now) this.inflight.delete(id);
    if (budget) {
      const start = periodStart(now, budget.period);
      if (this.snapshot.period !== budget.period || this.snapshot.periodStart !== start) this.snapshot = { period: budget.period, periodStart: start, spentUsd: 0, fired: [], limitUsd: budget.limitUsd };
      this.snapshot.limitUsd = budget.limitUsd;
    }
  }

  private reserved(): number {
    let sum = 0;
    for (const r of this.inflight.values()) sum += r.usd;
    return sum;
  }

  private rate(req: Pick<AdmitRequest, "rpm" | "tpm" | "now">): RateView {
    return {
      limitRequests: req.rpm ?? null, remainingRequests: req.rpm ? Math.max(0, req.rpm - this.windowRequests) : null,
      limitTokens: req.tpm ?? null, remainingTokens: req.tpm ? Math.max(0, req.tpm - this.windowTokens) : null,
      resetMs: this.windowStart + MINUTE - req.now,
    };
  }

  admit(req: AdmitRequest): AdmitResult {
    this.roll(req.now, req.budget);
    const untilWindow = this.windowStart + MINUTE - req.now;
    const no = (reason: Exclude<AdmitResult, { ok: true }>["reason"], message: string, retryAfterMs: number): AdmitResult => ({ ok: false, reason, message, retryAfterMs, rate: this.rate(req) });
    if (req.rpm && this.windowRequests + 1 > req.rpm) return no("rate_requests", `rate limit: ${req.rpm} requests per minute`, untilWindow);
    if (req.tpm && this.windowTokens + req.tokens > req.tpm) {
      return no("rate_tokens", req.tokens > req.tpm ? `this request asks for ${req.tokens} tokens, more than the ${req.tpm} tokens per minute allowed` : `rate limit: ${req.tpm} tokens per minute`, untilWindow);
    }
    if (req.concurrency && this.inflight.size + 1 > req.concurrency) return no("concurrency", `at most ${req.concurrency} requests in flight`, 1_000);
    const b = req.budget;
    if (b && b.enforce && this.snapshot.spentUsd + this.reserved() + req.worstUsd > b.limitUsd) {
      return no("budget", `budget exhausted: spent $${this.snapshot.spentUsd.toFixed(6)} + reserved $${this.reserved().toFixed(6)} of $${b.limitUsd} this ${b.period}; this request could cost up to $${req.worstUsd.toFixed(6)}`, nextPeriodStart(req.now, b.period) - req.now);
    }
    this.windowRequests++;
    this.windowTokens += req.tokens;
    this.inflight.set(req.id, { usd: b ? req.worstUsd : 0, until: req.now + LEASE_MS, tokens: req.tokens, window: this.windowStart });
    return { ok: true, rate: this.rate(req) };
  }

  /**
   * Undoes an admission another scope refused: the request was never sent, so it holds nothing
   * and counts in no rate window (a key's requests refused by its team's limit leave the key's own
   * window as it was).
   */
  release(id: string, now: number): void {
    const r = this.inflight.get(id);
    this.roll(now, null);
    if (!r) return;
    this.inflight.delete(id);
    if (r.window === this.windowStart) {
      this.windowRequests = Math.max(0, this.windowRequests - 1);
      this.windowTokens = Math.max(0, this.windowTokens - r.tokens);
    }
  }

  /** The request ended: release its reservation, count what it cost; returns thresholds newly reached. */
  settle(id: string, actualUsd: number, now: number, budget: BudgetRule | null | undefined): number[] {
    this.roll(now, budget);
    this.inflight.delete(id);
    if (!budget) return [];
    this.snapshot.spentUsd += actualUsd;
    const pct = (this.snapshot.spentUsd / budget.limitUsd) * 100;
    const fired = budget.alerts.filter((t) => pct >= t && !this.snapshot.fired.includes(t));
    this.snapshot.fired.push(...fired);
    return fired;
  }

  view(now: number, budget: BudgetRule | null | undefined): BudgetView {
    this.roll(now, budget);
    const reservedUsd = this.reserved();
    const limit = budget?.limitUsd ?? this.snapshot.limitUsd;
    const spent = this.snapshot.spentUsd;
    return {
      period: this.snapshot.period, periodStart: this.snapshot.periodStart, limitUsd: limit, spentUsd: spent, reservedUsd, inFlight: this.inflight.size,
      alertsFired: [...this.snapshot.fired],
      state: limit !== null && spent >= limit ? "exhausted" : this.snapshot.fired.length > 0 ? "alerting" : "ok",
    };
  }
}
