/** A canonical (OpenAI) chat request → a Gemini `generateContent` request body. */
import { requestedMaxTokens, type ChatRequest } from "../../core/chat-request";
import type { UpstreamTarget } from "../types";
import { toGeminiContents } from "./contents";
import { hasProperties, toGeminiSchema } from "./schema";

function generationConfig(request: ChatRequest, target: UpstreamTarget): Record<string, unknown> {
  const g: Record<string, unknown> = {};
  if (request.temperature != null) g.temperature = request.temperature;
  if (request.top_p != null) g.topP = request.top_p;
  const max = requestedMaxTokens(request);
  if (max !== undefined) g.maxOutputTokens = max;
  if (request.stop != null) g.stopSequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  if (request.n != null && request.n > 1) g.candidateCount = request.n;
  if (request.presence_penalty != null) g.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) g.frequencyPenalty = request.frequency_penalty;
  if (request.seed != null) g.seed = request.seed;
  // Not every Gemini model returns logprobs; asking one that does not is a 400, so an entry saying so is respected.
  if (request.logprobs === true && target.model.capabilities?.logprobs !== false) {
    g.responseLogprobs = true;
    if (request.top_logprobs) g.logprobs = request.top_logprobs;
  }
  const rf = request.response_format;
  if (rf && rf.type !== "text") {
    g.responseMimeType = "application/json";
    if (rf.type === "json_schema" && rf.json_schema.schema) g.responseSchema = toGeminiSchema(rf.json_schema.schema);
  }
  return g;
}

function toolConfig(request: ChatRequest): Record<string, unknown> | undefined {
  const choice = request.tool_choice;
  if (choice === undefined) return undefined;
  if (choice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (choice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (choice === "required") return { functionCallingConfig: { mode: "ANY" } };
  return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
}

export function toGeminiBody(request: ChatRequest, target: UpstreamTarget): Record<string, unknown> {
  const { systemInstruction, contents } = toGeminiContents(request.messages, target);
  const body: Record<string, unknown> = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const config = generationConfig(request, target);
  if (Object.keys(config).length > 0) body.generationConfig = config;
  if (request.tools && request.tools.length > 0) {
    body.tools = [{
      functionDeclarations: request.tools.map((t) => ({
        name: t.function.name,
        ...(t.function.description ? { description: t.function.description } : {}),
        ...(hasProperties(t.function.parameters) ? { parameters: toGeminiSchema(t.function.parameters) } : {}),
      })),
    }];
    const tc = toolConfig(request);
    if (tc) body.toolConfig = tc;
  }
  return body;
}
