/** Synthetic ledger rows (no bindings: usable from Workers tests and Node tests alike). */
import { pick, seededRng } from "../../src/core/random";

type Value = string | number | null;

/** A `requests` row by column name; unspecified columns take their schema default. */
export interface SeedRequest {
  id: string;
  ts: number;
  route?: string;
  status?: "ok" | "recovered" | "error" | "partial" | "aborted";
  http_status?: number;
  latency_ms?: number;
  [column: string]: Value | undefined;
}

export interface SeedFeedback {
  request_id: string;
  ts: number;
  success?: 0 | 1 | null;
  score?: number | null;
  label?: string | null;
}

/** Rows of a busy gateway over [from, from + hours): several routes, models, teams, statuses, feedback; deterministic per seed. */
export function syntheticLedger(seed: number, from: number, hours: number, perHour: number, idPrefix: string): { requests: SeedRequest[]; feedback: SeedFeedback[] } {
  const rng = seededRng(seed);
  const requests: SeedRequest[] = [];
  const feedback: SeedFeedback[] = [];
  for (let h = 0; h < hours; h++) {
    for (let i = 0; i < perHour; i++) {
      const id = `${idPrefix}-${h}-${i}`;
      const ts = from + h * 3_600_000 + Math.floor(rng() * 3_600_000);
      const status = pick(rng, ["ok", "ok", "ok", "ok", "ok", "recovered", "error", "partial", "aborted"] as const);
      const model = status === "error" ? null : pick(rng, ["cheap", "cheap", "mid", "big"]);
      const input = Math.floor(rng() * 2_000);
      const output = Math.floor(rng() * 500);
      const cost = model ? Math.round(rng() * 1e6) / 1e9 : 0;
      const escalated = rng() < 0.15 ? 1 : 0;
      requests.push({
        id, ts, status,
        route: pick(rng, ["chat", "extract", "classify"]),
        served_model: model, provider: model ? pick(rng, ["up", "sim"]) : null,
        feature: pick(rng, ["chat", "extract", "summarize", null]), team: pick(rng, ["search", "support", null]), key_name: pick(rng, ["k1", "k2"]),
        stream: rng() < 0.5 ? 1 : 0,
        input_tokens: input, output_tokens: output, cost_usd: cost, baseline_cost_usd: model ? cost * (1 + rng() * 9) : 0,
        latency_ms: Math.floor(Math.exp(rng() * 9)), ttfb_ms: status === "error" || rng() < 0.1 ? null : Math.floor(Math.exp(rng() * 7)),
        fallbacks: rng() < 0.1 ? 1 : 0, escalations: escalated,
        quality: pick(rng, [null, "unchecked", "passed", "passed", escalated ? "failed" : "passed"]),
        classifier: rng() < 0.5 ? "local" : null, classifier_tier: rng() < 0.5 ? pick(rng, [1, 1, 2, 3]) : null,
        shadow_model: rng() < 0.1 ? "cheap" : null, shadow_cost_usd: cost / 3,
      });
      if (rng() < 0.2) feedback.push({ request_id: id, ts: ts + 1_000, success: pick(rng, [0, 1, 1, null] as const), score: rng() < 0.5 ? Math.round(rng() * 100) / 100 : null });
    }
  }
  return { requests, feedback };
}
