/**
 * OpenAI messages → Anthropic messages: system and developer messages are lifted to `system`,
 * tool results become `tool_result` blocks in a user message, and consecutive messages of the
 * same role are merged (Anthropic requires alternating roles).
 */
import { contentText, type ChatMessage } from "../../core/chat-request";
import { parseDataUrl } from "../../core/data-url";
import { argumentsObject } from "../../core/tool-arguments";
import type { UpstreamTarget } from "../types";
import { unsupported } from "../unsupported";

export type AnthropicBlock = Record<string, unknown>;
export interface AnthropicMessage {
  role: "user" | "assistant";
  content: AnthropicBlock[];
}

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/** Anthropic tool ids are `[A-Za-z0-9_-]+`; ids minted elsewhere (or by clients) are made to fit. */
export function toolUseId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_") || "toolu_0";
}

function textBlock(text: string): AnthropicBlock[] {
  // Anthropic rejects empty (and whitespace-only) text blocks.
  return text.trim() === "" ? [] : [{ type: "text", text }];
}

function partBlocks(part: unknown, target: UpstreamTarget): AnthropicBlock[] {
  const p = part as { type: string; text?: string; image_url?: { url: string }; file?: { file_data?: string; filename?: string } };
  if (p.type === "text") return textBlock(p.text ?? "");
  if (p.type === "image_url" && p.image_url) {
    const url = p.image_url.url;
    const inline = parseDataUrl(url);
    if (!inline) return [{ type: "image", source: { type: "url", url } }];
    if (!IMAGE_TYPES.has(inline.mediaType)) throw unsupported(target, `images of type ${inline.mediaType}`, "messages");
    return [{ type: "image", source: { type: "base64", media_type: inline.mediaType, data: inline.data } }];
  }
  if (p.type === "file" && p.file?.file_data) {
    const inline = parseDataUrl(p.file.file_data);
    if (inline?.mediaType === "application/pdf") {
      return [{ type: "document", source: { type: "base64", media_type: inline.mediaType, data: inline.data }, ...(p.file.filename ? { title: p.file.filename } : {}) }];
    }
  }
  throw unsupported(target, `content parts of type "${p.type}"`, "messages");
}

function userBlocks(content: unknown, target: UpstreamTarget): AnthropicBlock[] {
  if (typeof content === "string") return textBlock(content);
  return (content as unknown[]).flatMap((part) => partBlocks(part, target));
}

export function toAnthropicMessages(messages: ChatMessage[], target: UpstreamTarget): { system: string | undefined; messages: AnthropicMessage[] } {
  const system: string[] = [];
  const out: AnthropicMessage[] = [];
  const push = (role: AnthropicMessage["role"], blocks: AnthropicBlock[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };

  for (const m of messages) {
    switch (m.role) {
      case "system":
      case "developer": {
        const text = contentText(m.content);
        if (text.trim() !== "") system.push(text);
        break;
      }
      case "user":
        push("user", userBlocks(m.content, target));
        break;
      case "assistant": {
        const blocks = textBlock(contentText(m.content));
        for (const tc of m.tool_calls ?? []) {
          blocks.push({ type: "tool_use", id: toolUseId(tc.id), name: tc.function.name, input: argumentsObject(tc.function.arguments) });
        }
        push("assistant", blocks);
        break;
      }
      case "tool": {
        const text = contentText(m.content);
        push("user", [{ type: "tool_result", tool_use_id: toolUseId(m.tool_call_id), ...(text === "" ? {} : { content: text }) }]);
        break;
      }
      case "function":
        throw unsupported(target, "legacy `function` messages (use tool messages)", "messages");
    }
  }
  if (out.length === 0) throw unsupported(target, "a conversation with no user message", "messages");
  return { system: system.length > 0 ? system.join("\n\n") : undefined, messages: out };
}
