/**
 * Keeps a sampled request's prompt and answer for review (src/ledger/review-sample.ts) when its
 * route has `review` and the draw picks it: the answer of a completion, or the text a stream sent
 * (collected only on sampled requests), written to D1 after the request ended with an answer.
 */
import type { Context } from "hono";
import type { ChatCompletion } from "../core/chat-response";
import type { ChunkSource } from "../core/chunk-source";
import type { ChatRequest } from "../core/chat-request";
import type { Route } from "../config/schema";
import { logEvent } from "../core/log";
import type { AppEnv } from "../env";
import type { Ending, RecordContext } from "../ledger/record";
import { buildReviewSample, conversationText, sampled } from "../ledger/review-sample";
import { writeReviewSample } from "../storage/review-store";

export interface ReviewCapture {
  completion(completion: ChatCompletion): void;
  stream(source: ChunkSource): ChunkSource;
}

export function reviewCapture(c: Context<AppEnv>, route: Route | null, rec: RecordContext, request: ChatRequest, ending: Promise<Ending>): ReviewCapture | null {
  const review = route?.review;
  if (!route || !review || !sampled(review)) return null;
  let answer = "";
  c.executionCtx.waitUntil(
    ending
      .then(async (end) => {
        if (end.status === "error" || end.status === "aborted" || !end.served) return;
        const sample = buildReviewSample(review, {
          requestId: rec.meta.requestId, ts: rec.meta.receivedAt, route: route.name,
          classifierTier: rec.plan?.classifier?.tier ?? null, servedModel: end.served.model,
        }, conversationText(request), answer);
        await writeReviewSample(c.env.LEDGER, sample);
      })
      .catch((e: unknown) => logEvent("error", "review_sample_write_failed", { requestId: rec.meta.requestId, error: String(e) })),
  );
  return {
    completion: (completion) => (answer = completion.choices[0]?.message.content ?? ""),
    stream: (source) => ({
      read: async () => {
        const r = await source.read();
        if (!r.done) for (const ch of r.value.choices) if (typeof ch.delta.content === "string") answer += ch.delta.content;
        return r;
      },
      cancel: (reason) => source.cancel(reason),
    }),
  };
}
