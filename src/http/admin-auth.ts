/**
 * Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>`; with no token set they are disabled
 * (closed by default). Hono's bearerAuth pattern: a factory taking options, returning a named
 * middleware that throws into the app's one error handler rather than building a response.
 */
import type { Context, MiddlewareHandler } from "hono";
import { GatewayError } from "../core/errors";
import type { AppEnv } from "../env";

export interface AdminAuthOptions {
  /** The expected token, read per request; unset or empty disables the endpoints (503). */
  token?: (c: Context<AppEnv>) => string | undefined;
}

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Hash both so the comparison is constant-time whatever the lengths.
  const enc = new TextEncoder();
  const [ha, hb] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

export function requireAdmin({ token = (c) => c.env.ADMIN_TOKEN }: AdminAuthOptions = {}): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const expected = token(c);
    if (!expected) {
      throw new GatewayError({ status: 503, type: "permission_error", code: "admin_disabled", message: "admin endpoints are disabled: set the ADMIN_TOKEN secret", errorClass: "unauthorized", retryable: false });
    }
    const given = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
    if (!(await sameSecret(given, expected))) {
      throw new GatewayError({ status: 401, type: "authentication_error", code: "invalid_admin_token", message: "missing or wrong admin token", errorClass: "unauthorized", retryable: false });
    }
    await next();
  };
}
