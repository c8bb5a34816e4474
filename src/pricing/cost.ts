/** Cost of token usage under the price table (USD per 1M tokens). */
import type { Usage } from "../core/chat-response";
import type { Price } from "../config/schema";

export interface TokenCounts {
  /** All input tokens, cached ones included. */
  input: number;
  output: number;
  /** Input tokens read from a prompt cache. */
  cachedInput: number;
  /** Input tokens written to a prompt cache. */
  cacheWrite: number;
  reasoning: number;
  /** True when the upstream reported no usage and these are estimates. */
  estimated: boolean;
}

export const ZERO_TOKENS: TokenCounts = { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0, estimated: false };

export function countsFromUsage(usage: Usage): TokenCounts {
  return {
    input: usage.prompt_tokens,
    output: usage.completion_tokens,
    cachedInput: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWrite: usage.prompt_tokens_details?.cache_creation_tokens ?? 0,
    reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    estimated: false,
  };
}

export function addCounts(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cachedInput: a.cachedInput + b.cachedInput,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    reasoning: a.reasoning + b.reasoning,
    estimated: a.estimated || b.estimated,
  };
}

const PER_TOKEN = 1 / 1_000_000;

/** A model's price as one request pays it (pricing/billed-price.ts): a fixed fee per call on top of the tokens. */
export type BilledPrice = Price & { perCallUsd?: number };

export function costUsd(tokens: TokenCounts, price: BilledPrice): number {
  const uncached = Math.max(0, tokens.input - tokens.cachedInput - tokens.cacheWrite);
  const cost =
    uncached * price.input +
    tokens.cachedInput * (price.cachedInput ?? price.input) +
    tokens.cacheWrite * (price.cacheWrite ?? price.input) +
    tokens.output * price.output;
  return cost * PER_TOKEN + (price.perCallUsd ?? 0);
}

/** What the same tokens would have cost on the baseline model (no cache discounts assumed). */
export function baselineCostUsd(tokens: TokenCounts, baseline: Price): number {
  return (tokens.input * baseline.input + tokens.output * baseline.output) * PER_TOKEN;
}
