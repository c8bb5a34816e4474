/**
 * The opt-in review sample (a route's `review`): which requests keep their prompt and answer for a
 * person to label, and the record kept — scrubbed of secrets (core/secrets.ts), capped to the route's
 * `maxChars` per text, or without text when `storeText` is false. This is the only place prompt text
 * is kept; the ledger never holds it.
 */
import type { ChatRequest } from "../core/chat-request";
import { contentText } from "../core/chat-request";
import { scrubSecrets } from "../core/secrets";
import type { Route } from "../config/schema";

const DAY_MS = 24 * 3_600_000;

export type ReviewSettings = NonNullable<Route["review"]>;

export interface ReviewSample {
  requestId: string;
  ts: number;
  route: string;
  classifierTier: number | null;
  servedModel: string | null;
  prompt: string | null;
  answer: string | null;
  truncated: boolean;
  expiresAt: number;
}

/** Whether this request is sampled: `random` in [0, 1) below the route's rate. */
export function sampled(review: ReviewSettings | undefined, random: () => number = Math.random): boolean {
  return review !== undefined && review.sampleRate > 0 && random() < review.sampleRate;
}

/** The conversation as the reviewer reads it: one `role: text` block per message. */
export function conversationText(request: Pick<ChatRequest, "messages">): string {
  return request.messages.map((m) => `${m.role}: ${contentText(m.content)}`).join("\n\n");
}

function cap(text: string, max: number): { text: string; cut: boolean } {
  // Scrub first: a cut could leave the start of a key that the scrubber would no longer recognise.
  const clean = scrubSecrets(text);
  return clean.length <= max ? { text: clean, cut: false } : { text: `${clean.slice(0, max)}…`, cut: true };
}

export function buildReviewSample(review: ReviewSettings, base: Omit<ReviewSample, "prompt" | "answer" | "truncated" | "expiresAt">, prompt: string, answer: string): ReviewSample {
  const expiresAt = base.ts + review.retentionDays * DAY_MS;
  if (!review.storeText) return { ...base, prompt: null, answer: null, truncated: false, expiresAt };
  const p = cap(prompt, review.maxChars);
  const a = cap(answer, review.maxChars);
  return { ...base, prompt: p.text, answer: a.text, truncated: p.cut || a.cut, expiresAt };
}

export interface LabelInput {
  tier: 1 | 2 | 3;
  goodEnough: boolean;
  labeller: string | null;
}

/**
 * A reviewer's label from a JSON body or a form: `tier` 1–3 (the tier the request needed) and
 * `goodEnough` (the cheap tier's answer was good enough: true/false, "yes"/"no"), optional `labeller`.
 * Returns the message of what is wrong instead when it is not one.
 */
export function parseLabel(body: Record<string, unknown>): LabelInput | { error: string; param: string } {
  const tier = Number(body.tier);
  if (!(tier === 1 || tier === 2 || tier === 3)) return { error: `tier must be 1, 2 or 3, got ${JSON.stringify(body.tier ?? null)}`, param: "tier" };
  const g = body.goodEnough ?? body.good_enough;
  const goodEnough = g === true || g === "yes" || g === "true" || g === "1" ? true : g === false || g === "no" || g === "false" || g === "0" ? false : null;
  if (goodEnough === null) return { error: `goodEnough must be true or false (yes / no), got ${JSON.stringify(g ?? null)}`, param: "goodEnough" };
  const labeller = typeof body.labeller === "string" && body.labeller.trim() !== "" ? body.labeller.trim().slice(0, 128) : null;
  return { tier, goodEnough, labeller };
}
