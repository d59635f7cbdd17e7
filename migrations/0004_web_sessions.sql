-- Dashboard sessions. The browser holds a random session id; only its SHA-256 is stored, so a
-- copy of this table cannot be used to sign in. Expired rows are deleted by the web process.
CREATE TABLE web_sessions (
    key_hash    bytea PRIMARY KEY CHECK (length(key_hash) = 32),
    value       jsonb NOT NULL,
    expires_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX web_sessions_expires_at_idx ON web_sessions (expires_at);
