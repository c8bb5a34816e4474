/** The gateway's admin API, as an operator (or the dashboard) would use it. */
import { ADMIN_TOKEN } from "./gateway-miniflare";

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

export async function putConfig(origin: string, doc: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${origin}/admin/config`, { method: "PUT", headers: adminHeaders, body: typeof doc === "string" ? doc : JSON.stringify(doc) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function storeConfig(origin: string, doc: unknown): Promise<string> {
  const r = await putConfig(origin, doc);
  if (r.status !== 200) throw new Error(`config rejected (${r.status}): ${JSON.stringify(r.body)}`);
  return String(r.body.hash);
}

export async function configStatus(origin: string): Promise<{ status: number; ok: boolean; source: string; hash: string | null; problem: unknown }> {
  const res = await fetch(`${origin}/admin/config/status`, { headers: adminHeaders });
  return { status: res.status, ...((await res.json()) as { ok: boolean; source: string; hash: string | null; problem: unknown }) };
}
