-- Budget alerts: one row per (scope, period, threshold), written when settled spend first reaches it.
CREATE TABLE IF NOT EXISTS budget_alerts (
  scope TEXT NOT NULL,            -- key:<id> | team:<name> | tier:<n>
  period_start INTEGER NOT NULL,  -- ms, UTC start of the day or month
  threshold REAL NOT NULL,        -- percent of the limit
  ts INTEGER NOT NULL,
  spent_usd REAL NOT NULL,
  limit_usd REAL NOT NULL,
  PRIMARY KEY (scope, period_start, threshold)
);
