/**
 * The review sample over the admin API (admin token only; the dashboard's read-only token reaches
 * none of it): GET /admin/review lists sampled requests (`route`, `all=1` to include labelled ones,
 * `limit`); POST /admin/review/:id/label records a person's label — `tier` 1–3 (what the request
 * needed), `goodEnough` (the cheap tier's answer was good enough), optional `labeller`.
 */
import type { Context } from "hono";
import { badRequest, GatewayError } from "../core/errors";
import type { AppEnv } from "../env";
import { parseLabel } from "../ledger/review-sample";
import { labelSample, listReviewQueue } from "../storage/review-store";

export async function handleReviewQueue(c: Context<AppEnv>): Promise<Response> {
  const route = c.req.query("route");
  const items = await listReviewQueue(c.env.LEDGER, { ...(route ? { route } : {}), all: c.req.query("all") === "1", limit: Number(c.req.query("limit") ?? 50) || 50 });
  return c.json({ object: "list", data: items });
}

export async function handleReviewLabel(c: Context<AppEnv>): Promise<Response> {
  const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("the body must be a JSON object: {\"tier\": 1-3, \"goodEnough\": true|false, \"labeller\"?: string}");
  const input = parseLabel(body);
  if ("error" in input) throw badRequest(input.error, input.param, "invalid_parameter");
  const label = await labelSample(c.env.LEDGER, c.req.param("id") ?? "", input, input.labeller ?? "admin", Date.now());
  if (!label) throw new GatewayError({ status: 404, type: "not_found_error", code: "not_found", message: "no review sample with that id (not sampled, or past the route's review retention)", param: "id", errorClass: "not_found", retryable: false });
  return c.json({ object: "review.label", ...label });
}
