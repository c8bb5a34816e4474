/** Test support: patterns that are exponential for a backtracking engine, the input that makes them so, and a CPU clock. */

/** Exponential for a backtracking engine on `a…a!` (each would run for minutes in RegExp). */
export const EXPONENTIAL = ["^(a+)+$", "^(a|aa)+$", "^(a|a?)+$", "(\\w+\\s?)*$", "^(([a-z])+.)+[A-Z]([a-z])+$"];
export const HOSTILE_INPUT = "a".repeat(10_240) + "!";

/** CPU milliseconds (user + system) that `fn` used. */
export function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
