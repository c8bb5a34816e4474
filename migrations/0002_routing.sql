-- Routing engine: cascade quality, classifier decisions, shadow projections, check verdicts, client feedback.
ALTER TABLE requests ADD COLUMN quality TEXT;            -- passed | failed | unchecked
ALTER TABLE requests ADD COLUMN classifier TEXT;         -- local | llm, when a classifier routed the request
ALTER TABLE requests ADD COLUMN classifier_tier INTEGER;
ALTER TABLE requests ADD COLUMN classifier_score REAL;   -- local classifier score in [0,1]
ALTER TABLE requests ADD COLUMN shadow_model TEXT;       -- shadow mode: the model the route would have chosen
ALTER TABLE requests ADD COLUMN shadow_cost_usd REAL;    -- the served tokens priced at that model

ALTER TABLE attempts ADD COLUMN checks TEXT;             -- JSON check verdicts on this attempt's answer

-- Downstream success reported back by the client (POST /v1/feedback).
CREATE TABLE IF NOT EXISTS feedback (
  request_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  success INTEGER,                   -- 1 / 0, when the client says whether the answer worked
  score REAL,                        -- 0..1
  label TEXT,
  comment TEXT,
  PRIMARY KEY (request_id, ts)
);
