/** Partial schemas of the OpenAI chat-completions wire: only what the adapter reads. */
import { z } from "zod";

const Part = z.looseObject({ type: z.string(), text: z.optional(z.string()), thinking: z.optional(z.unknown()) });
/** Content: a string, or (Mistral's magistral models) an array of text and thinking parts. */
export const WireContent = z.optional(z.nullable(z.union([z.string(), z.array(Part)])));

export const WireUsage = z.looseObject({
  prompt_tokens: z.number(),
  completion_tokens: z.optional(z.number()),
  total_tokens: z.optional(z.number()),
  prompt_tokens_details: z.optional(z.nullable(z.looseObject({ cached_tokens: z.optional(z.nullable(z.number())) }))),
  completion_tokens_details: z.optional(z.nullable(z.looseObject({ reasoning_tokens: z.optional(z.nullable(z.number())) }))),
});

const WireToolCall = z.looseObject({
  id: z.optional(z.string()),
  type: z.optional(z.string()),
  function: z.looseObject({ name: z.optional(z.string()), arguments: z.optional(z.nullable(z.string())) }),
});

const WireLogprobs = z.optional(z.nullable(z.looseObject({ content: z.optional(z.nullable(z.array(z.looseObject({ token: z.string(), logprob: z.number() })))) })));

export const WireCompletion = z.looseObject({
  id: z.optional(z.string()),
  created: z.optional(z.number()),
  model: z.optional(z.string()),
  choices: z.array(
    z.looseObject({
      index: z.optional(z.number()),
      message: z.looseObject({
        content: WireContent,
        reasoning_content: z.optional(z.nullable(z.string())),
        reasoning: z.optional(z.nullable(z.string())),
        refusal: z.optional(z.nullable(z.string())),
        tool_calls: z.optional(z.nullable(z.array(WireToolCall))),
      }),
      finish_reason: z.optional(z.nullable(z.string())),
      logprobs: WireLogprobs,
    }),
  ),
  usage: z.optional(z.nullable(WireUsage)),
  x_groq: z.optional(z.looseObject({ usage: z.optional(WireUsage) })),
  system_fingerprint: z.optional(z.nullable(z.string())),
});

export const WireChunk = z.looseObject({
  id: z.optional(z.string()),
  created: z.optional(z.number()),
  model: z.optional(z.string()),
  choices: z.optional(
    z.array(
      z.looseObject({
        index: z.optional(z.number()),
        delta: z.optional(
          z.looseObject({
            role: z.optional(z.nullable(z.string())),
            content: WireContent,
            reasoning_content: z.optional(z.nullable(z.string())),
            reasoning: z.optional(z.nullable(z.string())),
            refusal: z.optional(z.nullable(z.string())),
            tool_calls: z.optional(z.nullable(z.array(WireToolCall.extend({ index: z.optional(z.number()), function: z.optional(WireToolCall.shape.function) })))),
          }),
        ),
        finish_reason: z.optional(z.nullable(z.string())),
        logprobs: WireLogprobs,
      }),
    ),
  ),
  usage: z.optional(z.nullable(WireUsage)),
  x_groq: z.optional(z.looseObject({ usage: z.optional(WireUsage) })),
  system_fingerprint: z.optional(z.nullable(z.string())),
  error: z.optional(z.unknown()),
});

export const WireError = z.looseObject({
  error: z.union([
    z.looseObject({
      message: z.optional(z.string()),
      type: z.optional(z.nullable(z.string())),
      code: z.optional(z.nullable(z.union([z.string(), z.number()]))),
      param: z.optional(z.nullable(z.string())),
    }),
    z.string(),
  ]),
});

export type WireUsageT = z.infer<typeof WireUsage>;
export type WireContentT = z.infer<typeof WireContent>;
