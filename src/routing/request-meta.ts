/** What routing knows about a request besides its body: who sent it, for which feature, how big it is. */
import { lastUserText, promptText, type ChatRequest } from "../core/chat-request";
import { estimateTokens } from "../core/tokens";

export interface ClientIdentity {
  keyName?: string;
  team?: string;
  userTier?: string;
}

export interface RequestMeta extends ClientIdentity {
  requestId: string;
  receivedAt: number;
  feature?: string;
  /** The end user (`user` field), for sticky A/B buckets. */
  user?: string;
  promptChars: number;
  promptTokens: number;
  hasTools?: boolean;
  hasResponseFormat?: boolean;
  lastUserText?: string;
}

export const FEATURE_HEADER = "x-tiergate-feature";
export const USER_TIER_HEADER = "x-tiergate-user-tier";

export function requestMeta(
  request: ChatRequest,
  headers: { get(name: string): string | null },
  identity: ClientIdentity,
  requestId: string,
  receivedAt: number,
): RequestMeta {
  const text = promptText(request);
  const feature = headers.get(FEATURE_HEADER) ?? request.metadata?.feature ?? undefined;
  const userTier = identity.userTier ?? headers.get(USER_TIER_HEADER) ?? request.metadata?.user_tier ?? undefined;
  const rf = request.response_format?.type;
  const meta: RequestMeta = {
    requestId,
    receivedAt,
    promptChars: text.length,
    promptTokens: estimateTokens(text),
    hasTools: (request.tools?.length ?? 0) > 0,
    hasResponseFormat: rf === "json_object" || rf === "json_schema",
    lastUserText: lastUserText(request),
  };
  if (feature) meta.feature = feature;
  if (userTier) meta.userTier = userTier;
  if (request.user) meta.user = request.user;
  if (identity.keyName) meta.keyName = identity.keyName;
  if (identity.team) meta.team = identity.team;
  return meta;
}
