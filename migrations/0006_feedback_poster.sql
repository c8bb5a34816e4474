-- Who posted a feedback report (POST /v1/feedback): only the key or team that made the request may.
ALTER TABLE feedback ADD COLUMN posted_by_key TEXT;
ALTER TABLE feedback ADD COLUMN posted_by_team TEXT;
