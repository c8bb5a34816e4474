/**
 * The config `npm start` seeds into local KV (and the README's example): the article's price
 * table, Gemini models, and rule routes like the article's. Providers whose key secret is
 * missing are replaced by the simulator when seeding (see seed.ts).
 */
import type { ConfigInput } from "./schema";

export const DEFAULT_CONFIG: ConfigInput = {
  version: 1,
  baseline: "gpt-4o",
  defaults: { timeoutMs: 30_000, maxRetryAfterMs: 2_000, maxBodyBytes: 1_048_576 },
  providers: {
    openai: { type: "openai", preset: "openai", keySecret: "OPENAI_API_KEY" },
    anthropic: { type: "anthropic", keySecret: "ANTHROPIC_API_KEY" },
    google: { type: "gemini", keySecret: "GEMINI_API_KEY" },
    // Stands in for every provider without a key: deterministic answers, realistic usage and pacing.
    sim: { type: "simulator", latencyMs: 250, tokensPerSecond: 150, failureRate: 0, failureStatus: 503 },
  },
  models: {
    "gpt-4o-mini": { provider: "openai", id: "gpt-4o-mini", tier: 1, price: { input: 0.15, output: 0.6, cachedInput: 0.075 } },
    "gpt-4o": { provider: "openai", id: "gpt-4o", tier: 2, price: { input: 2.5, output: 10, cachedInput: 1.25 } },
    "gpt-4.5": { provider: "openai", id: "gpt-4.5-preview", tier: 3, price: { input: 75, output: 150, cachedInput: 37.5 } },
    // Claude 4.5+ models have native structured output; Anthropic returns no logprobs (the adapter says so).
    "claude-haiku-4-5": { provider: "anthropic", id: "claude-haiku-4-5", tier: 1, maxOutputTokens: 8192, capabilities: { jsonSchema: true }, price: { input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1 } },
    "claude-sonnet-4-6": { provider: "anthropic", id: "claude-sonnet-4-6", tier: 2, maxOutputTokens: 8192, capabilities: { jsonSchema: true }, price: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } },
    "claude-opus-4-6": { provider: "anthropic", id: "claude-opus-4-6", tier: 3, maxOutputTokens: 8192, capabilities: { jsonSchema: true }, price: { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 } },
    "gemini-2.0-flash": { provider: "google", id: "gemini-2.0-flash", tier: 1, price: { input: 0.1, output: 0.4, cachedInput: 0.025 } },
    // The Gemini API refuses logprobs for 2.5 models (2.0 Flash returns them).
    "gemini-2.5-flash": { provider: "google", id: "gemini-2.5-flash", tier: 1, capabilities: { logprobs: false }, price: { input: 0.3, output: 2.5, cachedInput: 0.075 } },
    "gemini-2.5-pro": { provider: "google", id: "gemini-2.5-pro", tier: 2, capabilities: { logprobs: false }, price: { input: 1.25, output: 10, cachedInput: 0.31 } },
    // Embedding models (POST /v1/embeddings), priced per input token at their list prices.
    "text-embedding-3-small": { provider: "openai", id: "text-embedding-3-small", kind: "embedding", dimensions: 1536, price: { input: 0.02, output: 0 } },
    "text-embedding-3-large": { provider: "openai", id: "text-embedding-3-large", kind: "embedding", dimensions: 3072, price: { input: 0.13, output: 0 } },
    "gemini-embedding-001": { provider: "google", id: "gemini-embedding-001", kind: "embedding", dimensions: 3072, price: { input: 0.15, output: 0 } },
  },
  routes: [
    { name: "classify", description: "Short classification and tagging", match: { feature: "classify", maxPromptChars: 4_000 }, model: "gpt-4o-mini", fallbacks: ["gemini-2.0-flash", "claude-haiku-4-5"] },
    {
      name: "extract",
      description: "Structured extraction: the cheap model first, escalated when its JSON fails the schema",
      match: { feature: "extract" },
      steps: [
        { model: "gpt-4o-mini", fallbacks: ["claude-haiku-4-5"], checks: [{ type: "json_schema" }, { type: "finish" }] },
        { model: "claude-sonnet-4-6", fallbacks: ["gpt-4o"] },
      ],
    },
    { name: "summarize", description: "Summaries of ordinary-length text", match: { feature: "summarize", maxPromptChars: 48_000 }, model: "claude-haiku-4-5", fallbacks: ["gpt-4o-mini"] },
    { name: "code", description: "Code generation and review", match: { feature: "code" }, model: "claude-sonnet-4-6", fallbacks: ["gpt-4o"] },
    { name: "analysis", description: "Hard multi-step reasoning", match: { feature: "analysis" }, model: "claude-opus-4-6", fallbacks: ["claude-sonnet-4-6"] },
    { name: "long-context", description: "Very long prompts, whatever the feature", match: { minPromptChars: 48_000 }, model: "gemini-2.5-pro", fallbacks: ["claude-sonnet-4-6"] },
    { name: "embeddings", description: "Embedding requests with model auto (routes of embedding models take only /v1/embeddings)", match: {}, model: "text-embedding-3-small", fallbacks: ["gemini-embedding-001"] },
    {
      name: "default",
      description: "Everything else, by the built-in complexity classifier: the article's 70% / 25% / 5% mix",
      match: {},
      classifier: {
        type: "local",
        shares: { "2": 0.25, "3": 0.05 },
        tiers: { "1": ["gpt-4o-mini", "claude-haiku-4-5"], "2": ["claude-sonnet-4-6", "gpt-4o"], "3": ["claude-opus-4-6", "claude-sonnet-4-6"] },
      },
    },
  ],
};
