/** Stable A/B buckets: the same user (or key, or request) always lands in the same 0..100 bucket of a route. */
import { fnv1a } from "../core/hash";
import type { RouteMatch } from "../config/schema";
import type { RequestMeta } from "./request-meta";

export function splitBucket(split: NonNullable<RouteMatch["split"]>, routeName: string, meta: RequestMeta): { bucket: number; key: string } {
  const key = split.by === "request" ? meta.requestId : split.by === "key" ? (meta.keyName ?? meta.requestId) : (meta.user ?? meta.keyName ?? meta.requestId);
  const bucket = (fnv1a(`${split.salt ?? routeName}:${key}`) % 10_000) / 100;
  return { bucket, key };
}
