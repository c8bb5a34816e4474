/** A Gemini `generateContent` response → a canonical chat.completion. */
import type { ChatCompletion, ToolCallOut } from "../../core/chat-response";
import { protocolError } from "../http-adapter";
import type { UpstreamTarget } from "../types";
import { blockedMessage, mapFinishReason, responseKeyOf, toLogprobs, toolCallId, toUsage } from "./normalize";
import type { WireCandidateT, WireResponseT } from "./wire-schema";

type Choice = ChatCompletion["choices"][number];

function toChoice(c: WireCandidateT, index: number, responseKey: string): Choice {
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCallOut[] = [];
  for (const part of c.content?.parts ?? []) {
    const fc = part.functionCall;
    if (fc?.name) {
      toolCalls.push({ id: toolCallId(fc.id, responseKey, index, toolCalls.length), type: "function", function: { name: fc.name, arguments: JSON.stringify(fc.args ?? {}) } });
    } else if (typeof part.text === "string") {
      if (part.thought === true) reasoning += part.text;
      else text += part.text;
    }
  }
  const finish = mapFinishReason(c.finishReason, toolCalls.length > 0);
  const message: Choice["message"] = { role: "assistant", content: text.length > 0 || toolCalls.length === 0 ? text : null };
  if (finish === "content_filter") message.refusal = blockedMessage(c.finishReason ?? "", c.finishMessage, "response");
  if (reasoning.length > 0) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return { index, message, finish_reason: finish, logprobs: toLogprobs(c.logprobsResult) };
}

export function toCompletion(w: WireResponseT, target: UpstreamTarget): ChatCompletion {
  const responseKey = responseKeyOf(w.responseId);
  const candidates = w.candidates ?? [];
  let choices: Choice[];
  if (candidates.length > 0) {
    choices = candidates.map((c, i) => toChoice(c, c.index ?? i, responseKey));
  } else {
    // No candidates: the prompt itself was blocked.
    const reason = w.promptFeedback?.blockReason;
    if (!reason) throw protocolError(target, "response has no candidates");
    const refusal = blockedMessage(reason, w.promptFeedback?.blockReasonMessage, "prompt");
    choices = [{ index: 0, message: { role: "assistant", content: null, refusal }, finish_reason: "content_filter", logprobs: null }];
  }
  const completion: ChatCompletion = {
    id: w.responseId ?? "",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: w.modelVersion || target.model.id,
    choices,
  };
  const usage = toUsage(w.usageMetadata);
  if (usage) completion.usage = usage;
  return completion;
}
