/**
 * `response_format` on Anthropic: native structured output (`output_config.format`) where the
 * model entry says it has it (`capabilities.jsonSchema: true`), otherwise a forced tool whose
 * input schema is the wanted schema — the model "calls" it and the gateway hands the input
 * back as the answer's text. The tool is the gateway's own, so its call never reaches the client.
 */
import type { ChatRequest } from "../../core/chat-request";
import type { ModelEntry } from "../../config/schema";

export const JSON_TOOL_NAME = "json";
export const JSON_TOOL_DESCRIPTION = "Respond with a JSON object that matches this schema. Put the whole answer in the input.";

export type JsonOutput =
  | { mode: "none" }
  | { mode: "native"; schema: Record<string, unknown> }
  | { mode: "tool"; schema: Record<string, unknown> };

const ANY_OBJECT: Record<string, unknown> = { type: "object", additionalProperties: true };

export function jsonOutput(request: Pick<ChatRequest, "response_format">, model: Pick<ModelEntry, "capabilities">): JsonOutput {
  const rf = request.response_format;
  if (!rf || rf.type === "text") return { mode: "none" };
  const schema = rf.type === "json_schema" ? rf.json_schema.schema : undefined;
  if (schema && model.capabilities?.jsonSchema === true) return { mode: "native", schema };
  // Tool input schemas must describe an object.
  return { mode: "tool", schema: schema ? { type: "object", ...schema } : ANY_OBJECT };
}
