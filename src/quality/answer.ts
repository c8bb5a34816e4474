/** What the checks read from an answer: its text, finish reason, tokens, logprobs. */
import type { ChatCompletion, TokenLogprob } from "../core/chat-response";
import { estimateTokens } from "../core/tokens";

export interface AnswerView {
  text: string;
  finishReason: string | null;
  refusal: string | null;
  toolCalls: Array<{ name: string; arguments: string }>;
  outputTokens: number;
  logprobs: TokenLogprob[] | null;
}

export function answerView(completion: ChatCompletion): AnswerView {
  const choice = completion.choices[0];
  const message = choice?.message;
  const text = message?.content ?? "";
  return {
    text,
    finishReason: choice?.finish_reason ?? null,
    refusal: message?.refusal ?? null,
    toolCalls: (message?.tool_calls ?? []).map((t) => ({ name: t.function.name, arguments: t.function.arguments })),
    outputTokens: completion.usage?.completion_tokens ?? estimateTokens(text),
    logprobs: choice?.logprobs?.content ?? null,
  };
}
