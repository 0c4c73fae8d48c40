-- What Cursor's restatements took back (REFERENCE.md Q21): when a complete re-read of a window replaces a day's
-- events and a figure of one (day, e-mail, model, billing) comes back lower, the decrease is added here. The usage
-- counters show the stored events plus these rows, so they never go down, and
-- cursor_usage_withdrawn_*_total exposes them: counter minus withdrawn is Cursor's current figure.
CREATE TABLE usage_withdrawn (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    email              TEXT COLLATE "C"    NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    billing            TEXT COLLATE "C"    NOT NULL,
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, email, model, billing)
);
