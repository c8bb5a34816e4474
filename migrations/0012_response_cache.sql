-- Response cache (issue 18): how a route's cache met each request. NULL on routes without a cache.
ALTER TABLE requests ADD COLUMN cache_status TEXT;      -- hit | miss | refresh (no-cache: looked past, stored) | bypass (no-store) | skip (not cacheable)
ALTER TABLE requests ADD COLUMN cache_kind TEXT;        -- exact (semantic later)
ALTER TABLE requests ADD COLUMN cache_source TEXT;      -- a hit: the request id whose answer was served
ALTER TABLE requests ADD COLUMN cache_saved_usd REAL;   -- a hit: the upstream cost of that answer, not spent again
CREATE INDEX IF NOT EXISTS requests_route_cache ON requests (route, cache_status);
