/** Rule matching: does a route's `match` accept this request? Every matcher must hold. */
import type { Route } from "../config/schema";
import { compileLinear } from "../core/linear-regex";
import { AUTO_MODEL } from "./names";
import type { RequestMeta } from "./request-meta";
import { splitBucket } from "./split";

export type MatchVerdict = { matched: boolean; reason: string };

function list(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

const no = (reason: string): MatchVerdict => ({ matched: false, reason });

function inList(name: string, value: string | undefined, allowed: string | string[] | undefined, reasons: string[]): MatchVerdict | null {
  const values = list(allowed);
  if (!values) return null;
  if (value === undefined || !values.includes(value)) return no(`${name} ${value ?? "(none)"} not in [${values.join(", ")}]`);
  reasons.push(`${name}=${value}`);
  return null;
}

function bound(name: string, value: number, lo: number | undefined, hi: number | undefined, reasons: string[]): MatchVerdict | null {
  if (lo !== undefined) {
    if (value < lo) return no(`${name} ${value} < ${lo}`);
    reasons.push(`${name}>=${lo}`);
  }
  if (hi !== undefined) {
    if (value > hi) return no(`${name} ${value} > ${hi}`);
    reasons.push(`${name}<=${hi}`);
  }
  return null;
}

/**
 * Which requested names a route applies to: those in `match.model`; else any name for a shadow
 * route (measuring traffic as it is); else only "auto" — a client naming a concrete model gets
 * it unless a route explicitly remaps that name.
 */
export function matchesRoute(route: Route, requested: string, meta: RequestMeta): MatchVerdict {
  const m = route.match;
  const reasons: string[] = [];
  if (m.model !== undefined) {
    const miss = inList("model", requested, m.model, reasons);
    if (miss) return miss;
  } else if (requested !== AUTO_MODEL && route.shadow === undefined) {
    return no("route applies to model auto only");
  }
  const checks = [
    () => inList("feature", meta.feature, m.feature, reasons),
    () => inList("userTier", meta.userTier, m.userTier, reasons),
    () => inList("team", meta.team, m.team, reasons),
    () => inList("key", meta.keyName, m.key, reasons),
    () => bound("promptChars", meta.promptChars, m.minPromptChars, m.maxPromptChars, reasons),
    () => bound("promptTokens", meta.promptTokens, m.minPromptTokens, m.maxPromptTokens, reasons),
    () => {
      if (m.hasTools === undefined) return null;
      if ((meta.hasTools ?? false) !== m.hasTools) return no(`hasTools is ${meta.hasTools ?? false}`);
      reasons.push(`hasTools=${m.hasTools}`);
      return null;
    },
    () => {
      if (m.hasResponseFormat === undefined) return null;
      if ((meta.hasResponseFormat ?? false) !== m.hasResponseFormat) return no(`hasResponseFormat is ${meta.hasResponseFormat ?? false}`);
      reasons.push(`hasResponseFormat=${m.hasResponseFormat}`);
      return null;
    },
    () => {
      if (!m.lastUserMessage) return null;
      if (!compileLinear(m.lastUserMessage.pattern, m.lastUserMessage.flags).test(meta.lastUserText ?? "")) return no(`last user message does not match /${m.lastUserMessage.pattern}/`);
      reasons.push(`lastUserMessage~/${m.lastUserMessage.pattern}/`);
      return null;
    },
    // The split goes last: its share is of the traffic every other matcher accepted.
    () => {
      if (!m.split) return null;
      const { bucket } = splitBucket(m.split, route.name, meta);
      if (bucket >= m.split.percent) return no(`split bucket ${bucket.toFixed(2)} >= ${m.split.percent}%`);
      reasons.push(`split bucket ${bucket.toFixed(2)} < ${m.split.percent}%`);
      return null;
    },
  ];
  for (const check of checks) {
    const miss = check();
    if (miss) return miss;
  }
  return { matched: true, reason: reasons.length > 0 ? reasons.join(", ") : "default route (empty match)" };
}
