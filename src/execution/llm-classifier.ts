/**
 * The `llm` classifier: asks the cheapest configured model (or the route's choice) to rate the
 * request 1-3 with one output token. Its call is an attempt of the request (kind `classifier`),
 * so its cost lands on the request. Verdicts are cached per isolate by prompt hash; a failure or
 * timeout yields the route's default tier.
 */
import { ChatRequestSchema, type ChatRequest } from "../core/chat-request";
import { fnv1a } from "../core/hash";
import { BoundedCache } from "../core/bounded-cache";
import type { ClassifierSpec, Config } from "../config/schema";
import type { LlmTierSignal } from "../routing/signals";
import type { Tier } from "../routing/local-classifier";
import { CLASSIFIER_PROMPT, cheapestModel, ratedText } from "../routing/llm-rating";
import { runAttempt } from "./attempt";
import type { AttemptRecord } from "../ledger/attempt";
import type { ExecDeps } from "./types";

type LlmSpec = Extract<ClassifierSpec, { type: "llm" }>;

/** Verdicts per isolate, bounded by bytes (a key is the model alias and two hashes; a verdict is charged 64 bytes). */
export const LLM_VERDICT_CACHE_BYTES = 512 * 1024;
const VERDICT_BYTES = 64;
const CACHE_TTL_MS = 60 * 60 * 1000;

const cache = new BoundedCache<{ tier: Tier; at: number }>({ maxBytes: LLM_VERDICT_CACHE_BYTES, maxEntryBytes: 4 * 1024 });

function cacheKey(model: string, text: string): string {
  return `${model}:${text.length}:${fnv1a(text).toString(16)}:${fnv1a(text, 0x9747b28c).toString(16)}`;
}

/** A cached verdict, without calling anything (what /admin/explain may show). */
export function cachedLlmTier(spec: LlmSpec, request: ChatRequest, config: Config, now: number): LlmTierSignal | undefined {
  const hit = cache.get(cacheKey(spec.model ?? cheapestModel(config), ratedText(request)));
  return hit && now - hit.at < CACHE_TTL_MS ? { tier: hit.tier, source: "cache" } : undefined;
}

export async function llmTier(spec: LlmSpec, request: ChatRequest, deps: ExecDeps, attempts: AttemptRecord[]): Promise<LlmTierSignal> {
  const model = spec.model ?? cheapestModel(deps.config);
  const text = ratedText(request);
  const key = cacheKey(model, text);
  const now = deps.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_TTL_MS) return { tier: hit.tier, source: "cache" };

  const ask = ChatRequestSchema.parse({ model, messages: [{ role: "user", content: CLASSIFIER_PROMPT + text }], max_tokens: 1, temperature: 0, stream: false });
  const outcome = await runAttempt(model, ask, deps, { seq: attempts.length, kind: "classifier", step: -1, stream: false, timeoutMs: spec.timeoutMs });
  attempts.push(outcome.record);
  if (!outcome.ok || outcome.kind !== "completion") {
    return { tier: spec.defaultTier, source: "default", detail: outcome.ok ? "unexpected stream" : `${model}: ${outcome.error.message}` };
  }
  const digit = (outcome.completion.choices[0]?.message.content ?? "").match(/[123]/)?.[0];
  if (!digit) return { tier: spec.defaultTier, source: "default", detail: `${model} answered without a digit 1-3` };
  const tier = Number(digit) as Tier;
  cache.set(key, { tier, at: now }, VERDICT_BYTES);
  return { tier, source: "llm" };
}

export function clearLlmTierCache(): void {
  cache.clear();
}
