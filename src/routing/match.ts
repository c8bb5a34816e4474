/** Rule matching: does a route's `match` accept this request? */
import type { Route } from "../config/schema";
import type { RequestMeta } from "./request-meta";
import { AUTO_MODEL } from "./names";

export type MatchVerdict = { matched: true; reason: string } | { matched: false; reason: string };

function list(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/**
 * A route with a `model` matcher applies only to those requested names ("auto" included if
 * listed). Any other route applies only to "auto": a client naming a concrete model gets it
 * unless a route explicitly remaps that name.
 */
export function matchesRoute(route: Route, requested: string, meta: RequestMeta): MatchVerdict {
  const m = route.match;
  const reasons: string[] = [];
  const models = list(m.model);
  if (models) {
    if (!models.includes(requested)) return { matched: false, reason: `model ${requested} not in [${models.join(", ")}]` };
    reasons.push(`model=${requested}`);
  } else if (requested !== AUTO_MODEL) {
    return { matched: false, reason: "route applies to model auto only" };
  }
  const features = list(m.feature);
  if (features) {
    if (meta.feature === undefined || !features.includes(meta.feature)) return { matched: false, reason: `feature ${meta.feature ?? "(none)"} not in [${features.join(", ")}]` };
    reasons.push(`feature=${meta.feature}`);
  }
  if (m.minPromptChars !== undefined) {
    if (meta.promptChars < m.minPromptChars) return { matched: false, reason: `prompt ${meta.promptChars} chars < ${m.minPromptChars}` };
    reasons.push(`prompt>=${m.minPromptChars} chars`);
  }
  if (m.maxPromptChars !== undefined) {
    if (meta.promptChars > m.maxPromptChars) return { matched: false, reason: `prompt ${meta.promptChars} chars > ${m.maxPromptChars}` };
    reasons.push(`prompt<=${m.maxPromptChars} chars`);
  }
  return { matched: true, reason: reasons.length > 0 ? reasons.join(", ") : "default route (empty match)" };
}
