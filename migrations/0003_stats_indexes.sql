-- GET /admin/stats filters by feature over a time range (route and team have their (x, ts) indexes in 0001).
CREATE INDEX IF NOT EXISTS requests_feature_ts ON requests (feature, ts);
