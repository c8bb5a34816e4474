/**
 * The routing config document kept in KV (key `config`). People edit it by hand in the
 * Cloudflare dashboard, so objects are strict: a misspelt key is an error with its path,
 * not a silently ignored setting.
 */
import { z } from "zod";
import { OPENAI_COMPATIBLE_PRESETS } from "../providers/openai-compatible/presets";

const PositiveInt = z.number().int().positive();
const NonNegative = z.number().min(0);
const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "names are 1-64 letters, digits, '.', '_' or '-'");
const SecretName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, "secret names are UPPER_SNAKE_CASE, as Worker secrets are");
const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** USD per 1M tokens. */
export const PriceSchema = z.strictObject({
  input: NonNegative,
  output: NonNegative,
  /** Input tokens read from a prompt cache; defaults to `input`. */
  cachedInput: z.optional(NonNegative),
  /** Input tokens written to a prompt cache; defaults to `input`. */
  cacheWrite: z.optional(NonNegative),
});

const OpenAIProviderSchema = z.strictObject({
  type: z.literal("openai"),
  /** Known OpenAI-compatible API: sets the base URL and its quirks. */
  preset: z.optional(z.enum(OPENAI_COMPATIBLE_PRESETS)),
  baseUrl: z.optional(z.url({ protocol: /^https?$/ })),
  /** Name of the Worker secret holding the API key (never the key itself). */
  keySecret: z.optional(SecretName),
  /** Extra request headers (non-secret, e.g. OpenRouter's HTTP-Referer). */
  headers: z.optional(z.record(z.string(), z.string())),
  timeoutMs: z.optional(PositiveInt),
});

const SimulatorProviderSchema = z.strictObject({
  type: z.literal("simulator"),
  /** Time to the first token. */
  latencyMs: z.number().int().min(0).default(300),
  /** Output pacing, for streams and for the total time of non-stream answers. */
  tokensPerSecond: z.number().positive().default(80),
  /** Share of requests answered with `failureStatus` (0..1). */
  failureRate: z.number().min(0).max(1).default(0),
  failureStatus: z.number().int().min(400).max(599).default(503),
  timeoutMs: z.optional(PositiveInt),
});

export const ProviderSchema = z.discriminatedUnion("type", [OpenAIProviderSchema, SimulatorProviderSchema]);

export const ModelSchema = z.strictObject({
  provider: Name,
  /** The model id the upstream API expects. */
  id: z.string().min(1),
  price: PriceSchema,
  /** Informational capability tier: 1 simple, 2 medium, 3 complex. */
  tier: z.optional(z.union([z.literal(1), z.literal(2), z.literal(3)])),
  /** Output cap sent when the client sets none and the provider requires one. */
  maxOutputTokens: z.optional(PositiveInt),
  capabilities: z.optional(
    z.strictObject({
      logprobs: z.optional(z.boolean()),
      jsonSchema: z.optional(z.boolean()),
      tools: z.optional(z.boolean()),
      vision: z.optional(z.boolean()),
    }),
  ),
  /** Models tried, in order, when this one fails and it was asked for by name. */
  fallbacks: z.optional(z.array(z.string())),
  timeoutMs: z.optional(PositiveInt),
});

export const StepSchema = z.strictObject({
  model: z.string().min(1),
  fallbacks: z.array(z.string().min(1)).default([]),
});

export const MatchSchema = z.strictObject({
  /** Feature tag: `x-tiergate-feature` header or `metadata.feature`. */
  feature: z.optional(OneOrMany),
  minPromptChars: z.optional(z.number().int().min(0)),
  maxPromptChars: z.optional(z.number().int().min(0)),
  /** The model the client asked for; a route with this matcher can remap a concrete model name. */
  model: z.optional(OneOrMany),
});

export const RouteSchema = z
  .strictObject({
    name: Name,
    description: z.optional(z.string()),
    match: MatchSchema.default({}),
    /** Shorthand for a single step: `model` plus its `fallbacks`. */
    model: z.optional(z.string().min(1)),
    fallbacks: z.optional(z.array(z.string().min(1))),
    steps: z.optional(z.array(StepSchema).min(1)),
  })
  .check((ctx) => {
    const r = ctx.value;
    if ((r.model === undefined) === (r.steps === undefined)) {
      ctx.issues.push({ code: "custom", input: r, path: [], message: "a route needs exactly one of `model` or `steps`" });
    }
    if (r.fallbacks !== undefined && r.steps !== undefined) {
      ctx.issues.push({ code: "custom", input: r, path: ["fallbacks"], message: "`fallbacks` goes inside each step when `steps` is used" });
    }
  });

export const ClientKeySchema = z.strictObject({
  name: Name,
  /** SHA-256 (hex) of the key the client sends as `Authorization: Bearer <key>`; the key itself is never stored. */
  keySha256: z.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex SHA-256"),
  team: z.optional(z.string().min(1)),
  userTier: z.optional(z.string().min(1)),
});

export const DefaultsSchema = z.strictObject({
  /** Per-attempt timeout: the whole answer for non-stream requests, the first content (then each gap) for streams. */
  timeoutMs: PositiveInt.default(30_000),
  /** Retry the same model once when it answers 429/5xx with a Retry-After at most this long. */
  maxRetryAfterMs: z.number().int().min(0).default(2_000),
  maxBodyBytes: PositiveInt.default(1_048_576),
});

export const ConfigSchema = z
  .strictObject({
    $schema: z.optional(z.string()),
    version: z.literal(1).default(1),
    /** The model savings are measured against. */
    baseline: z.string().min(1),
    defaults: DefaultsSchema.default({ timeoutMs: 30_000, maxRetryAfterMs: 2_000, maxBodyBytes: 1_048_576 }),
    providers: z.record(Name, ProviderSchema),
    models: z.record(Name, ModelSchema),
    routes: z.array(RouteSchema),
    access: z
      .strictObject({ requireKey: z.boolean().default(false), keys: z.array(ClientKeySchema).default([]) })
      .default({ requireKey: false, keys: [] }),
  })
  .check((ctx) => {
    const cfg = ctx.value;
    const issue = (path: PropertyKey[], message: string) => ctx.issues.push({ code: "custom", input: cfg, path, message });
    const models = new Set(Object.keys(cfg.models));
    const knownModel = (alias: string, path: PropertyKey[]) => {
      if (!models.has(alias)) issue(path, `unknown model "${alias}"; models are: ${[...models].join(", ") || "(none)"}`);
    };
    if (Object.keys(cfg.models).length === 0) issue(["models"], "at least one model is required");
    knownModel(cfg.baseline, ["baseline"]);
    for (const [alias, m] of Object.entries(cfg.models)) {
      if (alias === "auto" || alias.startsWith("route:")) issue(["models", alias], `"${alias}" is reserved`);
      if (!(m.provider in cfg.providers)) issue(["models", alias, "provider"], `unknown provider "${m.provider}"`);
      m.fallbacks?.forEach((f, i) => knownModel(f, ["models", alias, "fallbacks", i]));
    }
    for (const [name, p] of Object.entries(cfg.providers)) {
      if (p.type === "openai" && p.baseUrl === undefined && p.preset === undefined) {
        issue(["providers", name], "an openai-type provider needs `baseUrl` or `preset`");
      }
    }
    const seen = new Set<string>();
    cfg.routes.forEach((r, i) => {
      if (seen.has(r.name)) issue(["routes", i, "name"], `duplicate route name "${r.name}"`);
      seen.add(r.name);
      if (r.model !== undefined) knownModel(r.model, ["routes", i, "model"]);
      r.fallbacks?.forEach((f, j) => knownModel(f, ["routes", i, "fallbacks", j]));
      r.steps?.forEach((s, j) => {
        knownModel(s.model, ["routes", i, "steps", j, "model"]);
        s.fallbacks.forEach((f, k) => knownModel(f, ["routes", i, "steps", j, "fallbacks", k]));
      });
      const { minPromptChars: lo, maxPromptChars: hi } = r.match;
      if (lo !== undefined && hi !== undefined && lo > hi) issue(["routes", i, "match"], "minPromptChars is greater than maxPromptChars");
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type ProviderConfig = z.infer<typeof ProviderSchema>;
export type ModelEntry = z.infer<typeof ModelSchema>;
export type Route = z.infer<typeof RouteSchema>;
export type RouteMatch = z.infer<typeof MatchSchema>;
export type Price = z.infer<typeof PriceSchema>;
export type ClientKey = z.infer<typeof ClientKeySchema>;
export type ConfigDefaults = z.infer<typeof DefaultsSchema>;

/** The steps of a route, whichever form it was written in. */
export function routeSteps(route: Route): Array<{ model: string; fallbacks: string[] }> {
  if (route.steps) return route.steps;
  return [{ model: route.model as string, fallbacks: route.fallbacks ?? [] }];
}
