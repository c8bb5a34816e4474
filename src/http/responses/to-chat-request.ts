/**
 * A Responses API request → the canonical (Chat Completions) request, so the same routing and
 * execution answer it with every provider: `instructions` and system/developer items become
 * system messages, function_call items become an assistant turn's tool calls, their outputs tool
 * messages, input images image_url parts. Nothing is stored (`store: false` semantics): a request
 * that needs stored state (`previous_response_id`, `conversation`, item references, background
 * mode) is refused with a 400 that says so.
 */
import { ChatRequestSchema, type ChatMessage, type ChatRequest, type ContentPart } from "../../core/chat-request";
import { badRequest } from "../../core/errors";
import { invalidBody } from "../openai-codec";
import { ResponsesRequestSchema, type ResponsesContentItem, type ResponsesInputItem, type ResponsesRequest } from "./request-schema";

const NOT_STORED = "this gateway does not store responses (store: false semantics); send the whole conversation in `input`";

function userPart(c: ResponsesContentItem): ContentPart {
  switch (c.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: c.text };
    case "refusal":
      return { type: "text", text: c.refusal };
    case "input_image":
      if (!c.image_url) throw badRequest("input_image needs an image_url (a URL or a data: URL); file ids need the Files API, which this gateway does not have", "input");
      return { type: "image_url", image_url: { url: c.image_url, ...(c.detail ? { detail: c.detail } : {}) } };
    case "input_file":
      if (!c.file_data) throw badRequest("input_file needs file_data (base64 data URL); file ids and URLs are not supported by this gateway", "input");
      return { type: "file", file: { file_data: c.file_data, filename: c.filename ?? "document.pdf" } };
  }
}

const textOf = (content: string | ResponsesContentItem[]) =>
  typeof content === "string" ? content : content.map((c) => (c.type === "input_text" || c.type === "output_text" ? c.text : c.type === "refusal" ? c.refusal : "")).join("");

function toolOutput(output: string | ResponsesContentItem[]): string {
  if (typeof output === "string") return output;
  if (output.some((c) => c.type !== "input_text" && c.type !== "output_text")) throw badRequest("only text is supported inside function_call_output by this gateway", "input");
  return textOf(output);
}

export function toMessages(input: ResponsesRequest["input"], instructions: string | null | undefined): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (instructions) messages.push({ role: "system", content: instructions });
  const items: ResponsesInputItem[] = typeof input === "string" ? [{ role: "user", content: input }] : input;
  for (const item of items) {
    if (!("type" in item) || item.type === undefined || item.type === "message") {
      const m = item as Extract<ResponsesInputItem, { role: string }>;
      if (m.role === "system" || m.role === "developer") messages.push({ role: "system", content: textOf(m.content) });
      else if (m.role === "assistant") messages.push({ role: "assistant", content: textOf(m.content) });
      else messages.push({ role: "user", content: typeof m.content === "string" ? m.content : m.content.map(userPart) });
      continue;
    }
    switch (item.type) {
      case "function_call": {
        const call = { id: item.call_id, type: "function" as const, function: { name: item.name, arguments: item.arguments } };
        const last = messages.at(-1);
        // Consecutive calls (and the text before them) are one assistant turn.
        if (last?.role === "assistant") {
          last.tool_calls = [...(last.tool_calls ?? []), call];
          if (last.content === "") last.content = null;
        } else messages.push({ role: "assistant", content: null, tool_calls: [call] });
        break;
      }
      case "function_call_output":
        messages.push({ role: "tool", tool_call_id: item.call_id, content: toolOutput(item.output) });
        break;
      case "reasoning":
        break;
      case "item_reference":
        throw badRequest(`item_reference "${item.id}" cannot be resolved: ${NOT_STORED}`, "input", "item_reference_unsupported");
    }
  }
  return messages;
}

const WEB_SEARCH_TOOLS = new Set(["web_search", "web_search_preview"]);

/** Function tools as chat tools; the web_search tool as `web_search_options` (allowed only where the model's entry says so). */
function tools(req: ResponsesRequest): Pick<ChatRequest, "tools"> & { web_search_options?: Record<string, never> } {
  if (!req.tools || req.tools.length === 0) return {};
  const search = req.tools.some((t) => WEB_SEARCH_TOOLS.has(t.type));
  const fns = req.tools.filter((t) => !WEB_SEARCH_TOOLS.has(t.type));
  return {
    ...(search ? { web_search_options: {} } : {}),
    ...(fns.length === 0 ? {} : { tools: fns.map((t) => {
      if (t.type !== "function" || !("name" in t)) throw badRequest(`tool type "${t.type}" cannot run through this gateway (only function tools)`, "tools");
      const fn = t as { name: string; description?: string | null; parameters?: Record<string, unknown> | null; strict?: boolean | null };
      return {
        type: "function" as const,
        function: {
          name: fn.name,
          ...(fn.description ? { description: fn.description } : {}),
          ...(fn.parameters ? { parameters: fn.parameters } : {}),
          ...(fn.strict != null ? { strict: fn.strict } : {}),
        },
      };
    }) }),
  };
}

function toolChoice(req: ResponsesRequest): Pick<ChatRequest, "tool_choice"> {
  const c = req.tool_choice;
  if (c === undefined) return {};
  if (typeof c === "string") return { tool_choice: c };
  if (c.type === "function" && typeof c.name === "string") return { tool_choice: { type: "function", function: { name: c.name } } };
  throw badRequest(`tool_choice of type "${c.type}" is not supported by this gateway`, "tool_choice");
}

function responseFormat(req: ResponsesRequest): Pick<ChatRequest, "response_format"> {
  const f = req.text?.format;
  if (!f || f.type === "text") return {};
  if (f.type === "json_object") return { response_format: { type: "json_object" } };
  return {
    response_format: {
      type: "json_schema",
      json_schema: { name: f.name || "response", schema: f.schema, ...(f.description ? { description: f.description } : {}), ...(f.strict != null ? { strict: f.strict } : {}) },
    },
  };
}

export function toChatRequest(req: ResponsesRequest): ChatRequest {
  if (req.previous_response_id) throw badRequest(`previous_response_id is not supported: ${NOT_STORED}`, "previous_response_id", "previous_response_unsupported");
  if (req.conversation !== undefined && req.conversation !== null) throw badRequest(`conversation is not supported: ${NOT_STORED}`, "conversation", "conversation_unsupported");
  if (req.background) throw badRequest("background mode needs stored responses, which this gateway does not keep", "background");
  const user = req.user ?? req.safety_identifier;
  const canonical = {
    model: req.model,
    messages: toMessages(req.input, req.instructions),
    ...(req.stream ? { stream: true } : {}),
    ...(req.temperature != null ? { temperature: req.temperature } : {}),
    ...(req.top_p != null ? { top_p: req.top_p } : {}),
    ...(req.max_output_tokens != null ? { max_tokens: req.max_output_tokens } : {}),
    ...(req.parallel_tool_calls != null ? { parallel_tool_calls: req.parallel_tool_calls } : {}),
    ...(user ? { user } : {}),
    ...(req.metadata ? { metadata: req.metadata } : {}),
    ...(typeof req.service_tier === "string" ? { service_tier: req.service_tier } : {}),
    ...tools(req),
    ...toolChoice(req),
    ...responseFormat(req),
  };
  const parsed = ChatRequestSchema.safeParse(canonical);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

export function parseResponsesRequest(body: unknown): { request: ChatRequest; original: ResponsesRequest } {
  const parsed = ResponsesRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  return { request: toChatRequest(parsed.data), original: parsed.data };
}
