/**
 * Judges a checked step's answer: draws the extra samples self-consistency needs (same model,
 * in parallel, recorded as `sample` attempts), runs the checks, records the verdicts on the
 * attempt that answered.
 */
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletion } from "../core/chat-response";
import type { CheckSpec } from "../config/schema";
import { answerView, type AnswerView } from "../quality/answer";
import { runChecks } from "../quality/checks";
import type { CheckVerdict } from "../quality/types";
import { runAttempt } from "./attempt";
import type { AttemptRecord } from "../ledger/attempt";
import type { ExecDeps } from "./types";

export async function checkStep(
  checks: CheckSpec[],
  answer: { completion: ChatCompletion; record: AttemptRecord; logprobs: boolean; model: string },
  request: ChatRequest,
  deps: ExecDeps,
  attempts: AttemptRecord[],
): Promise<CheckVerdict[]> {
  const first = answerView(answer.completion);
  const wanted = Math.max(1, ...checks.map((c) => (c.type === "self_consistency" ? c.samples : 1)));
  const samples: AnswerView[] = [first];
  if (wanted > 1) {
    const extra = await Promise.all(
      Array.from({ length: wanted - 1 }, (_, i) => runAttempt(answer.model, request, deps, { seq: attempts.length + i, kind: "sample", step: answer.record.step, stream: false })),
    );
    for (const outcome of extra) {
      attempts.push(outcome.record);
      if (outcome.ok && outcome.kind === "completion") samples.push(answerView(outcome.completion));
    }
  }
  const verdicts = runChecks(checks, first, { request, samples, logprobsSupported: answer.logprobs });
  answer.record.checks = verdicts;
  return verdicts;
}
