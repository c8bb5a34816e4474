/**
 * What execution needs from a provider: one call, returning a whole completion or a stream of
 * canonical chunks, or throwing a GatewayError. Providers never see Hono, storage or env:
 * the key and base URL come in the target.
 */
import type { ChatRequest } from "../core/chat-request";
import type { GatewayError } from "../core/errors";
import type { ChatCompletion, ChatCompletionChunk } from "../core/chat-response";
import type { ModelEntry, ProviderConfig } from "../config/schema";

export interface UpstreamTarget {
  /** The model's alias in the config (what routes name). */
  alias: string;
  model: ModelEntry;
  providerName: string;
  provider: ProviderConfig;
  /** The API key, resolved from a Worker secret by execution; undefined when none is configured. */
  apiKey: string | undefined;
}

export interface CallOptions {
  stream: boolean;
  signal: AbortSignal;
  fetch: typeof fetch;
}

export type UpstreamResult =
  | { kind: "completion"; completion: ChatCompletion }
  | {
      kind: "stream";
      chunks: ReadableStream<ChatCompletionChunk>;
      /** Turns what reading `chunks` throws (a dropped connection, our own abort) into a GatewayError. */
      classifyError?: (err: unknown) => GatewayError;
    };

export interface ProviderCapabilities {
  /** Token logprobs are returned when asked for (the routing engine's confidence check reads them). */
  logprobs: boolean;
}

export interface ProviderAdapter {
  call(request: ChatRequest, target: UpstreamTarget, options: CallOptions): Promise<UpstreamResult>;
  /** What this provider can do for this target, where the model entry does not say. */
  capabilities(target: Pick<UpstreamTarget, "provider" | "model">): ProviderCapabilities;
  /** Label recorded in responses and the ledger (e.g. "simulator" for the built-in one). */
  readonly kind: string;
}
