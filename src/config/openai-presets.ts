/**
 * OpenAI-compatible APIs: each is the one OpenAI-wire adapter plus a base URL and its quirks,
 * not a copy of the adapter.
 */
export const OPENAI_COMPATIBLE_PRESETS = ["openai", "groq", "deepseek", "mistral", "xai", "together", "openrouter", "ollama", "vllm"] as const;
export type OpenAICompatiblePreset = (typeof OPENAI_COMPATIBLE_PRESETS)[number];

export interface OpenAICompatibleQuirks {
  baseUrl: string;
  /** Accepts `stream_options: {include_usage: true}` (so streams end with a usage chunk). */
  streamUsageOption: boolean;
  /** Rejects `max_tokens` for some models and wants `max_completion_tokens` (OpenAI's reasoning models). */
  prefersMaxCompletionTokens: boolean;
  /** Returns per-token logprobs when asked. */
  logprobs: boolean;
  /** Needs no API key (local servers). */
  keyless: boolean;
  /** Continues a trailing assistant message marked `prefix: true` (prefix completion), used to resume a cut answer. */
  assistantPrefix: boolean;
}

const base: Omit<OpenAICompatibleQuirks, "baseUrl"> = {
  streamUsageOption: true,
  prefersMaxCompletionTokens: false,
  logprobs: true,
  keyless: false,
  assistantPrefix: false,
};

export const PRESET_QUIRKS: Record<OpenAICompatiblePreset, OpenAICompatibleQuirks> = {
  openai: { ...base, baseUrl: "https://api.openai.com/v1", prefersMaxCompletionTokens: true },
  groq: { ...base, baseUrl: "https://api.groq.com/openai/v1", logprobs: false },
  deepseek: { ...base, baseUrl: "https://api.deepseek.com/v1" },
  // Mistral always ends a stream with usage and rejects unknown stream options.
  // Prefix completion on the standard endpoint (DeepSeek has it only on its /beta base URL).
  mistral: { ...base, baseUrl: "https://api.mistral.ai/v1", streamUsageOption: false, logprobs: false, assistantPrefix: true },
  xai: { ...base, baseUrl: "https://api.x.ai/v1" },
  together: { ...base, baseUrl: "https://api.together.xyz/v1" },
  openrouter: { ...base, baseUrl: "https://openrouter.ai/api/v1" },
  ollama: { ...base, baseUrl: "http://127.0.0.1:11434/v1", keyless: true, logprobs: false },
  vllm: { ...base, baseUrl: "http://127.0.0.1:8000/v1", keyless: true },
};

/** Quirks for a provider entry: its preset's, or plain OpenAI-wire behaviour for a bare base URL. */
export function quirksFor(preset: OpenAICompatiblePreset | undefined, baseUrl: string | undefined): OpenAICompatibleQuirks {
  const q = preset ? PRESET_QUIRKS[preset] : { ...base, baseUrl: "" };
  return baseUrl ? { ...q, baseUrl } : q;
}
