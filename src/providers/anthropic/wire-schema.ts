/** Partial schemas of the Anthropic Messages API: only what the adapter reads. */
import { z } from "zod";

const Count = z.optional(z.nullable(z.number()));

/** `input_tokens` excludes cache reads and writes, which are counted apart. */
export const WireUsage = z.looseObject({
  input_tokens: Count,
  output_tokens: Count,
  cache_creation_input_tokens: Count,
  cache_read_input_tokens: Count,
  output_tokens_details: z.optional(z.nullable(z.looseObject({ thinking_tokens: Count }))),
});

/**
 * One content block, read by its `type`: text, thinking, tool_use. Others (redacted thinking,
 * server tools, model fallbacks …) are kept by type only and not translated.
 */
export const WireContentBlock = z.looseObject({
  type: z.string(),
  text: z.optional(z.string()),
  thinking: z.optional(z.string()),
  id: z.optional(z.string()),
  name: z.optional(z.string()),
  input: z.optional(z.unknown()),
});

const StopDetails = z.optional(z.nullable(z.looseObject({ type: z.optional(z.string()), explanation: z.optional(z.nullable(z.string())) })));

export const WireMessage = z.looseObject({
  id: z.optional(z.string()),
  model: z.optional(z.string()),
  content: z.array(WireContentBlock),
  stop_reason: z.optional(z.nullable(z.string())),
  stop_sequence: z.optional(z.nullable(z.string())),
  stop_details: StopDetails,
  usage: z.optional(WireUsage),
});

export const WireError = z.looseObject({
  type: z.optional(z.string()),
  error: z.looseObject({ type: z.optional(z.string()), message: z.optional(z.string()) }),
});

// ---- stream events (the `type` field names the event, as the SSE `event:` line does) ----

export const MessageStartEvent = z.looseObject({
  type: z.literal("message_start"),
  message: z.looseObject({ id: z.optional(z.string()), model: z.optional(z.string()), usage: z.optional(WireUsage) }),
});

export const ContentBlockStartEvent = z.looseObject({ type: z.literal("content_block_start"), index: z.number(), content_block: WireContentBlock });

export const ContentBlockDeltaEvent = z.looseObject({
  type: z.literal("content_block_delta"),
  index: z.number(),
  delta: z.looseObject({
    type: z.string(),
    text: z.optional(z.string()),
    thinking: z.optional(z.string()),
    partial_json: z.optional(z.string()),
  }),
});

export const ContentBlockStopEvent = z.looseObject({ type: z.literal("content_block_stop"), index: z.number() });

export const MessageDeltaEvent = z.looseObject({
  type: z.literal("message_delta"),
  delta: z.looseObject({ stop_reason: z.optional(z.nullable(z.string())), stop_sequence: z.optional(z.nullable(z.string())), stop_details: StopDetails }),
  usage: z.optional(WireUsage),
});

export const ErrorEvent = z.looseObject({ type: z.literal("error"), error: z.looseObject({ type: z.optional(z.string()), message: z.optional(z.string()) }) });

export type WireUsageT = z.infer<typeof WireUsage>;
export type WireMessageT = z.infer<typeof WireMessage>;
export type WireContentBlockT = z.infer<typeof WireContentBlock>;
