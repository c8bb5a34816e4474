/** `self_consistency`: independent samples of the same request must agree. */
import type { AnswerView } from "./answer";
import type { CheckVerdict } from "./types";

type Compare = "exact" | "normalized" | "json";

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function comparable(answer: AnswerView, compare: Compare): string | null {
  const text = answer.toolCalls.length > 0 && answer.text.trim() === "" ? answer.toolCalls.map((t) => `${t.name}(${t.arguments})`).join(";") : answer.text;
  switch (compare) {
    case "exact":
      return text;
    case "normalized":
      return text.normalize("NFKC").toLowerCase().replace(/[\s\p{P}]+/gu, " ").trim();
    case "json":
      try {
        return canonicalJson(JSON.parse(answer.toolCalls.length > 0 && answer.text.trim() === "" ? (answer.toolCalls[0]?.arguments ?? "") : text));
      } catch {
        return null;
      }
  }
}

export function checkConsistency(samples: AnswerView[], compare: Compare, wanted: number): CheckVerdict {
  if (samples.length < wanted) return { type: "self_consistency", passed: null, detail: `only ${samples.length} of ${wanted} samples arrived` };
  const keys = samples.map((s) => comparable(s, compare));
  if (keys.some((k) => k === null)) return { type: "self_consistency", passed: false, detail: "a sample is not valid JSON" };
  const agree = keys.every((k) => k === keys[0]);
  return { type: "self_consistency", passed: agree, detail: agree ? `${samples.length} samples agree (${compare})` : `${samples.length} samples disagree (${compare})`, value: new Set(keys).size };
}
