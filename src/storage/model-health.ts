/**
 * The isolate's view of model health: cooldowns read from the shared Durable Object at most
 * once per refresh interval, in the background (stale-while-revalidate), so routing never
 * waits on it; failures are reported off the response path.
 */
import type { ModelHealth } from "../core/model-health";
import type { BreakerPolicy, HealthEvent, ModelHealthObject } from "./model-health-object";
import { logEvent } from "../core/log";

const REFRESH_MS = 1_000;
const OBJECT_NAME = "global";

let view: { cooldowns: Record<string, number>; fetchedAt: number } = { cooldowns: {}, fetchedAt: 0 };
let refreshing = false;
/** Models this isolate saw fail recently: their next success is reported, to close the circuit. */
const suspect = new Set<string>();

export function resetHealthView(): void {
  view = { cooldowns: {}, fetchedAt: 0 };
  refreshing = false;
  suspect.clear();
}

export function modelHealth(ns: DurableObjectNamespace<ModelHealthObject>, policy: BreakerPolicy, waitUntil: (p: Promise<unknown>) => void, now: () => number = Date.now): ModelHealth {
  const stub = () => ns.get(ns.idFromName(OBJECT_NAME));
  const send = (events: HealthEvent[]) =>
    waitUntil(
      stub()
        .report(events, policy)
        .then((cooldowns) => {
          view = { cooldowns, fetchedAt: now() };
        })
        .catch((err: unknown) => logEvent("error", "health_report_failed", { error: String(err) })),
    );
  return {
    cooldowns() {
      if (!refreshing && now() - view.fetchedAt > REFRESH_MS) {
        refreshing = true;
        waitUntil(
          stub()
            .cooldowns(now())
            .then((cooldowns) => {
              view = { cooldowns, fetchedAt: now() };
            })
            .catch((err: unknown) => logEvent("error", "health_read_failed", { error: String(err) }))
            .finally(() => {
              refreshing = false;
            }),
        );
      }
      return view.cooldowns;
    },
    report(model, ok) {
      if (ok && !suspect.has(model) && !(model in view.cooldowns)) return;
      if (ok) suspect.delete(model);
      else suspect.add(model);
      send([{ model, ok, at: now() }]);
    },
  };
}
