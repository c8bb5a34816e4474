/** An Anthropic message → a canonical chat.completion. */
import type { ChatCompletion, ToolCallOut } from "../../core/chat-response";
import { argumentsString } from "../../core/tool-arguments";
import type { AnswerNotes, UpstreamTarget } from "../types";
import { JSON_TOOL_NAME } from "./json-output";
import { DEFAULT_REFUSAL, mapStopReason, toUsage } from "./normalize";
import type { WireMessageT } from "./wire-schema";

/**
 * `jsonTool`: the request's response_format went as the gateway's forced JSON tool. When the
 * model called it, its input is the whole answer: text blocks the model wrote beside the call
 * would not parse with it, so they are dropped (and reported through `notes`, for the ledger).
 */
export function toCompletion(w: WireMessageT, target: UpstreamTarget, jsonTool: boolean, notes: AnswerNotes = {}): ChatCompletion {
  const answeredByTool = jsonTool && w.content.some((b) => b.type === "tool_use" && b.name === JSON_TOOL_NAME);
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCallOut[] = [];
  for (const block of w.content) {
    if (block.type === "text") {
      if (!answeredByTool) text += block.text ?? "";
      else if (block.text) notes.onDroppedBlock?.();
    } else if (block.type === "thinking") reasoning += block.thinking ?? "";
    else if (block.type === "tool_use" && block.name) {
      const args = argumentsString(block.input);
      if (jsonTool && block.name === JSON_TOOL_NAME) text += args;
      else toolCalls.push({ id: block.id ?? `toolu_${toolCalls.length}`, type: "function", function: { name: block.name, arguments: args } });
    }
  }
  let finish = mapStopReason(w.stop_reason);
  // The forced JSON tool answered: to the client that is a finished text answer.
  if (jsonTool && finish === "tool_calls" && toolCalls.length === 0) finish = "stop";
  const refusal = w.stop_reason === "refusal" ? (w.stop_details?.explanation ?? DEFAULT_REFUSAL) : undefined;

  const message: ChatCompletion["choices"][number]["message"] = {
    role: "assistant",
    content: text.length > 0 || (toolCalls.length === 0 && refusal === undefined) ? text : null,
  };
  if (refusal !== undefined) message.refusal = refusal;
  if (reasoning.length > 0) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;

  const completion: ChatCompletion = {
    id: w.id ?? "",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: w.model || target.model.id,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
  };
  if (w.usage) completion.usage = toUsage(w.usage);
  return completion;
}
