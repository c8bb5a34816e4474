/**
 * What every figure of GET /admin/stats means, written once. The API answers with
 * STATS_DEFINITIONS_VERSION (bump it whenever a definition below changes meaning) and serves this
 * list at GET /admin/stats/definitions; the README's table carries the same text (a test checks).
 */
import { HISTOGRAM_RATIO, HISTOGRAM_RELATIVE_ERROR } from "./histogram";

export const STATS_DEFINITIONS_VERSION = "2";

const pct = `${(HISTOGRAM_RELATIVE_ERROR * 100).toFixed(1)}%`;

export const STATS_DEFINITIONS = {
  requests: "Client requests recorded in the ledger whose arrival time is in the period, rejected and failed ones included.",
  share: "requests of this group divided by requests of all groups in the same period (after filters).",
  "tokens.input": "Input tokens of the call whose answer the client got (the served attempt).",
  "tokens.output": "Output tokens of the served attempt.",
  costUsd: "What the requests cost: every upstream attempt, failed ones, escalated tiers, samples and classifier calls included.",
  baselineCostUsd: "The served tokens priced at the config's baseline model when the request was recorded.",
  savingsUsd: "baselineCostUsd − costUsd.",
  savingsPct: "savingsUsd ÷ baselineCostUsd × 100; null when baselineCostUsd is 0.",
  tiers: "Per tier of the model that answered (its `tier` in the current config; `unknown` when it has none or nothing answered): requests, trafficShare (of the group's requests), costUsd and costShare (of the group's cost).",
  "quality.checked": "Requests whose answer was judged by cascade checks (quality passed or failed).",
  "quality.checkPassRate": "Requests with quality `passed` ÷ quality.checked.",
  "quality.escalationRate": "Requests with at least one escalation (a failed check moved them to the next tier) ÷ requests.",
  "quality.servedFailed": "Answers returned although they failed a check (quality `failed`: the last tier's answer); servedFailedRate = servedFailed ÷ quality.checked.",
  "feedback.count": "Feedback reports (POST /v1/feedback) on the period's requests, counted in the period of the request they are about.",
  "feedback.successRate": "Reports with success true ÷ reports that say success true or false.",
  "feedback.meanScore": "Mean of the reports' scores, over reports that have one.",
  "routingAccuracy.classified": "Requests a classifier rated (classifier_tier set).",
  "routingAccuracy.judged": "Requests rated tier 1 whose outcome the gateway knows: a cascade verdict, an escalation or feedback with success.",
  "routingAccuracy.rate": "Judged requests whose tier-1 answer was good (no escalation, no failed check, no negative feedback) ÷ judged: how often the classifier's tier 1 agreed with the outcome.",
  "routingAccuracy.outcome": "Per tier the classifier chose (1–3): good (no escalation, no failed check, no negative feedback, and a passed check or successful feedback), bad (escalated, failed a check or got negative feedback), unknown (neither).",
  "routingAccuracy.review": "Per tier the classifier chose: reviewer labels by the tier the reviewer said was needed (labelled 1–3), and how many said the cheap tier's answer was good enough (goodEnough / notGoodEnough).",
  "routingAccuracy.reviewRate": "Labelled requests whose label's tier is the chosen tier ÷ labelled requests (reviewed).",
  "routingAccuracy.combined": "Labels count: a labelled request is judged by its label (agreed when the label's tier is the chosen tier), an unlabelled one rated tier 1 by its outcome (agreed when good); rate = agreed ÷ judged.",
  latencyMs: `p50 / p95 / p99 of the time from arrival to the end of the answer, nearest-rank over a log-spaced histogram (buckets ×${HISTOGRAM_RATIO}); each figure is within ${pct} of the exact value.`,
  ttfbMs: `p50 / p95 / p99 of the time from arrival to the first byte sent to the client, over requests that sent one; same histogram and error (${pct}).`,
  fallbackRate: "Requests that used at least one fallback model ÷ requests.",
  errorRate: "Requests with status `error` (no answer) ÷ requests.",
  partialStreamRate: "Streamed requests with status `partial` (cut after content reached the client) ÷ streamed requests.",
  recoveredStreamRate: "Streamed requests with status `recovered` (the upstream cut the answer mid-stream and continuations finished it) ÷ streamed requests.",
  abortedRate: "Requests with status `aborted` (the client left) ÷ requests.",
  shadow: "Requests of a route in shadow mode: actualCostUsd (what they cost), projectedCostUsd (their served tokens priced at the model the route would have chosen), projectedSavingsUsd = actual − projected, projectedSavingsPct of actual; null when the group has none.",
} as const;

export type StatsFigureName = keyof typeof STATS_DEFINITIONS;
