/**
 * The OpenAI Responses API request (`POST /v1/responses`) as the openai SDK and the AI SDK's
 * default `openai()` provider send it: what the gateway reads. Unknown top-level fields
 * (include, truncation, prompt_cache_key, …) are accepted and ignored; `service_tier` and the
 * web_search tool are carried on (billable fields: allowed only where the model's entry says so);
 * unknown input items and tool types are refused with their type named.
 */
import { z } from "zod";

const InputText = z.looseObject({ type: z.literal("input_text"), text: z.string() });
const OutputText = z.looseObject({ type: z.literal("output_text"), text: z.string() });
const Refusal = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });
const InputImage = z.looseObject({
  type: z.literal("input_image"),
  image_url: z.optional(z.nullable(z.string())),
  file_id: z.optional(z.nullable(z.string())),
  detail: z.optional(z.enum(["auto", "low", "high"])),
});
const InputFile = z.looseObject({
  type: z.literal("input_file"),
  file_data: z.optional(z.string()),
  file_id: z.optional(z.nullable(z.string())),
  file_url: z.optional(z.string()),
  filename: z.optional(z.string()),
});
export const ContentItem = z.discriminatedUnion("type", [InputText, OutputText, Refusal, InputImage, InputFile]);

const MessageItem = z.looseObject({
  type: z.optional(z.literal("message")),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(ContentItem)]),
  id: z.optional(z.string()),
  status: z.optional(z.string()),
});
const FunctionCallItem = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.optional(z.string()),
});
const FunctionCallOutputItem = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(ContentItem)]),
});
/** Reasoning items carry the provider's encrypted state: read and dropped (they cannot travel between providers). */
const ReasoningItem = z.looseObject({ type: z.literal("reasoning") });
const ItemReference = z.looseObject({ type: z.literal("item_reference"), id: z.string() });

export const InputItem = z.union([
  MessageItem,
  z.discriminatedUnion("type", [FunctionCallItem, FunctionCallOutputItem, ReasoningItem, ItemReference]),
]);

const FunctionTool = z.looseObject({
  type: z.literal("function"),
  name: z.string(),
  description: z.optional(z.nullable(z.string())),
  parameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  strict: z.optional(z.nullable(z.boolean())),
});
const OtherTool = z.looseObject({ type: z.string() });

const ToolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), name: z.string() }),
  z.looseObject({ type: z.string() }),
]);

const TextFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    name: z.optional(z.string()),
    schema: z.record(z.string(), z.unknown()),
    description: z.optional(z.string()),
    strict: z.optional(z.nullable(z.boolean())),
  }),
]);

export const ResponsesRequestSchema = z.looseObject({
  model: z.string().min(1).default("auto"),
  input: z.union([z.string(), z.array(InputItem).min(1, "input must hold at least one item")]),
  instructions: z.optional(z.nullable(z.string())),
  tools: z.optional(z.array(z.union([FunctionTool, OtherTool]))),
  tool_choice: z.optional(ToolChoice),
  parallel_tool_calls: z.optional(z.nullable(z.boolean())),
  text: z.optional(z.nullable(z.looseObject({ format: z.optional(TextFormat), verbosity: z.optional(z.unknown()) }))),
  max_output_tokens: z.optional(z.nullable(z.number().int().positive())),
  temperature: z.optional(z.nullable(z.number().min(0).max(2))),
  top_p: z.optional(z.nullable(z.number().min(0).max(1))),
  metadata: z.optional(z.nullable(z.record(z.string(), z.string()))),
  user: z.optional(z.string()),
  safety_identifier: z.optional(z.string()),
  stream: z.optional(z.nullable(z.boolean())),
  store: z.optional(z.nullable(z.boolean())),
  previous_response_id: z.optional(z.nullable(z.string())),
  conversation: z.optional(z.unknown()),
  background: z.optional(z.nullable(z.boolean())),
  reasoning: z.optional(z.nullable(z.looseObject({ effort: z.optional(z.nullable(z.string())) }))),
});

export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof InputItem>;
export type ResponsesContentItem = z.infer<typeof ContentItem>;
