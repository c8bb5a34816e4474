/** GET /admin/budgets: every budget (the config's team and tier budgets, each key's own) with spend, reservation, state and alerts fired. */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { alertsFor } from "../storage/budget-alerts";
import { listKeys } from "../storage/gateway-keys";
import { configUnavailable, loadConfig } from "./config-access";

export async function handleBudgets(c: Context<AppEnv>): Promise<Response> {
  const state = await loadConfig(c);
  if (!state.config) throw configUnavailable(state);
  const budgets: Array<{ scope: string; limitUsd: number; period: "day" | "month"; alerts: number[]; onExhausted: unknown }> = [];
  for (const b of state.config.budgets) budgets.push({ scope: `${b.scope}:${b.name}`, limitUsd: b.limitUsd, period: b.period, alerts: b.alerts, onExhausted: b.onExhausted });
  for (const k of await listKeys(c.env.CONFIG)) if (k.budget) budgets.push({ scope: `key:${k.id}`, ...k.budget });
  const now = Date.now();
  const ns = c.env.SPEND;
  const data = await Promise.all(
    budgets.map(async (b) => {
      const view = ns ? await ns.get(ns.idFromName(b.scope)).view(now, { limitUsd: b.limitUsd, period: b.period, alerts: b.alerts, enforce: true }) : null;
      const fired = view ? await alertsFor(c.env.LEDGER, b.scope, view.periodStart) : [];
      return { ...b, spentUsd: view?.spentUsd ?? 0, reservedUsd: view?.reservedUsd ?? 0, inFlight: view?.inFlight ?? 0, periodStart: view ? new Date(view.periodStart).toISOString() : null, state: view?.state ?? "ok", alertsFired: fired };
    }),
  );
  return c.json({ object: "list", data });
}
