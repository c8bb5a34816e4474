/**
 * The routing config document kept in KV (key `config`). People edit it by hand in the
 * Cloudflare dashboard, so objects are strict: a misspelt key is an error with its path,
 * not a silently ignored setting.
 *
 * long-file: one document's schema kept in one file so it reads in the README's order and every
 * cross-field check in ConfigSchema sees the parts it checks; the provider schemas are the
 * candidate to split out next.
 */
import { z } from "zod";
import { OPENAI_COMPATIBLE_PRESETS } from "./openai-presets";
import { PROVIDER_KEY_SECRET, PROVIDER_KEY_SECRET_RULE } from "./provider-keys";
import { linearPatternProblem } from "../core/linear-regex";
import { schemaPatternProblems } from "../core/schema-patterns";
import { HeadSchema, ShadowProposalSchema, ThresholdsSchema, TuningRefSchema } from "./learning-schema";

const PositiveInt = z.number().int().positive();
const NonNegative = z.number().min(0);
const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "names are 1-64 letters, digits, '.', '_' or '-'");
/**
 * Model aliases are what clients send as `model`, so they may also hold the '/', ':' and '.' of
 * names like `openai/gpt-4o` or `llama-3.1:free` (OpenRouter's, LiteLLM's and the AI SDK
 * gateway's convention). Never ',' (the attempt-chain header separates entries with it).
 */
export const MODEL_ALIAS_RULE = "model aliases are 1-128 letters, digits, '.', '_', '-', '/' or ':', starting with a letter or digit";
const ModelAlias = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, MODEL_ALIAS_RULE);
/** A provider-key secret's name (config/provider-keys.ts): never another binding. */
const SecretName = z.string().regex(PROVIDER_KEY_SECRET, PROVIDER_KEY_SECRET_RULE);
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

const HttpUrl = z.url({ protocol: /^https?$/ });

const OpenAIProviderSchema = z.strictObject({
  type: z.literal("openai"),
  /** Known OpenAI-compatible API: sets the base URL and its quirks. */
  preset: z.optional(z.enum(OPENAI_COMPATIBLE_PRESETS)),
  baseUrl: z.optional(HttpUrl),
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

const AnthropicProviderSchema = z.strictObject({
  type: z.literal("anthropic"),
  /** The Messages API root; requests go to `<baseUrl>/messages`. */
  baseUrl: HttpUrl.default("https://api.anthropic.com/v1"),
  keySecret: z.optional(SecretName),
  /** Sent as `anthropic-version`. */
  version: z.string().min(1).default("2023-06-01"),
  /** Extra request headers (non-secret, e.g. `anthropic-beta`). */
  headers: z.optional(z.record(z.string(), z.string())),
  timeoutMs: z.optional(PositiveInt),
});

const GeminiProviderSchema = z.strictObject({
  type: z.literal("gemini"),
  /** The Generative Language API root; requests go to `<baseUrl>/models/<id>:generateContent`. */
  baseUrl: HttpUrl.default("https://generativelanguage.googleapis.com/v1beta"),
  keySecret: z.optional(SecretName),
  headers: z.optional(z.record(z.string(), z.string())),
  timeoutMs: z.optional(PositiveInt),
});

export const ProviderSchema = z.discriminatedUnion("type", [OpenAIProviderSchema, AnthropicProviderSchema, GeminiProviderSchema, SimulatorProviderSchema]);

export const ModelSchema = z.strictObject({
  provider: Name,
  /** The model id the upstream API expects. */
  id: z.string().min(1),
  price: PriceSchema,
  /** Informational capability tier: 1 simple, 2 medium, 3 complex. */
  tier: z.optional(z.union([z.literal(1), z.literal(2), z.literal(3)])),
  /** Output cap sent when the client sets none and the provider requires one (Anthropic's `max_tokens`). */
  maxOutputTokens: z.optional(PositiveInt),
  capabilities: z.optional(
    z.strictObject({
      logprobs: z.optional(z.boolean()),
      /** Native JSON-schema output; for Anthropic models, false (the default) means a forced tool stands in. */
      jsonSchema: z.optional(z.boolean()),
      tools: z.optional(z.boolean()),
      vision: z.optional(z.boolean()),
    }),
  ),
  /**
   * Request fields that change what the provider bills, each allowed only when listed here (else
   * 400 naming the field) and priced as given: `serviceTier` multiplies every token price of a
   * request with that `service_tier`; `webSearch` adds a price per upstream call that carries
   * `web_search_options` (or Anthropic's web search tool); `audioOutput` prices the output tokens
   * of a request that asks for audio (`modalities: ["audio"]` / `audio`) at its own rate.
   */
  billable: z.optional(
    z.strictObject({
      serviceTier: z.optional(z.strictObject({ priority: z.optional(z.number().positive()), flex: z.optional(z.number().positive()) })),
      webSearch: z.optional(z.strictObject({ perCallUsd: z.number().min(0) })),
      audioOutput: z.optional(z.strictObject({ outputPerMillion: z.number().min(0) })),
    }),
  ),
  /** `embedding`: served on /v1/embeddings (priced per input token); `chat` (the default): everything else. */
  kind: z.optional(z.enum(["chat", "embedding"])),
  /** An embedding model's vector size (the simulator makes vectors of this size; default 1536). */
  dimensions: z.optional(PositiveInt),
  /** Models tried, in order, when this one fails and it was asked for by name. */
  fallbacks: z.optional(z.array(z.string())),
  timeoutMs: z.optional(PositiveInt),
});

const Probability = z.number().min(0).max(1);
/** A pattern the linear-time engine runs (core/linear-regex.ts): no backreferences or lookaround, at most 1,000 characters. */
const RegexSource = z
  .string()
  .min(1)
  .check((ctx) => {
    const problem = linearPatternProblem(ctx.value);
    if (problem) ctx.issues.push({ code: "custom", input: ctx.value, message: `not a pattern the gateway can run safely: ${problem}` });
  });
/** A JSON schema whose `pattern`s and `patternProperties` the linear-time engine runs. */
const JsonSchemaObject = z.record(z.string(), z.unknown()).check((ctx) => {
  for (const p of schemaPatternProblems(ctx.value)) {
    ctx.issues.push({ code: "custom", input: ctx.value, path: p.path, message: `not a pattern the gateway can run safely: ${p.message}` });
  }
});
const RegexFlags = z.string().regex(/^[imsu]*$/, "flags may be i, m, s, u").default("");

/** Quality checks on a cascade step's answer; a failed check escalates to the next step. */
export const CheckSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("json_schema"),
    /** The schema the answer must satisfy; when absent, the request's `response_format` schema (or any JSON object for json_object). */
    schema: z.optional(JsonSchemaObject),
  }),
  z.strictObject({ type: z.literal("length"), min: z.optional(z.number().int().min(0)), max: z.optional(z.number().int().min(0)), unit: z.enum(["chars", "tokens"]).default("chars") }),
  z.strictObject({ type: z.literal("contains"), terms: z.array(z.string().min(1)).min(1), mode: z.enum(["all", "any"]).default("all"), caseSensitive: z.boolean().default(false) }),
  z.strictObject({ type: z.literal("regex"), pattern: RegexSource, flags: RegexFlags, negate: z.boolean().default(false) }),
  z.strictObject({
    type: z.literal("logprob"),
    /** Mean token logprob must be at least this (e.g. -0.3). */
    minMean: z.optional(z.number().max(0)),
    /** Every token's logprob must be at least this (e.g. -2.5). */
    minToken: z.optional(z.number().max(0)),
  }),
  z.strictObject({ type: z.literal("self_consistency"), samples: z.number().int().min(2).max(5).default(2), compare: z.enum(["exact", "normalized", "json"]).default("normalized") }),
  z.strictObject({
    type: z.literal("finish"),
    allow: z.array(z.enum(["stop", "length", "tool_calls", "content_filter", "function_call"])).min(1).default(["stop", "tool_calls"]),
  }),
]);

export const StepSchema = z.strictObject({
  model: z.string().min(1),
  fallbacks: z.array(z.string().min(1)).default([]),
  checks: z.array(CheckSchema).default([]),
});

/** What a classifier tier maps to: a model, a model and its fallbacks, or a cascade of steps. */
export const TierTargetSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1), z.strictObject({ steps: z.array(StepSchema).min(1) })]);
const TiersSchema = z
  .strictObject({ "1": z.optional(TierTargetSchema), "2": z.optional(TierTargetSchema), "3": z.optional(TierTargetSchema) })
  .refine((t) => t["1"] !== undefined || t["2"] !== undefined || t["3"] !== undefined, "map at least one tier");
const TierNumber = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/**
 * `explore: 0.05` on a classifier route: that share of its requests (by request id) runs as a cascade —
 * the tier-1 target first, checked, escalated on failure to the tier the classifier chose (at least
 * tier 2) — so labels keep arriving (issue 13). `checks` go on the cheap step (needed when tier 1 has none).
 */
const ExploreSchema = z.union([Probability, z.strictObject({ share: Probability, checks: z.optional(z.array(CheckSchema).min(1)) })]);
/** What learning adds to a classifier: exploration, and (local) a tuned head, its source, a proposal in shadow. */
const LearningFields = { explore: z.optional(ExploreSchema) };

export const ClassifierSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    tiers: TiersSchema,
    /** Score (0..1) at or above which a request is tier 2 / tier 3. */
    thresholds: z.optional(ThresholdsSchema),
    /** Or: the share of traffic to send to tier 2 and to tier 3 (as measured on the classifier's evaluation data). */
    shares: z.optional(z.strictObject({ "2": z.optional(Probability), "3": z.optional(Probability) })),
    ...LearningFields,
    /** Per-route head over the prior (from a tuning run): its score is what the thresholds compare. */
    head: z.optional(HeadSchema),
    /** The tuning run the thresholds (and head) came from; absent = set by hand or the default shares. */
    tuning: z.optional(TuningRefSchema),
    /** A tuning proposal evaluated in shadow: recorded per request (the tier it would give), never served. */
    proposal: z.optional(ShadowProposalSchema),
  }),
  z.strictObject({
    type: z.literal("llm"),
    tiers: TiersSchema,
    /** The model asked to rate complexity; default: the cheapest configured model. */
    model: z.optional(z.string().min(1)),
    timeoutMs: PositiveInt.default(2_000),
    /** Tier used when the classifier call fails or times out. */
    defaultTier: TierNumber.default(2),
    ...LearningFields,
  }),
]);

export const MatchSchema = z.strictObject({
  /** Feature tag: `x-tiergate-feature` header or `metadata.feature`. */
  feature: z.optional(OneOrMany),
  minPromptChars: z.optional(z.number().int().min(0)),
  maxPromptChars: z.optional(z.number().int().min(0)),
  minPromptTokens: z.optional(z.number().int().min(0)),
  maxPromptTokens: z.optional(z.number().int().min(0)),
  /** The model the client asked for; a route with this matcher can remap a concrete model name. */
  model: z.optional(OneOrMany),
  userTier: z.optional(OneOrMany),
  team: z.optional(OneOrMany),
  /** Client key name (from `access.keys`). */
  key: z.optional(OneOrMany),
  hasTools: z.optional(z.boolean()),
  /** The request asks for JSON (`response_format` json_object or json_schema). */
  hasResponseFormat: z.optional(z.boolean()),
  lastUserMessage: z.optional(z.strictObject({ pattern: RegexSource, flags: RegexFlags })),
  /** A/B split: this route takes `percent` of otherwise-matching traffic, bucketed stably by user, key or request. */
  split: z.optional(z.strictObject({ percent: z.number().min(0).max(100), by: z.enum(["user", "key", "request"]).default("user"), salt: z.optional(z.string()) })),
});

/** Drift thresholds (src/stats/drift.ts): rises of rates as fractions (0.05 = 5 points), of cost per request relative (0.25 = +25%). */
export const DriftThresholdsSchema = z.strictObject({
  escalationRate: z.optional(z.number().min(0)),
  fallbackRate: z.optional(z.number().min(0)),
  negativeFeedbackRate: z.optional(z.number().min(0)),
  errorRate: z.optional(z.number().min(0)),
  costPerRequest: z.optional(z.number().min(0)),
});

/** KV's value limit (25 MiB) bounds what a cache entry may be. */
export const MAX_CACHE_ENTRY_BYTES = 25 * 1024 * 1024;

/**
 * The exact response cache of a route (README "Response cache"): answers to identical requests,
 * kept `ttlSeconds`, visible only within their `scope` (the caller's team, or its key alone).
 */
export const CacheSchema = z.strictObject({
  ttlSeconds: z.number().int().positive().max(30 * 86_400),
  scope: z.enum(["team", "key"]).default("team"),
  /** Also cache requests whose temperature is above 0 (or unset: the provider's default is above 0). */
  temperatureAbove0: z.boolean().default(false),
  /** Answers larger than this (JSON bytes) are served but not stored. */
  maxEntryBytes: z.number().int().positive().max(MAX_CACHE_ENTRY_BYTES).default(262_144),
});

export const RouteSchema = z
  .strictObject({
    name: Name,
    description: z.optional(z.string()),
    match: MatchSchema.default({}),
    /** Shorthand for a single step: `model` plus its `fallbacks` and `checks`. */
    model: z.optional(z.string().min(1)),
    fallbacks: z.optional(z.array(z.string().min(1))),
    checks: z.optional(z.array(CheckSchema)),
    /** A cascade: each step may list checks; a failed check escalates to the next step. */
    steps: z.optional(z.array(StepSchema).min(1)),
    /** Complexity classifier: tier 1..3 → target. */
    classifier: z.optional(ClassifierSchema),
    /**
     * Shadow mode: serve what the client asked for (or `serve` for model "auto"), and record
     * what this route would have chosen and its projected cost.
     */
    shadow: z.optional(z.union([z.literal(true), z.strictObject({ serve: z.optional(z.string().min(1)) })])),
    /**
     * A stream that fails after content reached the client: `continue` (the default) asks the next
     * candidate to carry on from the partial answer, stitched into the same stream; `error` ends the
     * stream with an error event.
     */
    onStreamFailure: z.optional(z.enum(["continue", "error"])),
    /**
     * Opt-in review sample (off when absent): `sampleRate` of the route's requests keep their prompt
     * and answer (scrubbed, at most `maxChars` each; only ids and tiers when `storeText` is false) for
     * `retentionDays`, for a person to label on /dashboard/review. Nothing else stores prompt text.
     */
    /** Drift thresholds for this route, over the config's `drift` and the defaults. */
    drift: z.optional(DriftThresholdsSchema),
    review: z.optional(z.strictObject({
      sampleRate: z.number().min(0).max(1),
      storeText: z.boolean().default(true),
      retentionDays: z.number().int().min(1).max(365).default(14),
      maxChars: z.number().int().min(100).max(32_000).default(8_000),
    })),
    /** Exact response cache, off unless set. */
    cache: z.optional(CacheSchema),
  })
  .check((ctx) => {
    const r = ctx.value;
    const targets = [r.model, r.steps, r.classifier].filter((t) => t !== undefined).length;
    if (targets !== 1) {
      ctx.issues.push({ code: "custom", input: r, path: [], message: "a route needs exactly one of `model`, `steps` or `classifier`" });
    }
    if ((r.fallbacks !== undefined || r.checks !== undefined) && r.model === undefined) {
      ctx.issues.push({ code: "custom", input: r, path: [r.fallbacks !== undefined ? "fallbacks" : "checks"], message: "`fallbacks` and `checks` go with `model`; with `steps` or `classifier` put them inside each step" });
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
  /** Per-model circuit breaker, shared across isolates: after `failures` failures within `windowMs`, the model cools down for `cooldownMs`. */
  breaker: z
    .strictObject({ failures: PositiveInt.default(5), windowMs: PositiveInt.default(60_000), cooldownMs: PositiveInt.default(30_000) })
    .default({ failures: 5, windowMs: 60_000, cooldownMs: 30_000 }),
});

export const LimitsSchema = z.strictObject({
  /** Highest `n` any request may ask for (a key may set a lower one). */
  maxN: PositiveInt.default(8),
  /** Upstream calls one client request may cause: attempts, retries, fallbacks, escalations, samples, classifier calls. */
  maxUpstreamCalls: PositiveInt.default(10),
  /** Sum over those calls of the output tokens each asks for (max_tokens × n; a call without max_tokens counts 0). */
  maxRequestedOutputTokens: PositiveInt.default(200_000),
});

export const BudgetRuleSchema = z.strictObject({
  limitUsd: z.number().positive(),
  period: z.enum(["day", "month"]).default("month"),
  /** Percentages of the limit, each reported once per period (webhook, GET /admin/budgets). */
  alerts: z.array(z.number().positive().max(1000)).max(10).default([50, 80, 100]),
  /** When the budget cannot take a request: refuse it (429 budget_exceeded) or send it to a cheaper model. */
  onExhausted: z.union([z.literal("refuse"), z.strictObject({ downgradeTo: z.string().min(1) })]).default("refuse"),
});

/** A budget of a team (the key's team) or a model tier (the tier of the model a request is planned for). */
export const ScopedBudgetSchema = BudgetRuleSchema.extend({ scope: z.enum(["team", "tier"]), name: z.string().min(1) });

/** Limits shared by every key (and token) of one team, beside each key's own. */
export const TeamLimitsSchema = z.strictObject({
  /** Requests per minute, all the team's keys together. */
  rpm: z.optional(PositiveInt),
  /** Tokens per minute (prompt estimate + max_tokens × n), all the team's keys together. */
  tpm: z.optional(PositiveInt),
  /** Requests in flight at once, all the team's keys together. */
  concurrency: z.optional(PositiveInt),
});

export const ConfigSchema = z
  .strictObject({
    $schema: z.optional(z.string()),
    version: z.literal(1).default(1),
    /** The model savings are measured against. */
    baseline: z.string().min(1),
    defaults: DefaultsSchema.default({
      timeoutMs: 30_000,
      maxRetryAfterMs: 2_000,
      maxBodyBytes: 1_048_576,
      breaker: { failures: 5, windowMs: 60_000, cooldownMs: 30_000 },
    }),
    providers: z.record(Name, ProviderSchema),
    models: z.record(ModelAlias, ModelSchema),
    routes: z.array(RouteSchema),
    access: z
      // Closed by default: every /v1/* request needs a key unless this is set to false explicitly.
      .strictObject({
        requireKey: z.boolean().default(true),
        keys: z.array(ClientKeySchema).default([]),
        /** Browser origins answered for anonymous callers and config keys (KV keys list their own). */
        origins: z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, "an origin: scheme://host[:port]")).default([]),
      })
      .default({ requireKey: true, keys: [], origins: [] }),
    /** What one client request may cost in upstream work, whatever cascades, fallbacks and checks do. */
    limits: LimitsSchema.default({ maxN: 8, maxUpstreamCalls: 10, maxRequestedOutputTokens: 200_000 }),
    budgets: z.array(ScopedBudgetSchema).default([]),
    /** Rate limits per team (by the team name of the caller's key): `{"search": {"rpm": 600, "tpm": 200000}}`. */
    teams: z.record(z.string().min(1).max(64), TeamLimitsSchema).default({}),
    /** Drift thresholds for every route (each route's `drift` overrides them); unset: the defaults of src/stats/drift.ts. */
    drift: z.optional(DriftThresholdsSchema),
  })
  .check((ctx) => {
    const cfg = ctx.value;
    const issue = (path: PropertyKey[], message: string) => ctx.issues.push({ code: "custom", input: cfg, path, message });
    const models = new Set(Object.keys(cfg.models));
    const knownModel = (alias: string, path: PropertyKey[]) => {
      if (!models.has(alias)) issue(path, `unknown model "${alias}"; models are: ${[...models].join(", ") || "(none)"}`);
    };
    if (Object.keys(cfg.models).length === 0) issue(["models"], "at least one model is required");
    cfg.budgets.forEach((b, i) => {
      if (typeof b.onExhausted === "object") knownModel(b.onExhausted.downgradeTo, ["budgets", i, "onExhausted", "downgradeTo"]);
    });
    knownModel(cfg.baseline, ["baseline"]);
    if (cfg.models[cfg.baseline]?.kind === "embedding") issue(["baseline"], "the baseline is what chat requests are measured against: it must be a chat model");
    const llmModel = (c: z.infer<typeof ClassifierSchema> | undefined) => (c?.type === "llm" ? c.model : undefined);
    cfg.routes.forEach((r, i) => {
      const rater = llmModel(r.classifier);
      if (rater !== undefined && cfg.models[rater]?.kind === "embedding") issue(["routes", i, "classifier", "model"], "the rating model must be a chat model");
    });
    const kindOf = (alias: string) => cfg.models[alias]?.kind ?? "chat";
    for (const [alias, m] of Object.entries(cfg.models)) {
      m.fallbacks?.forEach((f, i) => {
        if (models.has(f) && kindOf(f) !== kindOf(alias)) issue(["models", alias, "fallbacks", i], `a fallback must be of its model's kind: "${alias}" is a ${kindOf(alias)} model, "${f}" a ${kindOf(f)} model`);
      });
      if (alias === "auto") issue(["models", alias], `"auto" is reserved for "let the routes decide"; pick another alias`);
      if (alias.startsWith("route:")) issue(["models", alias], `aliases may not start with "route:", which names a route (model "route:<name>")`);
      if (!Object.hasOwn(cfg.providers, m.provider)) issue(["models", alias, "provider"], `unknown provider "${m.provider}"`);
      m.fallbacks?.forEach((f, i) => knownModel(f, ["models", alias, "fallbacks", i]));
    }
    for (const [name, p] of Object.entries(cfg.providers)) {
      if (p.type === "openai" && p.baseUrl === undefined && p.preset === undefined) {
        issue(["providers", name], "an openai-type provider needs `baseUrl` or `preset`");
      }
    }
    const seen = new Set<string>();
    const stepRefs = (steps: ReadonlyArray<{ model: string; fallbacks: string[] }>, path: PropertyKey[]) =>
      steps.forEach((s, j) => {
        knownModel(s.model, [...path, j, "model"]);
        s.fallbacks.forEach((f, k) => knownModel(f, [...path, j, "fallbacks", k]));
      });
    cfg.routes.forEach((r, i) => {
      const kinds = new Set(routeModels(r).filter((a) => models.has(a)).map(kindOf));
      if (kinds.size > 1) issue(["routes", i], "a route's models must all be chat models or all embedding models (`kind`)");
      if (r.classifier && kinds.has("embedding")) issue(["routes", i, "classifier"], "a classifier route rates chat prompts: its tiers cannot be embedding models");
      if (seen.has(r.name)) issue(["routes", i, "name"], `duplicate route name "${r.name}"`);
      seen.add(r.name);
      if (r.model !== undefined) knownModel(r.model, ["routes", i, "model"]);
      r.fallbacks?.forEach((f, j) => knownModel(f, ["routes", i, "fallbacks", j]));
      if (r.steps) stepRefs(r.steps, ["routes", i, "steps"]);
      if (r.classifier) {
        for (const tier of ["1", "2", "3"] as const) {
          const t = r.classifier.tiers[tier];
          const path = ["routes", i, "classifier", "tiers", tier];
          if (typeof t === "string") knownModel(t, path);
          else if (Array.isArray(t)) t.forEach((m, j) => knownModel(m, [...path, j]));
          else if (t) stepRefs(t.steps, [...path, "steps"]);
        }
        const c = r.classifier;
        if (c.type === "llm" && c.model !== undefined) knownModel(c.model, ["routes", i, "classifier", "model"]);
        if (c.type === "local" && c.thresholds && c.thresholds["2"] > c.thresholds["3"]) issue(["routes", i, "classifier", "thresholds"], "the tier 2 threshold is above the tier 3 threshold");
        if (c.type === "local" && c.thresholds && c.shares) issue(["routes", i, "classifier"], "give `thresholds` or `shares`, not both");
        if (c.type === "local" && c.shares && (c.shares["2"] ?? 0) + (c.shares["3"] ?? 0) > 1) issue(["routes", i, "classifier", "shares"], "the shares add up to more than 1");
        if (c.type === "local" && c.proposal && c.proposal.thresholds["2"] > c.proposal.thresholds["3"]) issue(["routes", i, "classifier", "proposal", "thresholds"], "the tier 2 threshold is above the tier 3 threshold");
        const exploreProblem = exploreIssue(c);
        if (exploreProblem) issue(["routes", i, "classifier", "explore"], exploreProblem);
      }
      if (typeof r.shadow === "object" && r.shadow.serve !== undefined) knownModel(r.shadow.serve, ["routes", i, "shadow", "serve"]);
      const { minPromptChars: lo, maxPromptChars: hi, minPromptTokens: tlo, maxPromptTokens: thi } = r.match;
      if (lo !== undefined && hi !== undefined && lo > hi) issue(["routes", i, "match"], "minPromptChars is greater than maxPromptChars");
      if (tlo !== undefined && thi !== undefined && tlo > thi) issue(["routes", i, "match"], "minPromptTokens is greater than maxPromptTokens");
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type ProviderConfig = z.infer<typeof ProviderSchema>;
export type ModelEntry = z.infer<typeof ModelSchema>;
export type Route = z.infer<typeof RouteSchema>;
export type RouteMatch = z.infer<typeof MatchSchema>;
export type CheckSpec = z.infer<typeof CheckSchema>;
export type StepSpec = z.infer<typeof StepSchema>;
export type TierTarget = z.infer<typeof TierTargetSchema>;
export type ClassifierSpec = z.infer<typeof ClassifierSchema>;
export type Price = z.infer<typeof PriceSchema>;
export type ClientKey = z.infer<typeof ClientKeySchema>;
export type ConfigDefaults = z.infer<typeof DefaultsSchema>;
export type CacheSpec = z.infer<typeof CacheSchema>;

/** Every model alias a route can send a request to (targets, fallbacks, shadow's serve). */
export function routeModels(r: z.infer<typeof RouteSchema>): string[] {
  const out: string[] = [];
  if (r.model !== undefined) out.push(r.model, ...(r.fallbacks ?? []));
  for (const s of r.steps ?? []) out.push(s.model, ...s.fallbacks);
  if (r.classifier) for (const t of Object.values(r.classifier.tiers)) if (t !== undefined) for (const s of tierSteps(t)) out.push(s.model, ...s.fallbacks);
  if (typeof r.shadow === "object" && r.shadow.serve !== undefined) out.push(r.shadow.serve);
  return out;
}

/** The kind of request a route serves: that of its models (validation keeps them all of one kind). */
export function routeKind(r: Route, config: Pick<Config, "models">): "chat" | "embedding" {
  const first = routeModels(r)[0];
  return (first !== undefined ? config.models[first]?.kind : undefined) ?? "chat";
}

/** The share of requests a classifier route explores (0 when off). */
export function exploreShare(c: ClassifierSpec): number {
  return c.explore === undefined ? 0 : typeof c.explore === "number" ? c.explore : c.explore.share;
}

/** Why a classifier's exploration cannot give labels, or undefined when it can. */
function exploreIssue(c: z.infer<typeof ClassifierSchema>): string | undefined {
  if (exploreShare(c) === 0) return undefined;
  const cheap = c.tiers["1"];
  if (cheap === undefined) return "exploration runs tier 1 first: map tier 1";
  if (c.tiers["2"] === undefined && c.tiers["3"] === undefined) return "exploration escalates a failed cheap answer: map tier 2 or 3";
  const extra = typeof c.explore === "object" ? (c.explore.checks?.length ?? 0) : 0;
  if (extra === 0 && !tierSteps(cheap).some((s) => s.checks.length > 0)) return "exploration needs a check on the cheap answer to learn from: give `explore: { share, checks: [...] }` or checks in tier 1's steps";
  return undefined;
}

/** The steps of a classifier tier's target, whichever form it was written in. */
export function tierSteps(target: TierTarget): StepSpec[] {
  if (typeof target === "string") return [{ model: target, fallbacks: [], checks: [] }];
  if (Array.isArray(target)) return [{ model: target[0] as string, fallbacks: target.slice(1), checks: [] }];
  return target.steps;
}
