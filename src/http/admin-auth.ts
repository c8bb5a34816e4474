/** Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>`; with no token set they are disabled. */
import type { MiddlewareHandler } from "hono";
import { GatewayError } from "../core/errors";
import type { AppEnv } from "../env";
import { errorResponse } from "./error-response";

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Hash both so the comparison is constant-time whatever the lengths.
  const enc = new TextEncoder();
  const [ha, hb] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function adminAuth(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    if (!expected) {
      return errorResponse(new GatewayError({ status: 503, type: "permission_error", code: "admin_disabled", message: "admin endpoints are disabled: set the ADMIN_TOKEN secret", errorClass: "unauthorized", retryable: false }));
    }
    const token = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
    if (!(await sameSecret(token, expected))) {
      return errorResponse(new GatewayError({ status: 401, type: "authentication_error", code: "invalid_admin_token", message: "missing or wrong admin token", errorClass: "unauthorized", retryable: false }));
    }
    await next();
  };
}
