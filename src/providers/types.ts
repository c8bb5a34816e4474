/**
 * What execution needs from a provider: one call, returning a whole completion or a stream of
 * canonical chunks, or throwing a GatewayError. Providers never see Hono, storage or env:
 * the key and base URL come in the target.
 */
import type { ChatRequest } from "../core/chat-request";
import type { EmbeddingRequest, EmbeddingResult } from "../core/embedding";
import type { GatewayError } from "../core/errors";
import type { ChatCompletion, ChatCompletionChunk } from "../core/chat-response";
import type { ModelEntry, ProviderConfig } from "../config/schema";

export type ProviderType = ProviderConfig["type"];
/** One provider type's config entry (an adapter is written against its own). */
export type ProviderOf<T extends ProviderType> = Extract<ProviderConfig, { type: T }>;

export interface UpstreamTarget<P extends ProviderConfig = ProviderConfig> {
  /** The model's alias in the config (what routes name). */
  alias: string;
  model: ModelEntry;
  providerName: string;
  provider: P;
  /** The API key, resolved from a Worker secret by execution; undefined when none is configured. */
  apiKey: string | undefined;
  /** The hosts `apiKey` may be sent to (bound to its secret name); a key is never sent elsewhere. */
  keyHosts?: readonly string[];
}

export interface CallOptions {
  stream: boolean;
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Told of each block of the upstream's answer left out of the client's (text beside a forced JSON tool); the ledger counts them. */
  onDroppedBlock?: () => void;
}

/** What a translation may report about the answer it reads, besides the answer. */
export type AnswerNotes = Pick<CallOptions, "onDroppedBlock">;

export type EmbedOptions = Pick<CallOptions, "signal" | "fetch">;

export type UpstreamResult =
  | { kind: "completion"; completion: ChatCompletion }
  | {
      kind: "stream";
      chunks: ReadableStream<ChatCompletionChunk>;
      /** Turns what reading `chunks` throws (a dropped connection, our own abort) into a GatewayError. */
      classifyError?: (err: unknown) => GatewayError;
    };

/**
 * How this provider is asked to continue an answer that was cut mid-stream (the partial answer is
 * the conversation's last assistant turn): `prefill` — the API continues a trailing assistant turn
 * itself (Anthropic); `prefix` — it does when that turn is marked `prefix: true` (Mistral's prefix
 * completion); `instruction` — neither, so a user turn after the partial asks for the rest.
 */
export type ContinuationMechanism = "prefill" | "prefix" | "instruction";

export interface ProviderCapabilities {
  /** Token logprobs are returned when asked for (the routing engine's confidence check reads them). */
  logprobs: boolean;
}

/**
 * One provider type's adapter, typed by its own config entry (no downcast inside). Function-typed
 * members, not methods, so the compiler checks them strictly: an adapter for one type cannot be
 * handed another type's target (the registry narrows the config before it binds one).
 */
export interface ProviderAdapter<P extends ProviderConfig = ProviderConfig> {
  readonly call: (request: ChatRequest, target: UpstreamTarget<P>, options: CallOptions) => Promise<UpstreamResult>;
  /** Embeddings (`POST /v1/embeddings`); absent when the provider has none (Anthropic). */
  readonly embed?: (request: EmbeddingRequest, target: UpstreamTarget<P>, options: EmbedOptions) => Promise<EmbeddingResult>;
  /** What this provider can do for this target, where the model entry does not say. */
  readonly capabilities: (target: Pick<UpstreamTarget<P>, "provider" | "model">) => ProviderCapabilities;
  /** How a cut answer is continued on this provider. */
  readonly continuation: (target: Pick<UpstreamTarget<P>, "provider" | "model">) => ContinuationMechanism;
  /** Label recorded in responses and the ledger (e.g. "simulator" for the built-in one). */
  readonly kind: string;
  /** The gateway makes the answers up itself (no model behind them): responses say so and the ledger marks them. */
  readonly simulated: boolean;
}
