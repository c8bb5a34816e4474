import type { CheckSpec } from "../config/schema";

/** One check's verdict on one answer. `passed: null` = skipped, with the reason in `detail`. */
export interface CheckVerdict {
  type: CheckSpec["type"];
  passed: boolean | null;
  detail: string;
  /** The measured value, where there is one (length, mean logprob, …). */
  value?: number;
}

/** Skipped checks do not fail an answer; they are recorded with their reason. */
export function allPassed(verdicts: CheckVerdict[]): boolean {
  return verdicts.every((v) => v.passed !== false);
}
