-- Recovered streams (cut mid-stream, finished by continuations) counted in the rollups for
-- `recoveredStreamRate` (stats definitions version 2). Rollup rows folded before this migration
-- count 0 until their period is folded again.
ALTER TABLE stats_rollups ADD COLUMN recovered_streams INTEGER NOT NULL DEFAULT 0;
