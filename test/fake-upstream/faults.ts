/**
 * Faults that come and go, for the reliability benchmarks (the fixed faults live in server.ts):
 *   flaky:<fault>:rate=0.1[:seed=7]              the fault on a seeded share of calls, an answer otherwise
 *   outage:<fault>:after=2000:for=3000           the fault only inside a time window, counted from the
 *                                                first call of this model id (or since POST /__reset)
 * where <fault> is an HTTP status (`503`), `hangup` (socket destroyed before any answer),
 * `slow` (answer after `ms=`, default 10 000) or `cut` (streams: `chunks=` events, then the
 * socket is destroyed; non-stream calls are hung up). Calls without the fault get the echo answer,
 * so `latency=`, `pace=` and `tokens=` apply as for `echo`.
 */
import { seededRng } from "../../src/core/random";
import { numOpt, type Scenario } from "./scenario";

export type Fault =
  | { kind: "status"; status: number }
  | { kind: "hangup" }
  | { kind: "slow"; ms: number }
  | { kind: "cut"; chunks: number };


function parseFault(s: Scenario): Fault {
  const what = s.args[0] ?? "503";
  if (what === "hangup") return { kind: "hangup" };
  if (what === "slow") return { kind: "slow", ms: numOpt(s, "ms", 10_000) };
  if (what === "cut") return { kind: "cut", chunks: numOpt(s, "chunks", 1) };
  const status = Number(what);
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`fake upstream: unknown fault "${what}" in ${s.raw}`);
  return { kind: "status", status };
}

export interface IntermittentFaults {
  /** The fault this call suffers, or null when it is answered normally; only for `flaky` and `outage`. */
  decide(s: Scenario, now: number): Fault | null;
  reset(): void;
}

export function intermittentFaults(): IntermittentFaults {
  const dice = new Map<string, () => number>();
  const firstSeen = new Map<string, number>();
  return {
    decide(s, now) {
      if (s.kind === "flaky") {
        let roll = dice.get(s.raw);
        if (!roll) dice.set(s.raw, (roll = seededRng(numOpt(s, "seed", 1))));
        return roll() < numOpt(s, "rate", 0.1) ? parseFault(s) : null;
      }
      if (s.kind === "outage") {
        if (!firstSeen.has(s.raw)) firstSeen.set(s.raw, now);
        const elapsed = now - (firstSeen.get(s.raw) ?? now);
        const from = numOpt(s, "after", 0);
        return elapsed >= from && elapsed < from + numOpt(s, "for", 1_000) ? parseFault(s) : null;
      }
      return null;
    },
    reset() {
      dice.clear();
      firstSeen.clear();
    },
  };
}
