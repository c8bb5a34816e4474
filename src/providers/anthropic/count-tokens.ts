/**
 * Anthropic's own token count (`POST <baseUrl>/messages/count_tokens`) for a canonical request:
 * the body the Messages call would send, without the fields count_tokens does not take.
 */
import type { ChatRequest } from "../../core/chat-request";
import type { ProviderOf, UpstreamTarget } from "../types";
import { toAnthropicBody } from "./request";
import { hostAllowed } from "../../config/provider-keys";

const COUNTED_FIELDS = ["model", "messages", "system", "tools", "tool_choice"] as const;

/** The provider's count, or null when it cannot give one (unreachable, an error status, an unreadable body). */
export async function anthropicTokenCount(
  request: ChatRequest,
  target: UpstreamTarget<ProviderOf<"anthropic">>,
  doFetch: typeof fetch,
  signal?: AbortSignal,
): Promise<number | null> {
  const full = toAnthropicBody(request, target, false);
  const body: Record<string, unknown> = {};
  for (const k of COUNTED_FIELDS) if (full[k] !== undefined) body[k] = full[k];
  const headers: Record<string, string> = { ...(target.provider.headers ?? {}), "content-type": "application/json", "anthropic-version": target.provider.version };
  if (target.apiKey) headers["x-api-key"] = target.apiKey;
  const url = `${target.provider.baseUrl.replace(/\/+$/, "")}/messages/count_tokens`;
  // The key goes only to the hosts bound to its secret (config/provider-keys.ts); elsewhere the estimate stands in.
  if (target.apiKey && !hostAllowed(url, target.keyHosts ?? [])) return null;
  try {
    const res = await doFetch(url, { method: "POST", headers, body: JSON.stringify(body), redirect: "manual", ...(signal ? { signal } : {}) });
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const json = (await res.json()) as { input_tokens?: unknown };
    return typeof json.input_tokens === "number" && Number.isInteger(json.input_tokens) && json.input_tokens >= 0 ? json.input_tokens : null;
  } catch {
    return null;
  }
}
