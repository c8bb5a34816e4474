/**
 * The Cron Trigger's work (src/index.ts `scheduled`): fold the raw ledger into hourly and daily
 * stats rollups, incrementally from watermarks, then delete raw rows past their retention.
 *
 * - Hours that ended at least `lagMs` ago (default 10 min, for ledger entries still in the queue)
 *   are folded from the hour watermark on, `hoursPerFold` hours per D1 read and write; hours with
 *   no request are skipped. A request recorded after its hour was folded is not in the rollups.
 * - Feedback received since the last run refolds the hours of the requests it is about (within
 *   the retention), and their days.
 * - Whole UTC days before the hour watermark are folded from the hourly rollups.
 * - Raw rows (requests, their attempts and feedback) older than the retention AND already folded
 *   are deleted, whole hours only; rollups are kept.
 * Every fold replaces its periods and moves its watermark in one transaction: a second run, a
 * late run or two runs at once give the same rollups.
 */
import { DAY_MS, HOUR_MS, regroupCells } from "../stats/cell";
import type { TimeRange } from "../stats/sources";
import { readRawCells } from "../storage/stats-cells";
import { deleteRawBefore, hoursWithFeedback, nextRequestTs, nextRollupPeriod, readRollupCells, readWatermarks, replaceRollups } from "../storage/stats-rollups";

export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_ROLLUP_LAG_MS = 10 * 60_000;

/** LEDGER_RETENTION_DAYS: a positive number of days, else the default. */
export function parseRetentionDays(value: string | undefined): number {
  const days = Number(value ?? DEFAULT_RETENTION_DAYS);
  return Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS;
}

export interface RollupOptions {
  now: number;
  retentionDays?: number;
  lagMs?: number;
  hoursPerFold?: number;
  /** Folds (each one read and one write) per run, so a long catch-up spreads over runs. */
  maxFolds?: number;
}

export interface RollupRun {
  hourWatermark: number | null;
  dayWatermark: number | null;
  hoursFolded: TimeRange[];
  hoursRefolded: TimeRange[];
  daysFolded: TimeRange[];
  rawDeleted: number;
  retentionCutoff: number | null;
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/** Contiguous hours as ranges, none longer than `maxHours`. */
function spans(hours: number[], maxHours: number): TimeRange[] {
  const out: TimeRange[] = [];
  for (const h of hours) {
    const last = out.at(-1);
    if (last && last.to === h && last.to - last.from < maxHours * HOUR_MS) last.to = h + HOUR_MS;
    else out.push({ from: h, to: h + HOUR_MS });
  }
  return out;
}

async function foldHours(db: D1Database, range: TimeRange, marks: { hour?: number }): Promise<void> {
  const cells = await readRawCells(db, { ...range, filters: {} });
  await replaceRollups(db, "hour", [range], cells, marks);
}

async function foldDays(db: D1Database, range: TimeRange, marks: { day?: number }): Promise<void> {
  const hours = await readRollupCells(db, "hour", [range]);
  await replaceRollups(db, "day", [range], regroupCells(hours, (h) => floorTo(h, DAY_MS)), marks);
}

export async function runRollups(db: D1Database, opts: RollupOptions): Promise<RollupRun> {
  const { now, retentionDays = DEFAULT_RETENTION_DAYS, lagMs = DEFAULT_ROLLUP_LAG_MS, hoursPerFold = 6, maxFolds = 24 } = opts;
  const closed = floorTo(now - lagMs, HOUR_MS);
  const marks = await readWatermarks(db);
  const run: RollupRun = { hourWatermark: marks.hour, dayWatermark: marks.day, hoursFolded: [], hoursRefolded: [], daysFolded: [], rawDeleted: 0, retentionCutoff: null };
  let folds = 0;

  // 1. New closed hours, from the watermark (or the first request) on.
  let hw = marks.hour;
  if (hw === null) {
    const first = await nextRequestTs(db, 0);
    hw = first === null ? null : floorTo(first, HOUR_MS);
  }
  while (hw !== null && hw < closed && folds < maxFolds) {
    const next = await nextRequestTs(db, hw);
    if (next === null || next >= closed) {
      await replaceRollups(db, "hour", [], [], { hour: closed });
      hw = closed;
      break;
    }
    const range = { from: Math.max(hw, floorTo(next, HOUR_MS)), to: 0 };
    range.to = Math.min(range.from + hoursPerFold * HOUR_MS, closed);
    await foldHours(db, range, { hour: range.to });
    run.hoursFolded.push(range);
    hw = range.to;
    folds++;
  }
  run.hourWatermark = hw;
  if (hw === null) return run;

  // 2. Feedback since the last run: refold the (kept) hours it is about, and later their days.
  const retentionCutoff = floorTo(Math.min(now - retentionDays * DAY_MS, hw), HOUR_MS);
  if (marks.feedback !== null) {
    const hours = (await hoursWithFeedback(db, marks.feedback, now, marks.hour ?? hw, HOUR_MS)).filter((h) => h >= retentionCutoff);
    for (const range of spans(hours, hoursPerFold)) {
      await foldHours(db, range, {});
      run.hoursRefolded.push(range);
    }
  }
  await replaceRollups(db, "hour", [], [], { feedback: now });

  // 3. Whole days before the hour watermark, from the day watermark (or the first hourly rollup) on.
  const dayEnd = floorTo(hw, DAY_MS);
  let dw = marks.day ?? (await nextRollupPeriod(db, "hour", 0).then((p) => (p === null ? null : floorTo(p, DAY_MS))));
  while (dw !== null && dw < dayEnd && folds < maxFolds) {
    const next = await nextRollupPeriod(db, "hour", dw);
    if (next === null || next >= dayEnd) {
      await replaceRollups(db, "day", [], [], { day: dayEnd });
      dw = dayEnd;
      break;
    }
    const range = { from: Math.max(dw, floorTo(next, DAY_MS)), to: 0 };
    range.to = Math.min(range.from + 7 * DAY_MS, dayEnd);
    await foldDays(db, range, { day: range.to });
    run.daysFolded.push(range);
    dw = range.to;
    folds++;
  }
  run.dayWatermark = dw;
  // Days already folded whose hours were refolded.
  const refoldDays = [...new Set(run.hoursRefolded.flatMap((r) => [floorTo(r.from, DAY_MS), floorTo(r.to - 1, DAY_MS)]))].filter((d) => dw !== null && d < dw);
  for (const d of refoldDays) {
    await foldDays(db, { from: d, to: d + DAY_MS }, {});
    run.daysFolded.push({ from: d, to: d + DAY_MS });
  }

  // 4. Retention: raw rows older than the retention, never ones not yet folded.
  run.retentionCutoff = retentionCutoff;
  run.rawDeleted = await deleteRawBefore(db, retentionCutoff);
  return run;
}
