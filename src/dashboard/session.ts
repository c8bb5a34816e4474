/**
 * Dashboard sign-in: the admin token or the read-only DASHBOARD_TOKEN, posted through a form, is
 * exchanged for a session cookie (HttpOnly, SameSite=Strict, Path=/dashboard, 12 h) holding the role,
 * an expiry and an HMAC of both keyed with that role's token — never the token itself, and never a
 * token in a URL. Rotating a token ends its sessions. The cookie opens /dashboard pages only; every
 * /admin endpoint still needs `Authorization: Bearer <ADMIN_TOKEN>`.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../env";

export type Role = "admin" | "viewer";
export const SESSION_COOKIE = "tiergate_session";
export const SESSION_TTL_MS = 12 * 3_600_000;

export type DashboardEnv = AppEnv & { Variables: AppEnv["Variables"] & { role: Role } };

const enc = new TextEncoder();

function tokenFor(c: Context<DashboardEnv>, role: Role): string | undefined {
  const t = role === "admin" ? c.env.ADMIN_TOKEN : c.env.DASHBOARD_TOKEN;
  return t ? t : undefined;
}

async function hmac(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(message)));
  return btoa(String.fromCharCode(...sig)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function sameSecret(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([crypto.subtle.digest("SHA-256", enc.encode(a)), crypto.subtle.digest("SHA-256", enc.encode(b))]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

/** The role a submitted token signs in as, or null. */
export async function roleOfToken(c: Context<DashboardEnv>, given: string): Promise<Role | null> {
  for (const role of ["admin", "viewer"] as const) {
    const t = tokenFor(c, role);
    if (t && (await sameSecret(given, t))) return role;
  }
  return null;
}

export async function sessionCookie(c: Context<DashboardEnv>, role: Role, now: number): Promise<string> {
  const exp = now + SESSION_TTL_MS;
  const value = `${role}.${exp}.${await hmac(tokenFor(c, role) ?? "", `${role}.${exp}`)}`;
  const secure = new URL(c.req.url).protocol === "https:" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${secure}`;
}

export const clearedSessionCookie = `${SESSION_COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0`;

export async function sessionRole(c: Context<DashboardEnv>, now: number): Promise<Role | null> {
  const [role, exp, sig] = (getCookie(c, SESSION_COOKIE) ?? "").split(".");
  if ((role !== "admin" && role !== "viewer") || !exp || !sig || !(Number(exp) > now)) return null;
  const t = tokenFor(c, role);
  if (!t) return null;
  return (await sameSecret(sig, await hmac(t, `${role}.${exp}`))) ? role : null;
}

/** Pages need a session; without one, the sign-in form. */
export function requireSession(): MiddlewareHandler<DashboardEnv> {
  return async function dashboardSession(c, next) {
    const role = await sessionRole(c, Date.now());
    if (!role) return c.redirect("/dashboard/login", 303);
    c.set("role", role);
    await next();
  };
}
