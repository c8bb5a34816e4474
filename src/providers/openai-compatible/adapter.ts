/** The OpenAI chat-completions wire, for OpenAI and every compatible API (see presets.ts). */
import { GatewayError } from "../../core/errors";
import type { ChatRequest } from "../../core/chat-request";
import type { ChatCompletion, ChatCompletionChunk, ChunkDelta, ToolCallDelta } from "../../core/chat-response";
import { parseErrorBody, type ProviderErrorReading } from "../error-body";
import { eventJson, httpCall, inStreamError, readWire, type HttpTranslation } from "../http-adapter";
import type { CallOptions, ProviderAdapter, ProviderOf, UpstreamResult, UpstreamTarget } from "../types";
import { quirksFor, type OpenAICompatibleQuirks } from "../../config/openai-presets";
import { openAIEmbed } from "./embed";
import { mapFinishReason, splitContent, toUsage } from "./normalize";
import { openAIStreamEnding } from "./stream-ending";
import { WireChunk, WireCompletion, WireError } from "./wire-schema";

type OpenAIProvider = ProviderOf<"openai">;

function quirksOf(target: Pick<UpstreamTarget<OpenAIProvider>, "provider">): OpenAICompatibleQuirks {
  const p = target.provider;
  return quirksFor(p.preset, p.baseUrl);
}

const translation: HttpTranslation<OpenAIProvider> = {
  buildRequest(request, target, stream) {
    const quirks = quirksOf(target);
    const provider = target.provider;
    const body: Record<string, unknown> = { ...request, model: target.model.id, stream };
    // `metadata` is only accepted by OpenAI together with `store`; elsewhere it is the gateway's own.
    if (request.store !== true) delete body.metadata;
    if (stream && quirks.streamUsageOption) body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
    else delete body.stream_options;
    if (quirks.prefersMaxCompletionTokens && body.max_tokens != null && body.max_completion_tokens == null) {
      body.max_completion_tokens = body.max_tokens;
      delete body.max_tokens;
    }
    if (!quirks.logprobs || target.model.capabilities?.logprobs === false) {
      delete body.logprobs;
      delete body.top_logprobs;
    }
    const headers: Record<string, string> = { ...(provider.headers ?? {}) };
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    if (stream) headers.accept = "text/event-stream";
    return { url: `${quirks.baseUrl.replace(/\/+$/, "")}/chat/completions`, headers, body };
  },

  parseCompletion(json, target) {
    const w = readWire(WireCompletion, json, target);
    const completion: ChatCompletion = {
      id: w.id ?? "",
      object: "chat.completion",
      created: w.created ?? Math.floor(Date.now() / 1000),
      model: w.model || target.model.id,
      choices: w.choices.map((c, i) => {
        const { text, reasoning } = splitContent(c.message.content);
        const reasoningText = c.message.reasoning_content ?? c.message.reasoning ?? reasoning;
        const { reasoning: _r, reasoning_content: _rc, content: _c, tool_calls: toolCalls, ...rest } = c.message;
        const message: ChatCompletion["choices"][number]["message"] = { ...rest, role: "assistant", content: text };
        if (reasoningText) message.reasoning_content = reasoningText;
        if (toolCalls && toolCalls.length > 0) {
          message.tool_calls = toolCalls.map((tc, j) => ({
            id: tc.id ?? `call_${i}_${j}`,
            type: "function" as const,
            function: { name: tc.function.name ?? "", arguments: tc.function.arguments ?? "" },
          }));
        }
        return { index: c.index ?? i, message, finish_reason: mapFinishReason(c.finish_reason), logprobs: (c.logprobs as ChatCompletion["choices"][number]["logprobs"]) ?? null };
      }),
    };
    const usage = toUsage(w.usage ?? w.x_groq?.usage);
    if (usage) completion.usage = usage;
    if (w.system_fingerprint !== undefined) completion.system_fingerprint = w.system_fingerprint;
    return completion;
  },

  streamTransformer(target) {
    const ending = openAIStreamEnding(target);
    return {
      transform(event, controller) {
        if (ending.done(event.data)) return;
        const w = readWire(WireChunk, eventJson(event, target), target);
        if (w.error !== undefined) throw inStreamError(target, errorMessage(w.error));
        const chunk: ChatCompletionChunk = {
          id: w.id ?? "",
          object: "chat.completion.chunk",
          created: w.created ?? Math.floor(Date.now() / 1000),
          // Azure's first chunk (prompt filter results) has an empty id and model.
          model: w.model || target.model.id,
          choices: (w.choices ?? []).map((c, i) => {
            const d = c.delta ?? {};
            const delta: ChunkDelta = {};
            if (d.role === "assistant") delta.role = "assistant";
            const { text, reasoning } = splitContent(d.content);
            if (text !== null && (text.length > 0 || typeof d.content === "string")) delta.content = text;
            const reasoningText = d.reasoning_content ?? d.reasoning ?? reasoning;
            if (reasoningText) delta.reasoning_content = reasoningText;
            if (typeof d.refusal === "string") delta.refusal = d.refusal;
            if (d.tool_calls && d.tool_calls.length > 0) {
              delta.tool_calls = d.tool_calls.map((tc, j): ToolCallDelta => {
                const out: ToolCallDelta = { index: tc.index ?? j };
                if (tc.id) out.id = tc.id;
                if (tc.id || tc.type) out.type = "function";
                const fn: { name?: string; arguments?: string } = {};
                if (tc.function?.name) fn.name = tc.function.name;
                if (typeof tc.function?.arguments === "string") fn.arguments = tc.function.arguments;
                out.function = fn;
                return out;
              });
            }
            const choice: ChatCompletionChunk["choices"][number] = { index: c.index ?? i, delta, finish_reason: mapFinishReason(c.finish_reason) };
            if (c.logprobs) choice.logprobs = c.logprobs as ChatCompletionChunk["choices"][number]["logprobs"];
            return choice;
          }),
        };
        const usage = toUsage(w.usage ?? w.x_groq?.usage);
        if (usage) chunk.usage = usage;
        if (w.system_fingerprint !== undefined) chunk.system_fingerprint = w.system_fingerprint;
        ending.check(chunk);
        controller.enqueue(chunk);
      },
      flush: () => ending.finish(),
    };
  },

  parseError: (info) =>
    parseErrorBody(info, WireError, ({ error: e }): ProviderErrorReading => {
      if (typeof e === "string") return { message: e };
      return {
        message: e.message,
        ...(e.code !== undefined && e.code !== null ? { code: String(e.code) } : {}),
        ...(typeof e.param === "string" ? { param: e.param } : {}),
      };
    }),
};

function errorMessage(error: unknown): string {
  return typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" ? error.message : "error event in stream";
}

/**
 * OpenAI's reasoning models reject `max_tokens` ("use max_completion_tokens"). The openai preset
 * always sends the new name; behind a bare base URL (Azure, proxies) the gateway learns it from
 * this 400 and asks once more with the new name rather than failing the client.
 */
function isLegacyMaxTokensError(e: unknown): boolean {
  return e instanceof GatewayError && e.status === 400 && e.code === "unsupported_parameter" && e.param === "max_tokens";
}

async function call(request: ChatRequest, target: UpstreamTarget<OpenAIProvider>, options: CallOptions): Promise<UpstreamResult> {
  try {
    return await httpCall(translation, request, target, options);
  } catch (e) {
    if (!isLegacyMaxTokensError(e) || request.max_tokens == null || request.max_completion_tokens != null) throw e;
    const { max_tokens: maxTokens, ...rest } = request;
    return httpCall(translation, { ...rest, max_completion_tokens: maxTokens }, target, options);
  }
}

export const openAICompatibleAdapter: ProviderAdapter<OpenAIProvider> = {
  kind: "openai",
  simulated: false,
  call,
  capabilities: (target) => ({ logprobs: quirksOf(target).logprobs }),
  embed: (request, target, options) => openAIEmbed(request, target, options, translation.parseError),
  continuation: (target) => (quirksOf(target).assistantPrefix ? "prefix" : "instruction"),
};
