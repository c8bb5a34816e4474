/** Partial schemas of the Gemini API (`generateContent`, `streamGenerateContent?alt=sse`): only what the adapter reads. */
import { z } from "zod";

const Count = z.optional(z.nullable(z.number()));

/** One piece of a streamed function call's arguments (`$.a.b` set to a value; strings may continue). */
export const WirePartialArg = z.looseObject({
  jsonPath: z.string(),
  stringValue: z.optional(z.string()),
  numberValue: z.optional(z.number()),
  boolValue: z.optional(z.boolean()),
  nullValue: z.optional(z.unknown()),
  willContinue: z.optional(z.boolean()),
});

export const WireFunctionCall = z.looseObject({
  id: z.optional(z.string()),
  name: z.optional(z.string()),
  args: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  partialArgs: z.optional(z.array(WirePartialArg)),
  willContinue: z.optional(z.boolean()),
});

export const WirePart = z.looseObject({
  text: z.optional(z.string()),
  /** A thought summary, not answer text. */
  thought: z.optional(z.boolean()),
  functionCall: z.optional(WireFunctionCall),
});

const LogprobCandidate = z.looseObject({ token: z.optional(z.string()), logProbability: z.optional(z.number()) });

export const WireLogprobsResult = z.looseObject({
  chosenCandidates: z.optional(z.array(LogprobCandidate)),
  topCandidates: z.optional(z.array(z.looseObject({ candidates: z.optional(z.array(LogprobCandidate)) }))),
});

export const WireCandidate = z.looseObject({
  index: z.optional(z.number()),
  content: z.optional(z.looseObject({ parts: z.optional(z.array(WirePart)) })),
  finishReason: z.optional(z.string()),
  finishMessage: z.optional(z.string()),
  logprobsResult: z.optional(WireLogprobsResult),
});

export const WireUsageMetadata = z.looseObject({
  promptTokenCount: Count,
  candidatesTokenCount: Count,
  thoughtsTokenCount: Count,
  cachedContentTokenCount: Count,
  toolUsePromptTokenCount: Count,
  totalTokenCount: Count,
});

export const WireResponse = z.looseObject({
  candidates: z.optional(z.array(WireCandidate)),
  promptFeedback: z.optional(z.looseObject({ blockReason: z.optional(z.string()), blockReasonMessage: z.optional(z.string()) })),
  usageMetadata: z.optional(WireUsageMetadata),
  modelVersion: z.optional(z.string()),
  responseId: z.optional(z.string()),
  /** Errors can arrive inside a stream too. */
  error: z.optional(z.unknown()),
});

const WireErrorBody = z.looseObject({
  error: z.looseObject({
    code: z.optional(z.number()),
    message: z.optional(z.string()),
    status: z.optional(z.string()),
    details: z.optional(z.array(z.looseObject({ "@type": z.optional(z.string()), retryDelay: z.optional(z.string()) }))),
  }),
});
/** Google APIs answer `{error:{…}}`; some front ends wrap it in an array. */
export const WireError = z.union([WireErrorBody, z.array(WireErrorBody).min(1)]);

export type WirePartT = z.infer<typeof WirePart>;
export type WirePartialArgT = z.infer<typeof WirePartialArg>;
export type WireCandidateT = z.infer<typeof WireCandidate>;
export type WireResponseT = z.infer<typeof WireResponse>;
export type WireUsageMetadataT = z.infer<typeof WireUsageMetadata>;
export type WireLogprobsResultT = z.infer<typeof WireLogprobsResult>;
export type WireErrorBodyT = z.infer<typeof WireErrorBody>;
export type WireErrorT = z.infer<typeof WireError>;
