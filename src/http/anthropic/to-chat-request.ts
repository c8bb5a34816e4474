/**
 * An Anthropic Messages request → the canonical (OpenAI) chat request, so the same routing and
 * execution serve Claude clients: `system` becomes a system message, tool_result blocks become
 * tool messages (ahead of the rest of their user turn, as OpenAI orders them), tool_use blocks
 * become tool calls, images and PDFs become image_url and file parts.
 */
import { ChatRequestSchema, type ChatMessage, type ChatRequest, type ContentPart } from "../../core/chat-request";
import { badRequest } from "../../core/errors";
import { toDataUrl } from "../../core/data-url";
import { invalidBody } from "../openai-codec";
import { MessagesRequestSchema, type ContentBlockT, type MessagesRequest } from "./request-schema";

function userPart(block: ContentBlockT): ContentPart | null {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "image":
      return { type: "image_url", image_url: { url: block.source.type === "base64" ? toDataUrl(block.source.media_type, block.source.data) : block.source.url } };
    case "document":
      if (block.source.type === "text") return { type: "text", text: block.source.data };
      if (block.source.type === "base64") return { type: "file", file: { file_data: toDataUrl(block.source.media_type, block.source.data), filename: block.title ?? "document.pdf" } };
      throw badRequest("documents by URL are not supported by this gateway; send them base64-encoded", "messages");
    default:
      return null;
  }
}

function toolResultText(block: Extract<ContentBlockT, { type: "tool_result" }>): string {
  const content = block.content;
  let text: string;
  if (content === undefined) text = "";
  else if (typeof content === "string") text = content;
  else {
    if (content.some((c) => c.type === "image")) throw badRequest("images inside tool results are not supported by this gateway", "messages");
    text = content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  }
  // OpenAI tool messages have no error flag; the model still needs to know.
  return block.is_error ? `Error: ${text}` : text;
}

function userMessages(content: MessagesRequest["messages"][number]["content"]): ChatMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of content) {
    if (block.type === "tool_result") out.push({ role: "tool", tool_call_id: block.tool_use_id, content: toolResultText(block) });
    else if (block.type === "tool_use") throw badRequest("tool_use blocks belong in assistant messages", "messages");
    else {
      const part = userPart(block);
      if (part) parts.push(part);
    }
  }
  if (parts.length > 0) out.push({ role: "user", content: parts });
  return out;
}

function assistantMessage(content: MessagesRequest["messages"][number]["content"]): ChatMessage {
  if (typeof content === "string") return { role: "assistant", content };
  let text = "";
  const toolCalls: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }> = [];
  for (const block of content) {
    if (block.type === "text") text += block.text;
    else if (block.type === "tool_use") toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    else if (block.type !== "thinking" && block.type !== "redacted_thinking") throw badRequest(`${block.type} blocks belong in user messages`, "messages");
  }
  return { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
}

function toolChoice(req: MessagesRequest): Pick<ChatRequest, "tool_choice" | "parallel_tool_calls"> {
  const c = req.tool_choice;
  if (!c) return {};
  const choice: ChatRequest["tool_choice"] =
    c.type === "tool" ? { type: "function", function: { name: c.name } } : c.type === "any" ? "required" : c.type;
  return { tool_choice: choice, ...(c.disable_parallel_tool_use ? { parallel_tool_calls: false } : {}) };
}

export function toChatRequest(req: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  if (req.system !== undefined) {
    const system = typeof req.system === "string" ? req.system : req.system.map((b) => b.text).join("\n");
    if (system !== "") messages.push({ role: "system", content: system });
  }
  for (const m of req.messages) {
    if (m.role === "user") messages.push(...userMessages(m.content));
    else messages.push(assistantMessage(m.content));
  }
  const functionTools: Array<{ name: string; description?: string; input_schema: Record<string, unknown> }> = [];
  let webSearch = false;
  for (const t of req.tools ?? []) {
    if (typeof t.type === "string" && /^web_search_\d+$/.test(t.type)) webSearch = true;
    else if (t.type !== undefined && t.type !== null && t.type !== "custom") throw badRequest(`server tool "${t.name}" cannot run through this gateway`, "tools");
    else functionTools.push(t as (typeof functionTools)[number]);
  }
  const format = req.output_config?.format ?? req.output_format;
  const canonical = {
    model: req.model,
    messages,
    max_tokens: req.max_tokens,
    ...(req.stream !== undefined ? { stream: req.stream } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.top_p !== undefined ? { top_p: req.top_p } : {}),
    ...(req.stop_sequences && req.stop_sequences.length > 0 ? { stop: req.stop_sequences } : {}),
    ...(req.metadata?.user_id ? { user: req.metadata.user_id } : {}),
    ...(webSearch ? { web_search_options: {} } : {}),
    ...(functionTools.length > 0
      ? { tools: functionTools.map((t) => ({ type: "function" as const, function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema } })) }
      : {}),
    ...toolChoice(req),
    ...(format ? { response_format: { type: "json_schema" as const, json_schema: { name: "response", schema: format.schema, strict: true } } } : {}),
  };
  return validated(canonical);
}

function validated(canonical: unknown): ChatRequest {
  const parsed = ChatRequestSchema.safeParse(canonical);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

export function parseMessagesRequest(body: unknown): ChatRequest {
  const parsed = MessagesRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  return toChatRequest(parsed.data);
}
