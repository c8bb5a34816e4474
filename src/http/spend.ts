/**
 * Rate limits, concurrency and budgets on the request path. Before a request is sent it is
 * admitted by the Durable Object of each scope it belongs to (its key, its team — rate limits from
 * the config's `teams` and its budget —, its model tier's budget), reserving its worst case: the prompt's estimated tokens at the input price
 * plus max_tokens × n at the output price of the dearest model its plan may call. When it ends it
 * settles to its real cost (every attempt), and thresholds newly reached become alerts.
 */
import type { Context } from "hono";
import type { Client } from "../access/policy";
import type { AdmitResult, BudgetRule, RateView } from "../access/spend-ledger";
import { requestedMaxTokens, type ChatRequest } from "../core/chat-request";
import { GatewayError } from "../core/errors";
import type { Config } from "../config/schema";
import type { AppEnv } from "../env";
import { billedPrice } from "../pricing/billed-price";
import type { BilledPrice } from "../pricing/cost";
import type { Plan } from "../routing/plan";
import { recordAlert, type BudgetAlert } from "../storage/budget-alerts";

/** The output ceiling assumed for a request that names none (give keys a maxTokens to make it exact). */
export const ASSUMED_MAX_TOKENS = 4_096;

export interface Scope {
  name: string;
  rpm: number | null;
  tpm: number | null;
  concurrency: number | null;
  budget: BudgetRule | null;
  downgradeTo?: string;
}

type Exhausted = Config["budgets"][number]["onExhausted"];

function rule(b: { limitUsd: number; period: "day" | "month"; alerts: number[] }, enforce: boolean): BudgetRule {
  return { limitUsd: b.limitUsd, period: b.period, alerts: b.alerts, enforce };
}
const downgrade = (x: Exhausted): string | undefined => (typeof x === "object" ? x.downgradeTo : undefined);

/** The scopes a request is counted in; `relaxed` names budgets that only count (a downgraded request). */
export function scopesFor(client: Client, config: Config, plan: Plan, relaxed: ReadonlySet<string> = new Set()): Scope[] {
  const out: Scope[] = [];
  const p = client.policy;
  if (client.keyId && (p.rpm || p.tpm || p.concurrency || p.budget)) {
    const name = `key:${client.keyId}`;
    const scope: Scope = { name, rpm: p.rpm, tpm: p.tpm, concurrency: p.concurrency, budget: p.budget ? rule(p.budget, !relaxed.has(name)) : null };
    const to = p.budget ? downgrade(p.budget.onExhausted) : undefined;
    if (to) scope.downgradeTo = to;
    out.push(scope);
  }
  if (client.token) {
    // A client token's own cap, for as long as it lives (a month period outlasts any token).
    out.push({ name: `token:${client.token.jti}`, rpm: null, tpm: null, concurrency: null, budget: { limitUsd: client.token.capUsd, period: "month", alerts: [], enforce: true } });
  }
  // The team's rate limits and its budget share one object (`team:<name>`): one call admits both.
  const team = client.team !== undefined && Object.hasOwn(config.teams, client.team) ? config.teams[client.team] : undefined;
  if (team) out.push({ name: `team:${client.team}`, rpm: team.rpm ?? null, tpm: team.tpm ?? null, concurrency: team.concurrency ?? null, budget: null });
  const tier = config.models[plan.steps[0]?.model ?? ""]?.tier;
  for (const b of config.budgets) {
    const applies = b.scope === "team" ? client.team !== undefined && b.name === client.team : tier !== undefined && b.name === String(tier);
    if (!applies) continue;
    const name = `${b.scope}:${b.name}`;
    const existing = out.find((s) => s.name === name);
    const scope: Scope = existing ?? { name, rpm: null, tpm: null, concurrency: null, budget: null };
    scope.budget = rule(b, !relaxed.has(name));
    const to = downgrade(b.onExhausted);
    if (to) scope.downgradeTo = to;
    if (!existing) out.push(scope);
  }
  return out;
}

/** Worst-case cost and token count of a request under a plan. */
export function worstCase(request: ChatRequest, promptTokens: number, plan: Plan, config: Config): { usd: number; tokens: number } {
  const out = (requestedMaxTokens(request) ?? ASSUMED_MAX_TOKENS) * (request.n ?? 1);
  // The prompt estimate (4 characters a token) with headroom for tokenizers and per-message framing.
  const input = Math.ceil(promptTokens * 1.25) + 4 * request.messages.length + 8;
  // Priced as this request pays: a service tier's multiplier, audio output, a web search fee per call.
  const priceOf = (alias: string) => {
    const m = config.models[alias];
    return m ? billedPrice(request, m) : undefined;
  };
  return { usd: dearest(plan, priceOf, input, out), tokens: input + out };
}

/** Worst case of an embeddings request: its estimated input tokens (with headroom) at the dearest input price. */
export function embeddingWorstCase(promptTokens: number, inputs: number, plan: Plan, config: Config): { usd: number; tokens: number } {
  const input = Math.ceil(promptTokens * 1.25) + 4 * inputs + 8;
  return { usd: dearest(plan, (alias) => config.models[alias]?.price, input, 0), tokens: input };
}

/** The highest cost of `input` + `out` tokens on any model the plan may call (fallbacks included). */
function dearest(plan: Plan, priceOf: (alias: string) => BilledPrice | undefined, input: number, out: number): number {
  let usd = 0;
  for (const step of plan.steps) {
    for (const alias of [step.model, ...step.fallbacks]) {
      const price = priceOf(alias);
      if (price) usd = Math.max(usd, (input * price.input + out * price.output) / 1e6 + (price.perCallUsd ?? 0));
    }
  }
  return usd;
}

export interface Admission {
  /** The tightest window of the request's scopes, for x-ratelimit-* headers (null: no rate limit applies). */
  rate: RateView | null;
  settle(actualUsd: number): Promise<void>;
}

export type AdmissionOutcome = { ok: true; admission: Admission } | { ok: false; error: GatewayError; scope: Scope; rate: RateView | null };

function stub(c: Context<AppEnv>, name: string) {
  const ns = c.env.SPEND;
  return ns ? ns.get(ns.idFromName(name)) : null;
}

export async function admit(c: Context<AppEnv>, scopes: Scope[], id: string, worst: { usd: number; tokens: number }): Promise<AdmissionOutcome> {
  const live = scopes.map((s) => ({ s, obj: stub(c, s.name) })).filter((x): x is { s: Scope; obj: NonNullable<ReturnType<typeof stub>> } => x.obj !== null);
  const now = Date.now();
  const results: AdmitResult[] = await Promise.all(live.map(({ s, obj }) => obj.admit({ id, now, rpm: s.rpm, tpm: s.tpm, tokens: worst.tokens, concurrency: s.concurrency, budget: s.budget, worstUsd: worst.usd })));
  const rate = tightest(results.map((r) => r.rate));
  const refusedAt = results.findIndex((r) => !r.ok);
  if (refusedAt >= 0) {
    // Give back what the other scopes admitted: the request is not sent, so it counts nowhere.
    await Promise.all(live.map(({ obj }, i) => (results[i]?.ok ? obj.release(id, now) : null)));
    const r = results[refusedAt] as Extract<AdmitResult, { ok: false }>;
    const scope = (live[refusedAt] as { s: Scope }).s;
    const budget = r.reason === "budget";
    const error = new GatewayError({
      status: 429, type: "rate_limit_error", code: budget ? "budget_exceeded" : "rate_limit_exceeded",
      message: `${scope.name}: ${r.message}`, errorClass: "rate_limited", retryable: false, retryAfterMs: r.retryAfterMs,
    });
    return { ok: false, error, scope, rate };
  }
  return {
    ok: true,
    admission: {
      rate,
      async settle(actualUsd) {
        const at = Date.now();
        const fired = await Promise.all(live.map(({ s, obj }) => obj.settle(id, actualUsd, at, s.budget)));
        const alerts: BudgetAlert[] = [];
        live.forEach(({ s }, i) => {
          const f = fired[i];
          if (!f || !s.budget) return;
          for (const threshold of f.fired) alerts.push({ scope: s.name, period: s.budget.period, periodStart: f.periodStart, threshold, spentUsd: f.spentUsd, limitUsd: s.budget.limitUsd, ts: at });
        });
        for (const a of alerts) {
          if (await recordAlert(c.env.LEDGER, a)) await c.env.ALERT_QUEUE?.send(a);
        }
      },
    },
  };
}

/**
 * Admission for endpoints without a downgrade path (embeddings, count_tokens): the x-ratelimit-*
 * headers go to `setHeaders` whatever the outcome; a refusal is thrown (429).
 */
export async function admitOrRefuse(c: Context<AppEnv>, scopes: Scope[], id: string, worst: { usd: number; tokens: number }, setHeaders: (h: Record<string, string>) => void): Promise<Admission> {
  const outcome = await admit(c, scopes, id, worst);
  setHeaders(rateHeaders(outcome.ok ? outcome.admission.rate : outcome.rate));
  if (!outcome.ok) throw outcome.error;
  return outcome.admission;
}

/**
 * The windows a client sees in x-ratelimit-*: per kind (requests, tokens) the scope with the
 * least left, its key's or its team's (windows are whole minutes, so they reset together).
 */
export function tightest(views: RateView[]): RateView | null {
  let out: RateView | null = null;
  for (const v of views) {
    if (v.limitRequests === null && v.limitTokens === null) continue;
    out ??= { limitRequests: null, remainingRequests: null, limitTokens: null, remainingTokens: null, resetMs: v.resetMs };
    if (v.limitRequests !== null && (out.remainingRequests === null || (v.remainingRequests ?? 0) < out.remainingRequests)) {
      out.limitRequests = v.limitRequests;
      out.remainingRequests = v.remainingRequests ?? 0;
    }
    if (v.limitTokens !== null && (out.remainingTokens === null || (v.remainingTokens ?? 0) < out.remainingTokens)) {
      out.limitTokens = v.limitTokens;
      out.remainingTokens = v.remainingTokens ?? 0;
    }
    out.resetMs = Math.max(out.resetMs, v.resetMs);
  }
  return out;
}

function duration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.ceil(ms / 1_000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/** OpenAI's x-ratelimit-* headers for a key's window. */
export function rateHeaders(rate: RateView | null): Record<string, string> {
  if (!rate) return {};
  const h: Record<string, string> = {};
  if (rate.limitRequests !== null) {
    h["x-ratelimit-limit-requests"] = String(rate.limitRequests);
    h["x-ratelimit-remaining-requests"] = String(rate.remainingRequests ?? 0);
    h["x-ratelimit-reset-requests"] = duration(rate.resetMs);
  }
  if (rate.limitTokens !== null) {
    h["x-ratelimit-limit-tokens"] = String(rate.limitTokens);
    h["x-ratelimit-remaining-tokens"] = String(rate.remainingTokens ?? 0);
    h["x-ratelimit-reset-tokens"] = duration(rate.resetMs);
  }
  return h;
}
