-- Which endpoint family a request came through: chat (chat completions, messages, responses) or
-- embedding (/v1/embeddings, priced per input token). Rows from before this migration are chat.
ALTER TABLE requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'chat';
CREATE INDEX IF NOT EXISTS requests_kind_ts ON requests (kind, ts);
