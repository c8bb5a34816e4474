/**
 * The transport shared by every HTTP provider: send, classify failures, and hand back either a
 * parsed completion or a stream of canonical chunks. A provider supplies only the translation
 * (request body, response parse, event → chunk transform, error parse).
 */
import type { z } from "zod";
import { GatewayError, parseRetryAfter, type ErrorType } from "../core/errors";
import { scrubSecrets } from "../core/secrets";
import { decodeSSE, type EventSourceMessage, type EventTranslator } from "../core/sse";
import type { ChatRequest } from "../core/chat-request";
import type { ChatCompletion, ChatCompletionChunk } from "../core/chat-response";
import type { ProviderConfig } from "../config/schema";
import { hostAllowed } from "../config/provider-keys";
import type { AnswerNotes, CallOptions, UpstreamResult, UpstreamTarget } from "./types";

export interface HttpRequestSpec {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface UpstreamErrorInfo {
  status: number;
  headers: Headers;
  bodyText: string;
  target: UpstreamTarget;
}

/** One provider's translation, typed by its own config entry. */
export interface HttpTranslation<P extends ProviderConfig = ProviderConfig> {
  buildRequest(request: ChatRequest, target: UpstreamTarget<P>, stream: boolean): HttpRequestSpec;
  /** The request is the one `buildRequest` translated: some answers are read back in its light (e.g. a tool that stood in for JSON output). */
  parseCompletion(json: unknown, target: UpstreamTarget<P>, request: ChatRequest, notes: AnswerNotes): ChatCompletion;
  /** A fresh transformer per call: upstream events → canonical chunks. May throw GatewayError for in-stream errors. */
  streamTransformer(target: UpstreamTarget<P>, request: ChatRequest, notes: AnswerNotes): EventTranslator<ChatCompletionChunk>;
  /** Turns an error response into a GatewayError (message client-safe). */
  parseError(info: UpstreamErrorInfo): GatewayError;
}

export async function httpCall<P extends ProviderConfig>(t: HttpTranslation<P>, request: ChatRequest, target: UpstreamTarget<P>, options: CallOptions): Promise<UpstreamResult> {
  const spec = t.buildRequest(request, target, options.stream);
  const response = await send(spec, target, options);

  if (!response.ok) {
    const bodyText = await readText(response, options.signal, target);
    throw t.parseError({ status: response.status, headers: response.headers, bodyText, target });
  }

  if (options.stream) {
    if (!response.body) throw protocolError(target, "stream response has no body");
    const chunks = decodeSSE(response.body, t.streamTransformer(target, request, notesOf(options)));
    const signal = options.signal;
    return {
      kind: "stream",
      chunks,
      classifyError: (err) => (err instanceof GatewayError ? err : signal.aborted ? abortReason(signal, target) : interrupted(target, err)),
    };
  }

  return { kind: "completion", completion: t.parseCompletion(await readJson(response, options.signal, target), target, request, notesOf(options)) };
}

const notesOf = (options: CallOptions): AnswerNotes => (options.onDroppedBlock ? { onDroppedBlock: options.onDroppedBlock } : {});

/** POSTs the spec's JSON body; a failure to connect (or our own abort) becomes the GatewayError that says so. */
export async function send(spec: HttpRequestSpec, target: UpstreamTarget, options: Pick<CallOptions, "signal" | "fetch">): Promise<Response> {
  if (target.apiKey && !hostAllowed(spec.url, target.keyHosts ?? [])) throw keyHostRefused(target, spec.url);
  let response: Response;
  try {
    response = await options.fetch(spec.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...spec.headers },
      body: JSON.stringify(spec.body),
      signal: options.signal,
      // A redirect would carry the key's header to a host nobody allowed.
      redirect: "manual",
    });
  } catch (err) {
    if (options.signal.aborted) throw abortReason(options.signal, target);
    throw new GatewayError({
      status: 502,
      type: "upstream_error",
      code: "upstream_unreachable",
      message: `could not reach provider "${target.providerName}": ${scrub(err instanceof Error ? err.message : String(err), target)}`,
      errorClass: "connection",
      provider: target.providerName,
      retryable: true,
      cause: err,
    });
  }
  return response;
}

/** The body as JSON, or a protocol error. */
export async function readJson(response: Response, signal: AbortSignal, target: UpstreamTarget): Promise<unknown> {
  const text = await readText(response, signal, target);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw protocolError(target, "response body is not JSON");
  }
}

/** The key is bound to its hosts (config/provider-keys.ts): a changed baseUrl cannot send it elsewhere. */
function keyHostRefused(target: UpstreamTarget, url: string): GatewayError {
  let host = "(unreadable URL)";
  try {
    host = new URL(url).host;
  } catch {
    // keep the placeholder
  }
  const keySecret = "keySecret" in target.provider ? target.provider.keySecret : undefined;
  return new GatewayError({
    status: 500,
    type: "config_error",
    code: "key_host_not_allowed",
    message: `provider "${target.providerName}": the key in ${keySecret ?? "its secret"} may not be sent to ${host}; allowed hosts: ${(target.keyHosts ?? []).join(", ") || "(none)"} (set PROVIDER_KEY_HOSTS to bind it)`,
    errorClass: "config",
    provider: target.providerName,
    retryable: true,
  });
}

export async function readText(response: Response, signal: AbortSignal, target: UpstreamTarget): Promise<string> {
  try {
    return await response.text();
  } catch (err) {
    throw signal.aborted ? abortReason(signal, target) : interrupted(target, err);
  }
}

function interrupted(target: UpstreamTarget, cause: unknown): GatewayError {
  return new GatewayError({
    status: 502,
    type: "upstream_error",
    code: "upstream_interrupted",
    message: `provider "${target.providerName}" closed the connection mid-response`,
    errorClass: "connection",
    provider: target.providerName,
    retryable: true,
    cause,
  });
}

function abortReason(signal: AbortSignal, target: UpstreamTarget): GatewayError {
  const reason: unknown = signal.reason;
  if (reason instanceof GatewayError) return reason;
  return new GatewayError({
    status: 499,
    type: "api_error",
    code: "client_aborted",
    message: "the request was cancelled",
    errorClass: "client_aborted",
    provider: target.providerName,
    retryable: false,
  });
}

export function protocolError(target: UpstreamTarget, detail: string): GatewayError {
  return new GatewayError({
    status: 502,
    type: "upstream_error",
    code: "upstream_protocol_error",
    message: `provider "${target.providerName}" sent a response the gateway could not read: ${detail}`,
    errorClass: "upstream_protocol",
    provider: target.providerName,
    retryable: true,
  });
}

/** An upstream stream event's data as JSON, or a protocol error. */
export function eventJson(event: EventSourceMessage, target: UpstreamTarget): unknown {
  try {
    return JSON.parse(event.data);
  } catch {
    throw protocolError(target, "stream event is not JSON");
  }
}

/** A value read with a (partial) wire schema, or a protocol error naming the first mismatch. */
export function readWire<T>(schema: z.ZodType<T>, value: unknown, target: UpstreamTarget): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw protocolError(target, parsed.error.issues[0]?.message ?? "unexpected shape");
  return parsed.data;
}

/** Removes the target's own key (and its re-encodings), every remembered secret and anything key-shaped (core/secrets.ts). */
export function scrub(text: string, target: Pick<UpstreamTarget, "apiKey">): string {
  return scrubSecrets(text, target.apiKey ? [target.apiKey] : []);
}

/** What a provider's error body adds to the status: its own code and parameter, and its view of retrying. */
export interface ProviderErrorDetail {
  code?: string;
  param?: string;
  /** Overrides the status's default (e.g. a provider-level 4xx another model would not hit). */
  retryable?: boolean;
  /** From the body, for providers that say it there; the Retry-After header is used when absent. */
  retryAfterMs?: number;
}

/**
 * The common shape of an upstream HTTP error as a GatewayError: status kept, retryability from
 * the status unless the provider says more, Retry-After parsed, message from the provider's body
 * when it has one (scrubbed of secrets).
 */
export function upstreamHttpError(info: UpstreamErrorInfo, providerMessage: string | undefined, detail: ProviderErrorDetail = {}): GatewayError {
  const { status, headers, target } = info;
  const text = providerMessage ? scrub(providerMessage, target) : `HTTP ${status}`;
  const retryAfterMs = detail.retryAfterMs ?? parseRetryAfter(headers);
  return new GatewayError({
    status,
    type: errorTypeForStatus(status),
    code: detail.code ?? (status === 429 ? "rate_limited" : status >= 500 ? "upstream_error" : "upstream_rejected"),
    message: `${target.providerName} (${target.model.id}): ${text}`,
    errorClass: status === 429 ? "rate_limited" : status === 408 ? "timeout" : status >= 500 ? "upstream_5xx" : "upstream_4xx",
    provider: target.providerName,
    ...(detail.param !== undefined ? { param: detail.param } : {}),
    ...(detail.retryable !== undefined ? { retryable: detail.retryable } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/**
 * An error event inside an upstream stream. Before the first content it fails the attempt
 * (execution falls back); after it, it cuts the client's stream visibly.
 */
export function inStreamError(target: UpstreamTarget, message: string, detail: { status?: number; code?: string; retryable?: boolean } = {}): GatewayError {
  const status = detail.status ?? 502;
  return new GatewayError({
    status,
    type: status === 429 ? "rate_limit_error" : "upstream_error",
    code: detail.code ?? "upstream_stream_error",
    message: `${target.providerName} (${target.model.id}): ${scrub(message, target)}`,
    errorClass: "stream_interrupted",
    provider: target.providerName,
    retryable: detail.retryable ?? true,
  });
}

function errorTypeForStatus(status: number): ErrorType {
  if (status === 429) return "rate_limit_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 408) return "timeout_error";
  return status >= 500 ? "upstream_error" : "invalid_request_error";
}
