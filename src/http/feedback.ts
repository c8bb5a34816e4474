/** POST /v1/feedback: the client reports whether an answer worked downstream (for routing accuracy per route). */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { GatewayError } from "../core/errors";
import { requestOwner, writeFeedback } from "../storage/ledger-store";
import { invalidBody } from "./openai-codec";
import { parseJsonBody, readBodyText } from "./read-body";

const FeedbackSchema = z
  .strictObject({
    // The gateway's own ids (x-tiergate-request-id), see core/ids.ts.
    request_id: z.string().regex(/^req_[0-9a-z]{8,40}$/, "not a tiergate request id (x-tiergate-request-id)"),
    success: z.optional(z.boolean()),
    score: z.optional(z.number().min(0).max(1)),
    label: z.optional(z.string().min(1).max(64)),
    comment: z.optional(z.string().max(2_000)),
  })
  .refine((f) => f.success !== undefined || f.score !== undefined || f.label !== undefined, "give at least one of success, score or label");

const MAX_FEEDBACK_BYTES = 16_384;

export async function handleFeedback(c: Context<AppEnv>): Promise<Response> {
  const parsed = FeedbackSchema.safeParse(parseJsonBody(await readBodyText(c.req.raw, MAX_FEEDBACK_BYTES)));
  if (!parsed.success) throw invalidBody(parsed.error);
  const f = parsed.data;
  // Ledger rows are written off the response path (through a queue), so a fresh request's row may
  // not exist yet: the feedback is stored either way, and the answer says which case it was.
  const client = c.get("client");
  const owner = await requestOwner(c.env.LEDGER, f.request_id);
  const known = owner !== null;
  // Only the key (same name) or team that made the request may report on it.
  if (owner && !((owner.keyName !== null && owner.keyName === client.keyName) || (owner.team !== null && owner.team === client.team) || (owner.keyName === null && owner.team === null))) {
    throw new GatewayError({ status: 403, type: "permission_error", code: "not_your_request", message: "feedback is accepted only from the key or team that made the request", param: "request_id", errorClass: "unauthorized", retryable: false });
  }
  await writeFeedback(c.env.LEDGER, {
    requestId: f.request_id, ts: Date.now(), success: f.success ?? null, score: f.score ?? null, label: f.label ?? null, comment: f.comment ?? null,
    postedByKey: client.keyName ?? null, postedByTeam: client.team ?? null,
  });
  return c.json({ ok: true, request: known ? "recorded" : "not_yet_recorded" }, known ? 201 : 202);
}
