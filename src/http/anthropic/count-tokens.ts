/**
 * POST /v1/messages/count_tokens in Anthropic's shape (`{input_tokens}`): Anthropic's own count
 * when the model the request would be routed to is served by an Anthropic provider (with its
 * key), else the gateway's estimate (about four characters per token, as for routing),
 * marked as one: `estimated: true` in the body and `x-tiergate-token-count: estimate`.
 * The caller's key decides as for /v1/messages: its routes and models (403), its max_tokens ceiling
 * (400) and its request rate and concurrency (429: a count may call Anthropic with the gateway's
 * key); it costs nothing, so it reserves nothing against budgets and adds no tokens per minute.
 */
import type { Context } from "hono";
import { applyCeilings, checkSelection } from "../../access/policy";
import { promptText, type ChatRequest } from "../../core/chat-request";
import type { Config } from "../../config/schema";
import { GatewayError, internalError } from "../../core/errors";
import { estimateTokens } from "../../core/tokens";
import { readKeyHosts, readSecret, type AppEnv } from "../../env";
import { resolveTarget } from "../../execution/target";
import { anthropicTokenCount } from "../../providers/anthropic/count-tokens";
import { planSelection } from "../../routing/plan";
import { requestMeta } from "../../routing/request-meta";
import { selectRoute } from "../../routing/select-route";
import { configUnavailable, loadConfig } from "../config-access";
import { DEFAULT_MAX_BODY_BYTES } from "../gateway-handler";
import { admitOrRefuse, scopesFor } from "../spend";
import { invalidBody } from "../openai-codec";
import { parseJsonBody, readBodyText } from "../read-body";
import { anthropicCodec } from "./codec";
import { MessagesRequestSchema } from "./request-schema";
import { toChatRequest } from "./to-chat-request";
import { modelNamed, providerNamed } from "../../config/lookup";

/** count_tokens takes a Messages request without `max_tokens`. */
const CountTokensSchema = MessagesRequestSchema.extend({ max_tokens: MessagesRequestSchema.shape.max_tokens.optional() });

/** Anthropic's own count when the model is served by an Anthropic provider with a key; else null. */
async function providerCount(c: Context<AppEnv>, config: Config, alias: string, request: ChatRequest): Promise<number | null> {
  const provider = providerNamed(config, modelNamed(config, alias)?.provider ?? "");
  if (provider?.type !== "anthropic") return null;
  try {
    const { target } = resolveTarget(alias, config, { secret: (name) => readSecret(c.env, name), keyHosts: (name) => readKeyHosts(c.env, name) });
    if (target.provider.type === "anthropic") return await anthropicTokenCount(request, { ...target, provider: target.provider }, fetch, c.req.raw.signal);
  } catch (e) {
    // No key for it: the estimate stands in.
    if (!(e instanceof GatewayError)) throw e;
  }
  return null;
}

export async function handleCountTokens(c: Context<AppEnv>): Promise<Response> {
  let limitHeaders: Record<string, string> = {};
  try {
    const state = await loadConfig(c);
    const text = await readBodyText(c.req.raw, state.config?.defaults.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const parsed = CountTokensSchema.safeParse(parseJsonBody(text));
    if (!parsed.success) throw invalidBody(parsed.error);
    const config = state.config;
    if (!config) throw configUnavailable(state);
    const client = c.get("client");
    const request = applyCeilings(toChatRequest({ ...parsed.data, max_tokens: parsed.data.max_tokens ?? 1, stream: false }), client.policy, config);
    const headers = c.req.raw.headers;
    const { keyId: _keyId, policy, ...identity } = client;
    const meta = requestMeta(request, headers, identity, c.get("requestId"), c.get("receivedAt"));
    const selection = selectRoute(request.model, meta, config);
    checkSelection(selection.route?.name ?? null, request.model, policy);
    const plan = planSelection(request, selection, config);
    const scopes = scopesFor(client, config, plan).map((s) => ({ ...s, budget: null }));
    const admission = await admitOrRefuse(c, scopes, meta.requestId, { usd: 0, tokens: 0 }, (h) => (limitHeaders = h));
    const alias = plan.steps[0]?.model ?? config.baseline;

    let counted: number | null;
    try {
      counted = await providerCount(c, config, alias, request);
    } finally {
      await admission.settle(0);
    }
    const estimated = counted === null;
    const body = { input_tokens: counted ?? estimateTokens(promptText(request)), ...(estimated ? { estimated: true } : {}) };
    return c.json(body, 200, { "x-tiergate-model": alias, "x-tiergate-route": plan.route, "x-tiergate-token-count": estimated ? "estimate" : "provider", ...limitHeaders });
  } catch (e) {
    return anthropicCodec.errorResponse(e instanceof GatewayError ? e : internalError(e), limitHeaders);
  }
}
