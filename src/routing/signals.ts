/** What the plan may depend on besides the request and the config. Gathered by execution; plain data here. */
import type { Tier } from "./local-classifier";

export interface LlmTierSignal {
  tier: Tier;
  /** llm: asked now; cache: asked before for the same prompt; default: the call failed or timed out. */
  source: "llm" | "cache" | "default";
  detail?: string;
}

export interface Signals {
  /** Models whose circuit is open, with the time (ms) their cooldown ends. */
  cooldowns?: Readonly<Record<string, number>>;
  /** The LLM classifier's verdict, for a route with an `llm` classifier. */
  llmTier?: LlmTierSignal;
  /** What a classifier route's exploration buckets by (the request id); no exploration without it. */
  exploreKey?: string;
  /** Now, for cooldowns (ms). */
  now?: number;
}
