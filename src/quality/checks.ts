/**
 * Evaluates a step's checks on an answer. Pure: everything a check needs (the request, extra
 * samples, whether the provider returns logprobs) is passed in.
 */
import type { ChatRequest } from "../core/chat-request";
import type { CheckSpec } from "../config/schema";
import { compileLinear } from "../core/linear-regex";
import type { AnswerView } from "./answer";
import { checkConsistency } from "./consistency";
import { checkJsonSchema } from "./json-schema-check";
import type { CheckVerdict } from "./types";

export interface CheckContext {
  request: Pick<ChatRequest, "response_format">;
  /** Every sample of this step's answer, the served one first (self_consistency). */
  samples: AnswerView[];
  /** Whether the attempt could return logprobs at all. */
  logprobsSupported: boolean;
}

export function runChecks(checks: CheckSpec[], answer: AnswerView, ctx: CheckContext): CheckVerdict[] {
  return checks.map((c) => runCheck(c, answer, ctx));
}

function runCheck(check: CheckSpec, a: AnswerView, ctx: CheckContext): CheckVerdict {
  switch (check.type) {
    case "json_schema":
      return checkJsonSchema(a, check.schema, ctx.request);
    case "length": {
      const value = check.unit === "tokens" ? a.outputTokens : a.text.length;
      const low = check.min !== undefined && value < check.min;
      const high = check.max !== undefined && value > check.max;
      return { type: "length", passed: !low && !high, value, detail: `${value} ${check.unit}${low ? ` < min ${check.min}` : ""}${high ? ` > max ${check.max}` : ""}` };
    }
    case "contains": {
      const hay = check.caseSensitive ? a.text : a.text.toLowerCase();
      const found = check.terms.filter((t) => hay.includes(check.caseSensitive ? t : t.toLowerCase()));
      const passed = check.mode === "all" ? found.length === check.terms.length : found.length > 0;
      const missing = check.terms.filter((t) => !found.includes(t));
      return { type: "contains", passed, value: found.length, detail: passed ? `found ${found.length}/${check.terms.length}` : `missing: ${missing.join(", ")}` };
    }
    case "regex": {
      // Linear time on the first MAX_REGEX_INPUT_CHARS of the answer (core/linear-regex.ts).
      const matched = compileLinear(check.pattern, check.flags).test(a.text);
      const passed = check.negate ? !matched : matched;
      return { type: "regex", passed, detail: `${check.negate ? "must not match" : "must match"} /${check.pattern}/${check.flags}: ${matched ? "matched" : "no match"}` };
    }
    case "logprob": {
      if (!ctx.logprobsSupported) return { type: "logprob", passed: null, detail: "skipped: this model's provider does not return logprobs" };
      const lps = a.logprobs;
      if (!lps || lps.length === 0) return { type: "logprob", passed: null, detail: "skipped: the upstream returned no logprobs" };
      const mean = lps.reduce((s, t) => s + t.logprob, 0) / lps.length;
      const min = Math.min(...lps.map((t) => t.logprob));
      const meanOk = check.minMean === undefined || mean >= check.minMean;
      const minOk = check.minToken === undefined || min >= check.minToken;
      return { type: "logprob", passed: meanOk && minOk, value: round(mean), detail: `mean ${round(mean)}, min ${round(min)} over ${lps.length} tokens` };
    }
    case "self_consistency":
      return checkConsistency(ctx.samples, check.compare, check.samples);
    case "finish": {
      if (a.refusal) return { type: "finish", passed: false, detail: "the model refused" };
      const reason = a.finishReason ?? "none";
      const passed = (check.allow as string[]).includes(reason);
      return { type: "finish", passed, detail: `finish_reason ${reason}${passed ? "" : ` not in [${check.allow.join(", ")}]`}` };
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
