/** The ledger's rows, built from what happened to one request. Mapped to SQL only in storage. */
import type { Config } from "../config/schema";
import type { ErrorClass, GatewayError } from "../core/errors";
import type { FinishReason } from "../core/chat-response";
import type { AttemptRecord, Quality } from "./attempt";
import { addCounts, baselineCostUsd, costUsd, ZERO_TOKENS, type TokenCounts } from "../pricing/cost";
import type { ClassifierDecision, Plan } from "../routing/plan";
import { sourceLabel } from "../routing/learning";
import type { RequestMeta } from "../routing/request-meta";
import { scrubDeep } from "../core/secrets";
import { capText } from "../core/display-text";
import { modelNamed } from "../config/lookup";
import type { CacheNote } from "../cache/entry";

/**
 * partial: the upstream cut the answer after it began (and it was not continued); recovered: it was
 * cut, and continuations finished it in the same stream; aborted: the client left (at any point).
 */
export type RequestStatus = "ok" | "recovered" | "error" | "partial" | "aborted";

/** Where a continuation took over a cut answer: its attempt (seq), the characters of answer text before it, the client's wait at the seam. */
export interface SeamRecord {
  attempt: number;
  chars: number;
  gapMs: number;
}

/** Which endpoint family a request came through: chat (completions, messages, responses) or embeddings. */
export type RequestKind = "chat" | "embedding";

export interface RequestRecord {
  id: string;
  kind: RequestKind;
  ts: number;
  route: string;
  strategy: string | null;
  reason: string | null;
  feature: string | null;
  keyName: string | null;
  team: string | null;
  userTier: string | null;
  requestedModel: string | null;
  servedModel: string | null;
  provider: string | null;
  providerKind: string | null;
  simulated: boolean;
  stream: boolean;
  status: RequestStatus;
  httpStatus: number;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  finishReason: FinishReason | null;
  tokens: TokenCounts;
  costUsd: number;
  baselineModel: string | null;
  baselineCostUsd: number;
  latencyMs: number;
  ttfbMs: number | null;
  attempts: number;
  fallbacks: number;
  escalations: number;
  plan: Plan | null;
  configHash: string | null;
  quality: Quality | null;
  classifier: "local" | "llm" | null;
  classifierTier: number | null;
  classifierScore: number | null;
  /** Learning (issue 13): the per-route head's score, the text-free summary (JSON), exploration, thresholds' source, a shadow proposal's tier. */
  headScore: number | null;
  features: string | null;
  explored: boolean;
  thresholdsSource: string | null;
  proposalId: string | null;
  proposalTier: number | null;
  shadowModel: string | null;
  shadowCostUsd: number | null;
  /** Seams of a recovered stream, in order; null when none. */
  seams: SeamRecord[] | null;
  /** Text blocks dropped beside a forced JSON tool (structured output on a model without native JSON). */
  droppedBlocks: number;
  /** How the route's response cache met this request (null: the route has no cache). */
  cacheStatus?: CacheNote["status"] | null;
  cacheKind?: CacheNote["kind"] | null;
  /** A hit: the request whose answer was served. */
  cacheSource?: string | null;
  /** A hit: the upstream cost the served answer had when it was made (not spent again). */
  cacheSavedUsd?: number | null;
}

export interface LedgerEntry {
  request: RequestRecord;
  attempts: AttemptRecord[];
}

export interface Ending {
  status: RequestStatus;
  httpStatus: number;
  error?: GatewayError;
  finishReason: FinishReason | null;
  endedAt: number;
  ttfbAt: number | null;
  served: { model: string; provider: string; providerKind: string; simulated: boolean } | null;
  quality?: Quality;
  escalations?: number;
  seams?: SeamRecord[];
  /** Attempts (seq) whose output makes the client's answer; their tokens are the row's. */
  chain?: number[];
  droppedBlocks?: number;
}

export interface RecordContext {
  meta: RequestMeta;
  requestedModel: string | null;
  stream: boolean;
  plan: Plan | null;
  config: Config | null;
  configHash: string | null;
  /** Default chat. */
  kind?: RequestKind;
  /** Set when the route has a response cache. */
  cache?: CacheNote;
}

/** What a request cost: every attempt, failed ones and escalated tiers included (the header and the ledger row both say this). */
export function requestCostUsd(attempts: AttemptRecord[]): number {
  return attempts.reduce((sum, a) => sum + a.costUsd, 0);
}

/** The attempt whose answer the client got: the last answer-producing call of the served model. */
function servedAttemptOf(attempts: AttemptRecord[], model: string | undefined): AttemptRecord | undefined {
  if (model === undefined) return undefined;
  const answering = attempts.filter((a) => a.model === model && a.kind !== "sample" && a.kind !== "classifier");
  return answering.filter((a) => a.ok).at(-1) ?? answering.at(-1);
}

export function buildLedgerEntry(ctx: RecordContext, attempts: AttemptRecord[], end: Ending): LedgerEntry {
  // A client that left before any answer: the row carries the tokens of the call it left behind.
  const servedAttempt = servedAttemptOf(attempts, end.served?.model) ?? (end.status === "aborted" ? attempts.at(-1) : undefined);
  const chain = end.chain && end.chain.length > 1 ? attempts.filter((a) => end.chain?.includes(a.seq)) : null;
  // A cache hit called no upstream: its row carries the tokens of the answer it served (priced at zero, measured against the baseline).
  const hit = ctx.cache?.status === "hit" ? ctx.cache : null;
  const tokens = hit?.tokens ?? (chain ? chain.reduce((sum, a) => addCounts(sum, a.tokens), ZERO_TOKENS) : (servedAttempt?.tokens ?? ZERO_TOKENS));
  const allTokens = attempts.reduce((sum, a) => addCounts(sum, a.tokens), ZERO_TOKENS);
  const kind = ctx.kind ?? "chat";
  // The baseline is a chat model: an embedding request is measured against itself (no savings claimed).
  const baselineModel = kind === "embedding" ? (end.served?.model ?? null) : (ctx.config?.baseline ?? null);
  const baselinePrice = baselineModel && ctx.config ? modelNamed(ctx.config, baselineModel)?.price : undefined;
  const request: RequestRecord = {
    id: ctx.meta.requestId,
    kind,
    ts: ctx.meta.receivedAt,
    route: ctx.plan?.route ?? "-",
    strategy: ctx.plan?.strategy ?? null,
    reason: ctx.plan?.reason ?? null,
    feature: ctx.meta.feature ?? null,
    keyName: ctx.meta.keyName ?? null,
    team: ctx.meta.team ?? null,
    userTier: ctx.meta.userTier ?? null,
    requestedModel: ctx.requestedModel,
    servedModel: end.served?.model ?? null,
    provider: end.served?.provider ?? null,
    providerKind: end.served?.providerKind ?? null,
    simulated: end.served?.simulated === true,
    stream: ctx.stream,
    status: end.status,
    httpStatus: end.httpStatus,
    errorClass: end.error?.errorClass ?? null,
    errorMessage: end.error?.message ?? null,
    finishReason: end.finishReason,
    tokens: { ...tokens, estimated: tokens.estimated || allTokens.estimated },
    costUsd: requestCostUsd(attempts),
    baselineModel,
    baselineCostUsd: baselinePrice && end.served ? baselineCostUsd(tokens, baselinePrice) : 0,
    latencyMs: end.endedAt - ctx.meta.receivedAt,
    ttfbMs: end.ttfbAt === null ? null : end.ttfbAt - ctx.meta.receivedAt,
    attempts: attempts.length,
    fallbacks: attempts.filter((a) => a.kind === "fallback").length,
    escalations: end.escalations ?? 0,
    plan: ctx.plan,
    configHash: ctx.configHash,
    quality: end.quality ?? null,
    classifier: null,
    classifierTier: null,
    classifierScore: null,
    headScore: null,
    features: null,
    explored: false,
    thresholdsSource: null,
    proposalId: null,
    proposalTier: null,
    shadowModel: null,
    shadowCostUsd: null,
    seams: end.seams && end.seams.length > 0 ? end.seams : null,
    droppedBlocks: end.droppedBlocks ?? (chain ?? (servedAttempt ? [servedAttempt] : [])).reduce((n, a) => n + (a.droppedBlocks ?? 0), 0),
    cacheStatus: ctx.cache?.status ?? null,
    cacheKind: ctx.cache?.kind ?? null,
    cacheSource: hit?.sourceRequestId ?? null,
    cacheSavedUsd: hit?.savedUsd ?? null,
  };
  recordClassifier(request, ctx.plan?.classifier ?? ctx.plan?.shadow?.classifier);
  const shadowModel = ctx.plan?.shadow?.steps[0]?.model;
  if (shadowModel) {
    request.shadowModel = shadowModel;
    const price = ctx.config ? modelNamed(ctx.config, shadowModel)?.price : undefined;
    request.shadowCostUsd = price && end.served ? costUsd(tokens, price) : null;
  }
  // Nothing reaches the ledger unscrubbed: error texts, tags and names alike (core/secrets.ts);
  // then client-supplied strings are capped (scrubbing first: a cut could leave a key's prefix).
  const entry = scrubDeep({ request, attempts });
  capClientStrings(entry);
  return entry;
}

/** What the classifier decided and what a route learns from (issue 13): scores, the text-free summary, exploration, sources. */
function recordClassifier(request: RequestRecord, classifier: ClassifierDecision | undefined): void {
  if (!classifier) return;
  request.classifier = classifier.type;
  request.classifierTier = classifier.tier;
  request.classifierScore = classifier.score ?? null;
  request.headScore = classifier.headScore ?? null;
  request.features = classifier.features ? JSON.stringify(classifier.features) : null;
  request.explored = classifier.explored === true;
  request.thresholdsSource = classifier.thresholdsSource ? sourceLabel(classifier.thresholdsSource) : null;
  request.proposalId = classifier.proposal?.id ?? null;
  request.proposalTier = classifier.proposal?.tier ?? null;
}

/** Lengths at which strings a client chose are stored (shown safely by core/display-text.ts wherever printed). */
export const STORED_CHARS = { tag: 128, model: 256, error: 2_000 } as const;

function capClientStrings(entry: LedgerEntry): void {
  const r = entry.request;
  const cap = (s: string | null, max: number) => (s === null ? null : capText(s, max));
  r.feature = cap(r.feature, STORED_CHARS.tag);
  r.keyName = cap(r.keyName, STORED_CHARS.tag);
  r.team = cap(r.team, STORED_CHARS.tag);
  r.userTier = cap(r.userTier, STORED_CHARS.tag);
  r.requestedModel = cap(r.requestedModel, STORED_CHARS.model);
  r.errorMessage = cap(r.errorMessage, STORED_CHARS.error);
  for (const a of entry.attempts) a.errorMessage = cap(a.errorMessage, STORED_CHARS.error);
}
