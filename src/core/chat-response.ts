/**
 * The canonical response shapes: OpenAI `chat.completion` and `chat.completion.chunk`.
 * Providers produce these; execution and the HTTP edge consume them.
 */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_creation_tokens?: number; [k: string]: unknown };
  completion_tokens_details?: { reasoning_tokens?: number; [k: string]: unknown };
  [k: string]: unknown;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: Array<{ token: string; logprob: number; bytes?: number[] | null }>;
}

export interface ChoiceLogprobs {
  content: TokenLogprob[] | null;
  refusal?: TokenLogprob[] | null;
}

export interface ToolCallOut {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call" | "refusal" | "error";

export interface AssistantMessageOut {
  role: "assistant";
  content: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallOut[];
  /** Reasoning text, where the provider exposes it (DeepSeek's `reasoning_content`, Anthropic thinking, …). */
  reasoning_content?: string;
  [k: string]: unknown;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: AssistantMessageOut;
    finish_reason: FinishReason | null;
    logprobs: ChoiceLogprobs | null;
    [k: string]: unknown;
  }>;
  usage?: Usage;
  system_fingerprint?: string | null;
  [k: string]: unknown;
}

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChunkDelta {
  role?: "assistant";
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  tool_calls?: ToolCallDelta[];
  [k: string]: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: ChunkDelta;
    finish_reason: FinishReason | null;
    logprobs?: ChoiceLogprobs | null;
    [k: string]: unknown;
  }>;
  usage?: Usage | null;
  system_fingerprint?: string | null;
  [k: string]: unknown;
}

/** Does this chunk carry anything a client would see as the answer starting? */
export function chunkHasContent(chunk: ChatCompletionChunk): boolean {
  for (const c of chunk.choices) {
    const d = c.delta;
    if ((typeof d.content === "string" && d.content.length > 0) || (typeof d.reasoning_content === "string" && d.reasoning_content.length > 0)) return true;
    if (typeof d.refusal === "string" && d.refusal.length > 0) return true;
    if (d.tool_calls && d.tool_calls.length > 0) return true;
    if (c.finish_reason !== null && c.finish_reason !== undefined) return true;
  }
  return false;
}
