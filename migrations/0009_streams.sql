-- Streams that survive failure (issue 15).
ALTER TABLE requests ADD COLUMN seams TEXT;                               -- JSON [{ "attempt": seq, "chars": n, "gapMs": ms }]: where continuations took over a cut answer (status recovered)
ALTER TABLE requests ADD COLUMN dropped_blocks INTEGER NOT NULL DEFAULT 0; -- text blocks dropped beside a forced JSON tool
