/**
 * Where each part of a stats window is read from, so a 90-day view costs about what a 1-day view
 * does: daily rollups for whole closed days, hourly rollups for the closed hours around them, and
 * raw ledger rows only for the open tail (after the rollups' watermark) and for a bound that is not
 * on an hour. Pure: the watermarks come from storage.
 */
import { DAY_MS, HOUR_MS } from "./cell";

export interface TimeRange {
  from: number;
  to: number;
}

export interface SourcePlan {
  day: TimeRange[];
  hour: TimeRange[];
  raw: TimeRange[];
}

export interface Watermarks {
  /** Every hour that starts before this (ms) is folded into hourly rollups; null: none yet. */
  hour: number | null;
  /** Every UTC day that starts before this is folded into daily rollups; null: none yet. */
  day: number | null;
}

const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;
const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

function push(list: TimeRange[], from: number, to: number): void {
  if (from < to) list.push({ from, to });
}

/** `useDays` false when periods are hours (a daily rollup cannot be split into hours). */
export function planSources(window: TimeRange, marks: Watermarks, useDays: boolean): SourcePlan {
  const plan: SourcePlan = { day: [], hour: [], raw: [] };
  const closedEnd = marks.hour === null ? window.from : Math.max(window.from, Math.min(window.to, marks.hour));
  const a = ceilTo(window.from, HOUR_MS);
  const b = floorTo(closedEnd, HOUR_MS);
  if (a >= b) {
    push(plan.raw, window.from, window.to);
    return plan;
  }
  push(plan.raw, window.from, a);
  const dayEnd = useDays && marks.day !== null ? floorTo(Math.min(b, marks.day), DAY_MS) : a;
  const da = ceilTo(a, DAY_MS);
  if (useDays && da < dayEnd) {
    push(plan.hour, a, da);
    plan.day.push({ from: da, to: dayEnd });
    push(plan.hour, dayEnd, b);
  } else {
    push(plan.hour, a, b);
  }
  push(plan.raw, b, window.to);
  return plan;
}
