/** The `local` classifier: a score computed in the Worker, no network, mapped to a tier by two thresholds. */
import type { ChatRequest } from "../core/chat-request";
import { heuristicComplexity } from "./heuristic-complexity";

export type Tier = 1 | 2 | 3;

export const DEFAULT_LOCAL_THRESHOLDS = { "2": 0.5, "3": 0.8 } as const;

export function scoreComplexity(messages: ChatRequest["messages"]): number {
  return heuristicComplexity(messages);
}

export function tierForScore(score: number, thresholds: { "2": number; "3": number } = DEFAULT_LOCAL_THRESHOLDS): Tier {
  if (score >= thresholds["3"]) return 3;
  if (score >= thresholds["2"]) return 2;
  return 1;
}
