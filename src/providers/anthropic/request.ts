/** A canonical (OpenAI) chat request → an Anthropic Messages request body. */
import { requestedMaxTokens, type ChatRequest } from "../../core/chat-request";
import { badRequest } from "../../core/errors";
import { billableAsk } from "../../core/billable-ask";
import type { UpstreamTarget } from "../types";
import { unsupported } from "../unsupported";
import { JSON_TOOL_DESCRIPTION, JSON_TOOL_NAME, jsonOutput } from "./json-output";
import { toAnthropicMessages } from "./messages";

/** `max_tokens` is required by Anthropic: the client's, else the model entry's, else this. */
export const DEFAULT_MAX_TOKENS = 4096;

type Tool = Record<string, unknown>;

function toolsOf(request: ChatRequest, strictAllowed: boolean): Tool[] {
  return (request.tools ?? []).map((t) => {
    const params = t.function.parameters ?? {};
    return {
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      // Anthropic wants an object schema, even for a tool with no parameters.
      input_schema: { type: "object", ...params },
      ...(strictAllowed && t.function.strict === true ? { strict: true } : {}),
    };
  });
}

function toolChoiceOf(request: ChatRequest): Record<string, unknown> | undefined {
  const choice = request.tool_choice;
  const noParallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return request.parallel_tool_calls === false ? { type: "auto", ...noParallel } : undefined;
  if (choice === "none") return { type: "none" };
  if (choice === "auto") return { type: "auto", ...noParallel };
  if (choice === "required") return { type: "any", ...noParallel };
  return { type: "tool", name: choice.function.name, ...noParallel };
}

export function toAnthropicBody(request: ChatRequest, target: UpstreamTarget, stream: boolean): Record<string, unknown> {
  if ((request.n ?? 1) > 1) throw unsupported(target, "n > 1 (several choices per request)", "n");
  const { system, messages } = toAnthropicMessages(request.messages, target);
  const body: Record<string, unknown> = {
    model: target.model.id,
    max_tokens: requestedMaxTokens(request) ?? target.model.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system !== undefined) body.system = system;
  if (stream) body.stream = true;
  // Anthropic's temperature runs 0..1 (OpenAI's 0..2), and recent models refuse temperature and top_p together.
  if (request.temperature != null) body.temperature = Math.min(1, request.temperature);
  else if (request.top_p != null) body.top_p = request.top_p;
  if (request.stop != null) body.stop_sequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  if (request.user) body.metadata = { user_id: request.user };

  const structured = target.model.capabilities?.jsonSchema === true;
  let tools = toolsOf(request, structured);
  let toolChoice = tools.length > 0 ? toolChoiceOf(request) : undefined;
  const json = jsonOutput(request, target.model);
  if (json.mode === "native") body.output_config = { format: { type: "json_schema", schema: json.schema } };
  if (json.mode === "tool") {
    if (tools.some((t) => t.name === JSON_TOOL_NAME)) {
      throw badRequest(`a tool named "${JSON_TOOL_NAME}" cannot be combined with response_format on ${target.alias}`, "tools");
    }
    // With tools the client lets it use, the model must call one of them or answer through the JSON tool.
    if (request.tool_choice === "none") tools = [];
    toolChoice = tools.length > 0 ? { type: "any" } : { type: "tool", name: JSON_TOOL_NAME };
    tools.push({ name: JSON_TOOL_NAME, description: JSON_TOOL_DESCRIPTION, input_schema: json.schema });
  }
  // Web search (allowed for this model by its entry, access/billable.ts): at most one billed search per call.
  if (billableAsk(request).webSearch) tools.push({ type: "web_search_20250305", name: "web_search", max_uses: 1 });
  if (tools.length > 0) body.tools = tools;
  if (toolChoice !== undefined) body.tool_choice = toolChoice;
  return body;
}
