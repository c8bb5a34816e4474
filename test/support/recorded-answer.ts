/**
 * What a recorded provider response says, read straight from the recording with no gateway code:
 * the answer text, reasoning, tool calls (names and parsed arguments), the finish reason in
 * OpenAI's terms, and the billed token counts. The recordings suite compares the gateway's
 * output with this. Deliberately plain: one small reader per wire, stream and non-stream.
 */
export interface ExpectedAnswer {
  text: string;
  reasoning: string;
  refusal: string;
  toolCalls: Array<{ name: string; args: unknown }>;
  finishReason: string | null;
  /** Input tokens including cache reads and writes; output tokens including reasoning. */
  usage: { prompt: number; completion: number; cached: number } | null;
}

export interface ExpectedError {
  error: { message: string; type?: string; code?: string; param?: string };
}

// The recorded shapes, as far as this reader looks.
interface OAUsage { prompt_tokens: number; total_tokens: number; prompt_tokens_details?: { cached_tokens?: number } }
type OAContent = string | null | Array<{ type: string; text?: string; thinking?: Array<{ text: string }> }>;
interface OAMessage {
  content?: OAContent;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: Array<{ index?: number; function?: { name?: string; arguments?: string } }> | null;
}
interface OABody { error?: ExpectedError["error"]; choices: Array<{ message: OAMessage; finish_reason: string }>; usage?: OAUsage }
interface OAChunk { choices?: Array<{ delta?: OAMessage; finish_reason?: string | null }>; usage?: OAUsage | null; x_groq?: { usage?: OAUsage } }

interface AUsage { input_tokens?: number | null; output_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }
interface ABlock { type: string; text?: string; thinking?: string; name?: string; input?: unknown }
interface AMessage { content: ABlock[]; stop_reason: string; stop_details?: { explanation?: string } | null; usage: AUsage }
interface AEvent {
  type: string;
  index?: number;
  message?: { usage?: AUsage };
  content_block?: ABlock;
  delta?: { type?: string; text?: string; thinking?: string; partial_json?: string; stop_reason?: string; stop_details?: { explanation?: string } | null };
  usage?: AUsage;
}

interface GPart {
  text?: string;
  thought?: boolean;
  functionCall?: { name?: string; args?: Record<string, unknown>; willContinue?: boolean; partialArgs?: Array<{ jsonPath: string; stringValue?: string }> };
}
interface GUsage { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; cachedContentTokenCount?: number }
interface GResponse { candidates?: Array<{ content?: { parts?: GPart[] }; finishReason?: string }>; usageMetadata?: GUsage }

const empty = (): ExpectedAnswer => ({ text: "", reasoning: "", refusal: "", toolCalls: [], finishReason: null, usage: null });
const lines = <T>(text: string): T[] => text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as T);
const parseArgs = (s: string): unknown => (s.trim() === "" ? {} : JSON.parse(s));

// ---- OpenAI chat-completions wire (openai, groq, deepseek, mistral, xai) ----

const OPENAI_FINISH: Record<string, string> = { stop: "stop", length: "length", tool_calls: "tool_calls", content_filter: "content_filter", model_length: "length" };

function openAIContent(content: OAContent | undefined, into: ExpectedAnswer): void {
  if (typeof content === "string") into.text += content;
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (part.type === "text") into.text += part.text ?? "";
      if (part.type === "thinking") for (const t of part.thinking ?? []) into.reasoning += t.text;
    }
  }
}

function openAIUsage(u: OAUsage | undefined | null): ExpectedAnswer["usage"] {
  if (!u) return null;
  // Billed output is everything beyond the prompt: xAI leaves reasoning out of completion_tokens but not out of the total.
  return { prompt: u.prompt_tokens, completion: u.total_tokens - u.prompt_tokens, cached: u.prompt_tokens_details?.cached_tokens ?? 0 };
}

export function readOpenAIJson(body: OABody): ExpectedAnswer | ExpectedError {
  if (body.error) return { error: body.error };
  const out = empty();
  const c = body.choices[0];
  if (!c) throw new Error("test reader: no choices");
  openAIContent(c.message.content, out);
  out.reasoning += c.message.reasoning_content ?? c.message.reasoning ?? "";
  for (const tc of c.message.tool_calls ?? []) out.toolCalls.push({ name: tc.function?.name ?? "", args: parseArgs(tc.function?.arguments ?? "") });
  out.finishReason = OPENAI_FINISH[c.finish_reason] ?? null;
  out.usage = openAIUsage(body.usage);
  return out;
}

export function readOpenAIChunks(text: string): ExpectedAnswer {
  const out = empty();
  const calls: Array<{ name: string; args: string }> = [];
  for (const chunk of lines<OAChunk>(text)) {
    const u = chunk.usage ?? chunk.x_groq?.usage;
    if (u) out.usage = openAIUsage(u);
    for (const c of chunk.choices ?? []) {
      const d = c.delta ?? {};
      openAIContent(d.content, out);
      out.reasoning += d.reasoning_content ?? d.reasoning ?? "";
      for (const tc of d.tool_calls ?? []) {
        const slot = (calls[tc.index ?? 0] ??= { name: "", args: "" });
        slot.name += tc.function?.name ?? "";
        slot.args += tc.function?.arguments ?? "";
      }
      if (c.finish_reason) out.finishReason = OPENAI_FINISH[c.finish_reason] ?? null;
    }
  }
  out.toolCalls = calls.map((c) => ({ name: c.name, args: parseArgs(c.args) }));
  return out;
}

// ---- Anthropic Messages ----

const ANTHROPIC_FINISH: Record<string, string> = { end_turn: "stop", stop_sequence: "stop", max_tokens: "length", tool_use: "tool_calls", refusal: "content_filter" };

function anthropicUsage(u: AUsage): ExpectedAnswer["usage"] {
  const cached = u.cache_read_input_tokens ?? 0;
  return { prompt: (u.input_tokens ?? 0) + cached + (u.cache_creation_input_tokens ?? 0), completion: u.output_tokens ?? 0, cached };
}

export function readAnthropicJson(body: AMessage): ExpectedAnswer {
  const out = empty();
  for (const block of body.content) {
    if (block.type === "text") out.text += block.text ?? "";
    if (block.type === "thinking") out.reasoning += block.thinking ?? "";
    if (block.type === "tool_use") out.toolCalls.push({ name: block.name ?? "", args: block.input });
  }
  out.finishReason = ANTHROPIC_FINISH[body.stop_reason] ?? null;
  if (body.stop_reason === "refusal") out.refusal = body.stop_details?.explanation ?? "";
  out.usage = anthropicUsage(body.usage);
  return out;
}

export function readAnthropicChunks(text: string): ExpectedAnswer {
  const out = empty();
  let usage: Record<string, number | null | undefined> = {};
  let started = false;
  const blocks = new Map<number, { type: string; name: string; json: string }>();
  for (const e of lines<AEvent>(text)) {
    const index = e.index ?? -1;
    if (e.type === "message_start" && !started) {
      started = true;
      usage = { ...e.message?.usage };
    }
    if (e.type === "content_block_start" && e.content_block) blocks.set(index, { type: e.content_block.type, name: e.content_block.name ?? "", json: "" });
    if (e.type === "content_block_delta" && e.delta) {
      const b = blocks.get(index);
      if (e.delta.type === "text_delta") out.text += e.delta.text ?? "";
      if (e.delta.type === "thinking_delta") out.reasoning += e.delta.thinking ?? "";
      if (e.delta.type === "input_json_delta" && b) b.json += e.delta.partial_json ?? "";
    }
    if (e.type === "message_delta" && e.delta) {
      for (const [k, v] of Object.entries(e.usage ?? {})) if (v !== null) usage[k] = v;
      out.finishReason = ANTHROPIC_FINISH[e.delta.stop_reason ?? ""] ?? null;
      if (e.delta.stop_reason === "refusal") out.refusal = e.delta.stop_details?.explanation ?? "";
    }
  }
  for (const b of [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => b)) {
    if (b.type === "tool_use") out.toolCalls.push({ name: b.name, args: parseArgs(b.json) });
  }
  out.usage = anthropicUsage(usage);
  return out;
}

// ---- Gemini ----

const GEMINI_BLOCKED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"]);

function geminiFinish(reason: string | undefined, hasCalls: boolean): string | null {
  if (!reason) return null;
  if (reason === "MAX_TOKENS") return "length";
  if (GEMINI_BLOCKED.has(reason)) return "content_filter";
  return hasCalls ? "tool_calls" : "stop";
}

function geminiUsage(u: GUsage | undefined): ExpectedAnswer["usage"] {
  if (!u || u.promptTokenCount === undefined) return null;
  return { prompt: u.promptTokenCount, completion: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0), cached: u.cachedContentTokenCount ?? 0 };
}

export function readGeminiJson(body: GResponse): ExpectedAnswer {
  const out = empty();
  const c = body.candidates?.[0];
  for (const part of c?.content?.parts ?? []) {
    if (part.functionCall) out.toolCalls.push({ name: part.functionCall.name ?? "", args: part.functionCall.args ?? {} });
    else if (part.thought) out.reasoning += part.text ?? "";
    else out.text += part.text ?? "";
  }
  out.finishReason = geminiFinish(c?.finishReason, out.toolCalls.length > 0);
  out.usage = geminiUsage(body.usageMetadata);
  return out;
}

/** Streamed calls may send their arguments as `partialArgs` (top-level `$.name` paths in the recordings). */
export function readGeminiChunks(text: string): ExpectedAnswer {
  const out = empty();
  let open: { name: string; args: Record<string, string> } | null = null;
  let finish: string | undefined;
  for (const chunk of lines<GResponse>(text)) {
    const u = geminiUsage(chunk.usageMetadata);
    if (u) out.usage = u;
    const c = chunk.candidates?.[0];
    for (const part of c?.content?.parts ?? []) {
      const fc = part.functionCall;
      if (fc) {
        if (fc.name && !fc.willContinue) out.toolCalls.push({ name: fc.name, args: fc.args ?? {} });
        else if (fc.name) open = { name: fc.name, args: {} };
        for (const pa of fc.partialArgs ?? []) {
          const key = /^\$\.(\w+)$/.exec(pa.jsonPath)?.[1];
          if (!key || !open) throw new Error(`test reader: unexpected partial arg ${JSON.stringify(pa)}`);
          open.args[key] = (open.args[key] ?? "") + (pa.stringValue ?? "");
        }
        if (!fc.name && !fc.willContinue && open) {
          out.toolCalls.push(open);
          open = null;
        }
      } else if (part.thought) out.reasoning += part.text ?? "";
      else out.text += part.text ?? "";
    }
    if (c?.finishReason) finish = c.finishReason;
  }
  out.finishReason = geminiFinish(finish, out.toolCalls.length > 0);
  return out;
}

export function readRecording(provider: string, stream: boolean, text: string): ExpectedAnswer | ExpectedError {
  if (provider === "anthropic") return stream ? readAnthropicChunks(text) : readAnthropicJson(JSON.parse(text) as AMessage);
  if (provider === "google") return stream ? readGeminiChunks(text) : readGeminiJson(JSON.parse(text) as GResponse);
  return stream ? readOpenAIChunks(text) : readOpenAIJson(JSON.parse(text) as OABody);
}
