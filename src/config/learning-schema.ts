/**
 * Config parts of routes that learn from their outcomes (issue 13): the exploration share, the
 * per-route head on top of the prior, and where a classifier route's thresholds came from.
 * Written by people (explore) and by `POST /admin/routes/:name/tune` proposals applied with one PUT.
 */
import { z } from "zod";

const Probability = z.number().min(0).max(1);
const Finite = z.number().finite();

/** Names of the head's inputs (routing/route-head.ts computes them from the prior and the text-free summary). */
export const HEAD_INPUTS = ["prior", "chars", "lines", "digits", "questions", "messages", "code", "math", "options", "tools", "json"] as const;
export type HeadInput = (typeof HEAD_INPUTS)[number];

/**
 * A small logistic head: P(cheap model fails) = sigmoid(bias + Σ weights[x] · x), over the prior's
 * logit and the request's text-free summary. Fitted by the tuner; when present its score, not the
 * prior's, is compared with the thresholds.
 */
export const HeadSchema = z.strictObject({
  bias: Finite,
  weights: z.strictObject(Object.fromEntries(HEAD_INPUTS.map((k) => [k, z.optional(Finite)])) as Record<HeadInput, z.ZodOptional<z.ZodNumber>>),
});

/** A tuning run: its id and when it ran (ISO date). */
export const TuningRefSchema = z.strictObject({ id: z.string().min(1).max(64), date: z.string().min(1).max(40) });

export const ThresholdsSchema = z.strictObject({ "2": Probability, "3": Probability });

/** A proposal evaluated in shadow: every request records the tier it would get; nothing is served by it. */
export const ShadowProposalSchema = z.strictObject({
  ...TuningRefSchema.shape,
  thresholds: ThresholdsSchema,
  head: z.optional(HeadSchema),
});

export type Head = z.infer<typeof HeadSchema>;
export type TuningRef = z.infer<typeof TuningRefSchema>;
export type ShadowProposal = z.infer<typeof ShadowProposalSchema>;
