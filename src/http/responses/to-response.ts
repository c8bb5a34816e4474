/**
 * Canonical answers → the Responses API's `response` object: one `message` item (output_text, or
 * a refusal) and one `function_call` item per tool call, usage as input/output tokens, status
 * `incomplete` when the answer hit max_output_tokens or a content filter. The request's own
 * settings are echoed back as the API does; `store` is always false (nothing is kept).
 */
import type { ChatCompletion, FinishReason, ToolCallOut, Usage } from "../../core/chat-response";
import type { ResponsesRequest } from "./request-schema";

export const hexId = (prefix: string) => {
  let hex = "";
  for (const b of crypto.getRandomValues(new Uint8Array(12))) hex += b.toString(16).padStart(2, "0");
  return `${prefix}_${hex}`;
};

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export function toResponsesUsage(u: Usage | undefined): ResponsesUsage | null {
  if (!u) return null;
  return {
    input_tokens: u.prompt_tokens,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: u.completion_tokens,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: u.total_tokens,
  };
}

export function statusOf(finish: FinishReason | null): { status: "completed" | "incomplete"; incomplete_details: { reason: string } | null } {
  if (finish === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finish === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

export type OutputItem = Record<string, unknown> & { type: string; id: string };

export function messageItem(id: string, text: string, status: string, refusal = ""): OutputItem {
  const content = refusal && !text ? [{ type: "refusal", refusal }] : [{ type: "output_text", text, annotations: [], logprobs: [] }];
  return { id, type: "message", status, role: "assistant", content };
}

export function functionCallItem(id: string, call: Pick<ToolCallOut, "id"> & { function: { name: string; arguments: string } }, status: string): OutputItem {
  return { id, type: "function_call", status, call_id: call.id, name: call.function.name, arguments: call.function.arguments };
}

/** The response object around its output: what the client asked for, echoed. */
export function responseObject(id: string, createdAt: number, model: string, req: ResponsesRequest, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id,
    object: "response",
    created_at: createdAt,
    status: "in_progress",
    background: false,
    error: null,
    incomplete_details: null,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: req.temperature ?? null,
    text: { format: req.text?.format ?? { type: "text" } },
    tool_choice: req.tool_choice ?? "auto",
    tools: req.tools ?? [],
    top_p: req.top_p ?? null,
    truncation: "disabled",
    usage: null,
    user: req.user ?? null,
    metadata: req.metadata ?? {},
    ...fields,
  };
}

export function toResponse(completion: ChatCompletion, req: ResponsesRequest): Record<string, unknown> {
  const choice = completion.choices[0];
  const message = choice?.message;
  const text = typeof message?.content === "string" ? message.content : "";
  const refusal = typeof message?.refusal === "string" ? message.refusal : "";
  const calls = message?.tool_calls ?? [];
  const { status, incomplete_details } = statusOf(choice?.finish_reason ?? null);
  const itemStatus = status === "completed" ? "completed" : "incomplete";
  const output: OutputItem[] = [];
  if (text || refusal || calls.length === 0) output.push(messageItem(hexId("msg"), text, itemStatus, refusal));
  for (const call of calls) output.push(functionCallItem(hexId("fc"), call, "completed"));
  return responseObject(hexId("resp"), completion.created, completion.model, req, { status, incomplete_details, output, usage: toResponsesUsage(completion.usage) });
}
