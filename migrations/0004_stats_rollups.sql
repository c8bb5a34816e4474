-- Rollups of the ledger (src/jobs/rollup-job.ts, run by the Cron Trigger): one row per period and
-- per combination of the stats dimensions, with the additive counters of src/stats/cell.ts and the
-- latency / time-to-first-byte histograms as JSON ({bucket: count}, buckets of src/stats/histogram.ts).
CREATE TABLE IF NOT EXISTS stats_rollups (
  grain TEXT NOT NULL,                -- hour | day
  period INTEGER NOT NULL,            -- period start, ms since epoch (UTC)
  cell TEXT NOT NULL,                 -- JSON array of the dimensions below (NULLs kept apart from '')
  route TEXT,
  model TEXT,                         -- the served model
  feature TEXT,
  team TEXT,
  key_name TEXT,
  provider TEXT,
  requests INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  baseline_cost_usd REAL NOT NULL,
  check_passed INTEGER NOT NULL,
  check_failed INTEGER NOT NULL,
  escalated INTEGER NOT NULL,
  with_fallback INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  aborted INTEGER NOT NULL,
  streams INTEGER NOT NULL,
  partial_streams INTEGER NOT NULL,
  feedback_count INTEGER NOT NULL,
  feedback_rated INTEGER NOT NULL,
  feedback_success INTEGER NOT NULL,
  feedback_scored INTEGER NOT NULL,
  feedback_score_sum REAL NOT NULL,
  classified INTEGER NOT NULL,
  tier1_judged INTEGER NOT NULL,
  tier1_agreed INTEGER NOT NULL,
  shadow_requests INTEGER NOT NULL,
  shadow_actual_cost_usd REAL NOT NULL,
  shadow_cost_usd REAL NOT NULL,
  latency_hist TEXT NOT NULL,
  ttfb_hist TEXT NOT NULL,
  PRIMARY KEY (grain, period, cell)
);
CREATE INDEX IF NOT EXISTS stats_rollups_route ON stats_rollups (grain, route, period);
CREATE INDEX IF NOT EXISTS stats_rollups_team ON stats_rollups (grain, team, period);
CREATE INDEX IF NOT EXISTS stats_rollups_feature ON stats_rollups (grain, feature, period);

-- How far the rollup job has got: `hour` / `day` = end of the last folded hour / day (ms);
-- `feedback` = feedback received before this (ms) is in the rollups.
CREATE TABLE IF NOT EXISTS stats_watermarks (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

-- Feedback received since the last run refolds the hours of the requests it is about.
CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);
