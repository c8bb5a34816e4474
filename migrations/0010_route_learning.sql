-- Routes that learn from their outcomes (issue 13). Per request on a classifier route: what a per-route
-- model learns from (the prior's score is classifier_score, 0002) — never the prompt.
ALTER TABLE requests ADD COLUMN head_score REAL;          -- the per-route head's score (P(cheap fails)), when the route has one
ALTER TABLE requests ADD COLUMN features TEXT;            -- JSON text-free summary: {"chars","lines","digits","questions","messages","code","math","options","tools","json"}
ALTER TABLE requests ADD COLUMN explored INTEGER NOT NULL DEFAULT 0; -- 1: in the route's exploration share (ran as a cascade from tier 1)
ALTER TABLE requests ADD COLUMN thresholds_source TEXT;   -- default | shares | thresholds | tuning:<id>@<date>
ALTER TABLE requests ADD COLUMN proposal_id TEXT;         -- a tuning proposal evaluated in shadow on this request
ALTER TABLE requests ADD COLUMN proposal_tier INTEGER;    -- the tier that proposal would have given

-- Tuning runs (POST /admin/routes/:name/tune): the proposal and its figures, applied or put in shadow with one PUT.
CREATE TABLE IF NOT EXISTS route_tunings (
  id TEXT PRIMARY KEY,
  route TEXT NOT NULL,
  ts INTEGER NOT NULL,                -- ms, when the run was made
  target REAL NOT NULL,               -- the quality target
  labels INTEGER NOT NULL,
  trustworthy INTEGER NOT NULL,
  status TEXT NOT NULL,               -- proposed | shadow | applied
  status_ts INTEGER,                  -- ms, when the status last changed (shadow start, applied at)
  result TEXT NOT NULL                -- JSON: thresholds, head, curve, current and proposed points, warnings
);
CREATE INDEX IF NOT EXISTS route_tunings_route_ts ON route_tunings (route, ts);
