/**
 * The Anthropic Messages request as a Claude client sends it to `POST /v1/messages`: what the
 * gateway reads and translates. Unknown top-level fields (service_tier, container, …) are
 * accepted and ignored; unknown content blocks are refused with their type named.
 */
import { z } from "zod";

const CacheControl = { cache_control: z.optional(z.unknown()) };

export const TextBlock = z.looseObject({ type: z.literal("text"), text: z.string(), ...CacheControl });

const ImageSource = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
]);
const ImageBlock = z.looseObject({ type: z.literal("image"), source: ImageSource, ...CacheControl });

const DocumentSource = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal("text"), data: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string() }),
]);
const DocumentBlock = z.looseObject({ type: z.literal("document"), source: DocumentSource, title: z.optional(z.nullable(z.string())), ...CacheControl });

const ToolUseBlock = z.looseObject({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown(), ...CacheControl });
const ToolResultBlock = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: z.optional(z.union([z.string(), z.array(z.union([TextBlock, ImageBlock]))])),
  is_error: z.optional(z.boolean()),
  ...CacheControl,
});
/** Thinking is bound to Anthropic's signature and cannot be carried to other providers: read and dropped. */
const ThinkingBlock = z.looseObject({ type: z.enum(["thinking", "redacted_thinking"]) });

export const ContentBlock = z.discriminatedUnion("type", [TextBlock, ImageBlock, DocumentBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock]);

const Message = z.looseObject({ role: z.enum(["user", "assistant"]), content: z.union([z.string(), z.array(ContentBlock)]) });

const Tool = z.looseObject({
  name: z.string(),
  description: z.optional(z.string()),
  input_schema: z.record(z.string(), z.unknown()),
  /** Server tools (web search, code execution …) run at Anthropic: the gateway cannot route them. */
  type: z.optional(z.nullable(z.literal("custom"))),
});

/** Anthropic's web search (a server tool): carried as `web_search_options`, allowed only on models whose entry says so. */
export const WebSearchTool = z.looseObject({ type: z.string().regex(/^web_search_\d+$/), name: z.string() });

const ToolChoice = z.discriminatedUnion("type", [
  z.looseObject({ type: z.enum(["auto", "any", "none"]), disable_parallel_tool_use: z.optional(z.boolean()) }),
  z.looseObject({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: z.optional(z.boolean()) }),
]);

const JsonFormat = z.looseObject({ type: z.literal("json_schema"), schema: z.record(z.string(), z.unknown()) });

export const MessagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(Message).min(1, "messages must contain at least one message"),
  system: z.optional(z.union([z.string(), z.array(TextBlock)])),
  stop_sequences: z.optional(z.array(z.string())),
  stream: z.optional(z.boolean()),
  temperature: z.optional(z.number().min(0).max(1)),
  top_p: z.optional(z.number().min(0).max(1)),
  top_k: z.optional(z.number().int().min(0)),
  tools: z.optional(z.array(z.union([Tool, WebSearchTool]))),
  tool_choice: z.optional(ToolChoice),
  metadata: z.optional(z.looseObject({ user_id: z.optional(z.nullable(z.string())) })),
  output_config: z.optional(z.looseObject({ format: z.optional(z.nullable(JsonFormat)) })),
  /** The beta name of `output_config.format`, still sent by older clients. */
  output_format: z.optional(z.nullable(JsonFormat)),
});

export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;
export type ContentBlockT = z.infer<typeof ContentBlock>;
