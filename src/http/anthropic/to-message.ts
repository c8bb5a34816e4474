/** A canonical chat.completion → an Anthropic message (the first choice: the Messages API has one). */
import type { ChatCompletion } from "../../core/chat-response";
import { argumentsObject } from "../../core/tool-arguments";
import { messageId, messageUsage, stopReason } from "./normalize";

export function toMessage(completion: ChatCompletion): Record<string, unknown> {
  const choice = completion.choices[0];
  const m = choice?.message;
  const content: Array<Record<string, unknown>> = [];
  if (m?.reasoning_content) content.push({ type: "thinking", thinking: m.reasoning_content, signature: "" });
  const text = m?.content ?? "";
  // A refusal stays visible as text, with stop_reason "refusal".
  const shown = text !== "" ? text : (m?.refusal ?? "");
  if (shown !== "") content.push({ type: "text", text: shown });
  for (const tc of m?.tool_calls ?? []) content.push({ type: "tool_use", id: tc.id, name: tc.function.name, input: argumentsObject(tc.function.arguments) });
  return {
    id: messageId(completion.id),
    type: "message",
    role: "assistant",
    model: completion.model,
    content,
    stop_reason: stopReason(choice?.finish_reason ?? null),
    stop_sequence: null,
    usage: messageUsage(completion.usage),
  };
}
