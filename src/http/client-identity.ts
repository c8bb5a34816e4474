/** Who is calling: the client key (looked up by its SHA-256 in the config) and what it says about its team and tier. */
import { GatewayError } from "../core/errors";
import { sha256Hex } from "../core/hash";
import type { Config } from "../config/schema";
import type { ClientIdentity } from "../routing/request-meta";

/** The key in `Authorization: Bearer <key>`. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() || undefined;
}

/** `token` is the client's key as its inbound format carries it (see InboundCodec.clientKey). */
export async function identifyClient(token: string | undefined, config: Config): Promise<ClientIdentity> {
  const keys = config.access.keys;
  if (token && keys.length > 0) {
    const hash = await sha256Hex(token);
    const key = keys.find((k) => k.keySha256 === hash);
    if (key) {
      const id: ClientIdentity = { keyName: key.name };
      if (key.team) id.team = key.team;
      if (key.userTier) id.userTier = key.userTier;
      return id;
    }
  }
  if (config.access.requireKey) {
    throw new GatewayError({
      status: 401, type: "authentication_error", code: "invalid_api_key",
      message: token ? "the API key is not known to this gateway" : "this gateway requires an API key: send Authorization: Bearer <key> (or x-api-key)",
      errorClass: "unauthorized", retryable: false,
    });
  }
  return {};
}
