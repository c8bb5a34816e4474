/**
 * Per-model circuit breakers shared by every isolate: a Durable Object, because breaker state
 * must be consistent within seconds and KV propagates writes in up to a minute (and allows one
 * write per second per key). Isolates read its state in the background and report only
 * failures (and the successes that close a circuit), so a healthy gateway adds no calls.
 */
import { DurableObject } from "cloudflare:workers";

export interface BreakerPolicy {
  failures: number;
  windowMs: number;
  cooldownMs: number;
}

export interface HealthEvent {
  model: string;
  ok: boolean;
  at: number;
}

interface ModelState {
  failures: number[];
  openUntil: number;
  /** The circuit has opened and not yet seen a success: a failure after the cooldown reopens it at once. */
  tripped: boolean;
}

export class ModelHealthObject extends DurableObject {
  private readonly models = new Map<string, ModelState>();

  report(events: HealthEvent[], policy: BreakerPolicy): Record<string, number> {
    for (const e of events) {
      const s = this.models.get(e.model) ?? { failures: [], openUntil: 0, tripped: false };
      if (e.ok) {
        s.failures = [];
        s.tripped = false;
        s.openUntil = 0;
      } else if (s.tripped && e.at >= s.openUntil) {
        s.openUntil = e.at + policy.cooldownMs; // half-open trial failed
      } else if (e.at >= s.openUntil) {
        s.failures = s.failures.filter((t) => e.at - t < policy.windowMs);
        s.failures.push(e.at);
        if (s.failures.length >= policy.failures) {
          s.openUntil = e.at + policy.cooldownMs;
          s.tripped = true;
          s.failures = [];
        }
      }
      this.models.set(e.model, s);
    }
    return this.cooldowns(Date.now());
  }

  cooldowns(now: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [model, s] of this.models) if (s.openUntil > now) out[model] = s.openUntil;
    return out;
  }
}
