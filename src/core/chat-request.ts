/**
 * The canonical request: OpenAI Chat Completions, validated at the edge.
 * Objects are loose: fields this schema does not name pass through to OpenAI-wire upstreams.
 */
import { z } from "zod";
import { schemaPatternProblems } from "./schema-patterns";

const TextPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const ImagePart = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string().min(1), detail: z.optional(z.enum(["auto", "low", "high"])) }),
});
// input_audio, file, refusal …: accepted and passed on; their `type` must simply not pretend to be text or image.
const OtherPart = z.looseObject({
  type: z.string().refine((t) => t !== "text" && t !== "image_url", { message: "malformed content part" }),
});
export const ContentPartSchema = z.union([TextPart, ImagePart, OtherPart]);

const TextContent = z.union([z.string(), z.array(TextPart)]);
const UserContent = z.union([z.string(), z.array(ContentPartSchema)]);

export const ToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

const SystemMessage = z.looseObject({ role: z.literal("system"), content: TextContent, name: z.optional(z.string()) });
const DeveloperMessage = z.looseObject({ role: z.literal("developer"), content: TextContent, name: z.optional(z.string()) });
const UserMessage = z.looseObject({ role: z.literal("user"), content: UserContent, name: z.optional(z.string()) });
const AssistantMessage = z.looseObject({
  role: z.literal("assistant"),
  content: z.optional(z.union([TextContent, z.array(z.looseObject({ type: z.string() })), z.null()])),
  name: z.optional(z.string()),
  refusal: z.optional(z.nullable(z.string())),
  tool_calls: z.optional(z.array(ToolCallSchema)),
});
const ToolMessage = z.looseObject({ role: z.literal("tool"), content: TextContent, tool_call_id: z.string().min(1) });
const FunctionMessage = z.looseObject({ role: z.literal("function"), content: z.nullable(z.string()), name: z.string() });

export const MessageSchema = z.discriminatedUnion("role", [
  SystemMessage,
  DeveloperMessage,
  UserMessage,
  AssistantMessage,
  ToolMessage,
  FunctionMessage,
]);

export const ToolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "tool names are 1-64 letters, digits, _ or -"),
    description: z.optional(z.string()),
    parameters: z.optional(z.record(z.string(), z.unknown())),
    strict: z.optional(z.nullable(z.boolean())),
  }),
});

export const ToolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
]);

export const ResponseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().min(1),
      description: z.optional(z.string()),
      // Its patterns run in the linear-time engine when the answer is checked; one it cannot run is a 400 now.
      schema: z.optional(
        z.record(z.string(), z.unknown()).check((ctx) => {
          for (const p of schemaPatternProblems(ctx.value, 1)) ctx.issues.push({ code: "custom", input: ctx.value, path: p.path, message: `pattern not supported: ${p.message}` });
        }),
      ),
      strict: z.optional(z.nullable(z.boolean())),
    }),
  }),
]);

const PositiveInt = z.number().int().positive();

export const ChatRequestSchema = z.looseObject({
  // OpenAI requires `model`; here it defaults to "auto" (let the routes decide).
  model: z.string().min(1).default("auto"),
  messages: z.array(MessageSchema).min(1, "messages must contain at least one message"),
  temperature: z.optional(z.nullable(z.number().min(0).max(2))),
  top_p: z.optional(z.nullable(z.number().min(0).max(1))),
  max_tokens: z.optional(z.nullable(PositiveInt)),
  max_completion_tokens: z.optional(z.nullable(PositiveInt)),
  stop: z.optional(z.nullable(z.union([z.string(), z.array(z.string()).max(4)]))),
  tools: z.optional(z.array(ToolSchema)),
  tool_choice: z.optional(ToolChoiceSchema),
  parallel_tool_calls: z.optional(z.boolean()),
  response_format: z.optional(ResponseFormatSchema),
  logprobs: z.optional(z.nullable(z.boolean())),
  top_logprobs: z.optional(z.nullable(z.number().int().min(0).max(20))),
  n: z.optional(z.nullable(z.number().int().min(1).max(128))),
  stream: z.optional(z.nullable(z.boolean())),
  stream_options: z.optional(z.nullable(z.looseObject({ include_usage: z.optional(z.boolean()) }))),
  user: z.optional(z.string()),
  metadata: z.optional(z.nullable(z.record(z.string(), z.string()))),
  seed: z.optional(z.nullable(z.number().int())),
  presence_penalty: z.optional(z.nullable(z.number().min(-2).max(2))),
  frequency_penalty: z.optional(z.nullable(z.number().min(-2).max(2))),
  store: z.optional(z.nullable(z.boolean())),
});

export type ChatRequest = z.infer<typeof ChatRequestSchema>;
export type ChatMessage = z.infer<typeof MessageSchema>;
export type ContentPart = z.infer<typeof ContentPartSchema>;
export type ToolCall = z.infer<typeof ToolCallSchema>;
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;

/** The text of a message's content, parts flattened (images and audio contribute nothing). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const part of content) {
    if (part && typeof part === "object" && "text" in part && typeof part.text === "string") {
      out += out.length > 0 ? `\n${part.text}` : part.text;
    }
  }
  return out;
}

/** All text a model reads for this request: messages plus tool definitions. */
export function promptText(req: Pick<ChatRequest, "messages" | "tools">): string {
  const parts: string[] = [];
  for (const m of req.messages) {
    const text = contentText(m.content);
    if (text.length > 0) parts.push(text);
    if (m.role === "assistant" && m.tool_calls) for (const tc of m.tool_calls) parts.push(tc.function.name, tc.function.arguments);
  }
  if (req.tools) for (const t of req.tools) parts.push(JSON.stringify(t.function));
  return parts.join("\n");
}

export function lastUserText(req: Pick<ChatRequest, "messages">): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i];
    if (m && m.role === "user") return contentText(m.content);
  }
  return "";
}

/** The output cap the client asked for, under either name. */
export function requestedMaxTokens(req: ChatRequest): number | undefined {
  return req.max_completion_tokens ?? req.max_tokens ?? undefined;
}
