/**
 * Gathers what the plan depends on besides request and config: model cooldowns (no I/O: the
 * health view is already in memory) and, for a route with an `llm` classifier, its verdict —
 * asked now, or (for /admin/explain, which calls no upstream) only looked up in the cache.
 */
import type { ChatRequest } from "../core/chat-request";
import type { Route } from "../config/schema";
import type { Signals } from "../routing/signals";
import { cachedLlmTier, llmTier } from "./llm-classifier";
import type { AttemptRecord } from "../ledger/attempt";
import type { ExecDeps } from "./types";

/** `route`: the request's selected route (null when a model is served directly), selected once by the caller. */
export async function gatherSignals(request: ChatRequest, route: Route | null, deps: ExecDeps, attempts: AttemptRecord[], mode: "run" | "explain"): Promise<Signals> {
  const now = deps.now();
  const signals: Signals = { now, cooldowns: deps.health?.cooldowns() ?? {} };
  const classifier = route?.classifier;
  if (classifier?.type === "llm") {
    const verdict = mode === "run" ? await llmTier(classifier, request, deps, attempts) : cachedLlmTier(classifier, request, deps.config, now);
    if (verdict) signals.llmTier = verdict;
  }
  return signals;
}
