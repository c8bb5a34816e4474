-- Issue 12: routing accuracy, the opt-in review sample and drift flags.
-- Prompt and answer text of requests a route's `review.sampleRate` picked (and only those; scrubbed,
-- size-capped), deleted by the cron when expires_at (arrival + the route's review.retentionDays) passes.
CREATE TABLE IF NOT EXISTS review_samples (
  request_id TEXT PRIMARY KEY,
  ts INTEGER NOT NULL,                -- ms, when the request arrived
  route TEXT NOT NULL,
  classifier_tier INTEGER,            -- the tier the classifier chose (null on other strategies)
  served_model TEXT,
  prompt TEXT,                        -- null when the route's review.storeText is false
  answer TEXT,
  truncated INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS review_samples_route_ts ON review_samples (route, ts);
CREATE INDEX IF NOT EXISTS review_samples_expires ON review_samples (expires_at);

-- A person's label on a sampled request (POST /admin/review/:id/label, or the review page). One row
-- per request: a new label replaces the old. Kept when the sample's text expires (no text here).
-- Read by tuning (issue 13): request_id, route, tier (1-3: the tier the request needed), good_enough
-- (1/0: the cheap tier's answer was good enough), labeller, at (ms).
CREATE TABLE IF NOT EXISTS review_labels (
  request_id TEXT PRIMARY KEY,
  route TEXT NOT NULL,
  tier INTEGER NOT NULL CHECK (tier IN (1, 2, 3)),
  good_enough INTEGER NOT NULL CHECK (good_enough IN (0, 1)),
  labeller TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS review_labels_at ON review_labels (at);
CREATE INDEX IF NOT EXISTS review_labels_route_at ON review_labels (route, at);

-- The routing confusion counts of a rollup cell (src/stats/routing-accuracy.ts): JSON {key: count}.
ALTER TABLE stats_rollups ADD COLUMN routing_hist TEXT NOT NULL DEFAULT '{}';

-- Drift flags (src/jobs/drift-job.ts): one row per (route, metric) from when it was flagged until it
-- cleared; a new row (and one webhook POST) each time a flag opens.
CREATE TABLE IF NOT EXISTS drift_flags (
  route TEXT NOT NULL,
  metric TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  cleared_at INTEGER,
  previous REAL,
  current REAL,
  PRIMARY KEY (route, metric, opened_at)
);
CREATE INDEX IF NOT EXISTS drift_flags_open ON drift_flags (cleared_at, route);
