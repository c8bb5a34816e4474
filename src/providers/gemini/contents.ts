/**
 * OpenAI messages → Gemini `contents` and `systemInstruction`. Assistant turns become role
 * `model`; tool results become `functionResponse` parts in a user turn (Gemini matches them to
 * calls by function name, which is looked up from the call id); consecutive turns of one role
 * are merged.
 */
import { badRequest } from "../../core/errors";
import { contentText, type ChatMessage } from "../../core/chat-request";
import { parseDataUrl } from "../../core/data-url";
import { argumentsObject } from "../../core/tool-arguments";
import type { UpstreamTarget } from "../types";
import { unsupported } from "../unsupported";

export type GeminiPart = Record<string, unknown>;
export interface GeminiContent {
  role: "user" | "model";
  parts: GeminiPart[];
}

/**
 * Gemini 3 wants each replayed function call to carry the thought signature it came with; an
 * OpenAI-format history cannot carry it, so the documented stand-in is sent instead. Older
 * models neither need nor expect it.
 */
export const SKIP_SIGNATURE = "skip_thought_signature_validator";
const needsSignature = (modelId: string) => !/^(models\/)?gemini-[12][.-]/.test(modelId);

const AUDIO_TYPES: Record<string, string> = { wav: "audio/wav", mp3: "audio/mp3" };
const EXTENSION_TYPES: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", heic: "image/heic", pdf: "application/pdf",
};

function mimeFromUrl(url: string): string {
  const ext = /\.([A-Za-z0-9]+)(?:[?#]|$)/.exec(url)?.[1]?.toLowerCase();
  return (ext && EXTENSION_TYPES[ext]) ?? "image/jpeg";
}

function userPart(part: unknown, target: UpstreamTarget): GeminiPart | null {
  const p = part as { type: string; text?: string; image_url?: { url: string }; input_audio?: { data?: string; format?: string }; file?: { file_data?: string } };
  if (p.type === "text") return p.text ? { text: p.text } : null;
  if (p.type === "image_url" && p.image_url) {
    const inline = parseDataUrl(p.image_url.url);
    if (inline) return { inlineData: { mimeType: inline.mediaType, data: inline.data } };
    return { fileData: { mimeType: mimeFromUrl(p.image_url.url), fileUri: p.image_url.url } };
  }
  if (p.type === "input_audio" && p.input_audio?.data) {
    return { inlineData: { mimeType: AUDIO_TYPES[p.input_audio.format ?? ""] ?? "audio/wav", data: p.input_audio.data } };
  }
  if (p.type === "file" && p.file?.file_data) {
    const inline = parseDataUrl(p.file.file_data);
    if (inline) return { inlineData: { mimeType: inline.mediaType, data: inline.data } };
  }
  throw unsupported(target, `content parts of type "${p.type}"`, "messages");
}

/** A tool's output as a `functionResponse.response` object (Gemini's convention: `output`). */
function responseObject(text: string): Record<string, unknown> {
  try {
    return { output: JSON.parse(text) as unknown };
  } catch {
    return { output: text };
  }
}

export function toGeminiContents(messages: ChatMessage[], target: UpstreamTarget): { systemInstruction: { parts: GeminiPart[] } | undefined; contents: GeminiContent[] } {
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: GeminiContent["role"], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  for (const m of messages) {
    switch (m.role) {
      case "system":
      case "developer": {
        const text = contentText(m.content);
        if (text !== "") system.push({ text });
        break;
      }
      case "user":
        push("user", typeof m.content === "string" ? (m.content ? [{ text: m.content }] : []) : m.content.flatMap((p): GeminiPart[] => {
          const part = userPart(p, target);
          return part ? [part] : [];
        }));
        break;
      case "assistant": {
        const text = contentText(m.content);
        const parts: GeminiPart[] = text ? [{ text }] : [];
        (m.tool_calls ?? []).forEach((tc, i) => {
          toolNames.set(tc.id, tc.function.name);
          const call: GeminiPart = { functionCall: { name: tc.function.name, args: argumentsObject(tc.function.arguments) } };
          if (i === 0 && needsSignature(target.model.id)) call.thoughtSignature = SKIP_SIGNATURE;
          parts.push(call);
        });
        push("model", parts);
        break;
      }
      case "tool": {
        const name = toolNames.get(m.tool_call_id);
        if (name === undefined) throw badRequest(`tool message answers "${m.tool_call_id}", which no earlier assistant message called`, "messages");
        push("user", [{ functionResponse: { name, response: responseObject(contentText(m.content)) } }]);
        break;
      }
      case "function":
        throw unsupported(target, "legacy `function` messages (use tool messages)", "messages");
    }
  }
  if (contents.length === 0) throw unsupported(target, "a conversation with no user message", "messages");
  return { systemInstruction: system.length > 0 ? { parts: system } : undefined, contents };
}
