-- One row per client request, written off the response path (ctx.waitUntil).
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY,
  ts INTEGER NOT NULL,                -- ms since epoch, when the request arrived
  route TEXT NOT NULL,                -- route name, "direct" for a named model, "-" when routing never ran
  strategy TEXT,                      -- rules | direct | (classifier, cascade with the routing engine)
  reason TEXT,                        -- why the route matched
  feature TEXT,
  key_name TEXT,
  team TEXT,
  user_tier TEXT,
  requested_model TEXT,
  served_model TEXT,
  provider TEXT,
  provider_kind TEXT,                 -- adapter kind: openai | simulator | ...
  simulated INTEGER NOT NULL DEFAULT 0,
  stream INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,               -- ok | error | partial (stream cut after content) | aborted (client left)
  http_status INTEGER NOT NULL,
  error_class TEXT,
  error_message TEXT,
  finish_reason TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cached_input_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  usage_estimated INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,   -- every attempt's cost, failed ones included
  baseline_model TEXT,
  baseline_cost_usd REAL NOT NULL DEFAULT 0,
  latency_ms INTEGER NOT NULL,
  ttfb_ms INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  fallbacks INTEGER NOT NULL DEFAULT 0,
  escalations INTEGER NOT NULL DEFAULT 0,
  plan TEXT,                          -- JSON of the routing plan
  config_hash TEXT
);
CREATE INDEX IF NOT EXISTS requests_ts ON requests (ts);
CREATE INDEX IF NOT EXISTS requests_route_ts ON requests (route, ts);
CREATE INDEX IF NOT EXISTS requests_team_ts ON requests (team, ts);

-- One row per upstream call.
CREATE TABLE IF NOT EXISTS attempts (
  request_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,                 -- primary | retry | fallback
  step INTEGER NOT NULL DEFAULT 0,    -- plan step (tier)
  model TEXT NOT NULL,
  provider TEXT,
  ok INTEGER NOT NULL,
  http_status INTEGER,                -- null when no response came (timeout, refused connection)
  error_class TEXT,
  error_message TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  usage_estimated INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  latency_ms INTEGER NOT NULL,
  ttfb_ms INTEGER,
  PRIMARY KEY (request_id, seq)
);
