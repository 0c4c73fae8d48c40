-- Cursor refused the account's key on a core source (HTTP 401/403): one row per refused source, deleted when
-- that source succeeds again. Stored so that a restart shows the state at once (cursor_exporter_auth_failing,
-- /api/v1/status, /readyz) instead of re-learning it on its first poll. The message never contains a secret.
CREATE TABLE auth_refusal (
    account_id BIGINT  NOT NULL,
    source     TEXT COLLATE "C"    NOT NULL,
    status     INTEGER NOT NULL,
    endpoint   TEXT COLLATE "C"    NOT NULL,
    reason     TEXT COLLATE "C"    NOT NULL,
    at         TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (account_id, source)
);
