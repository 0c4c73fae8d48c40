-- Enterprise sources (billing groups, Analytics API, AI Code Tracking) and their availability per account.
-- Same conventions as V1: epoch days, micro-cents, ISO-8601 text instants, lower-cased e-mails.

-- Whether a plan-gated source answered at its last probe; 401/403 means not available to this team.
CREATE TABLE source_availability (
    account_id BIGINT  NOT NULL,
    source     TEXT    NOT NULL,
    available  INTEGER NOT NULL,
    checked_at TEXT    NOT NULL,
    reason     TEXT,
    PRIMARY KEY (account_id, source)
);

-- Current billing cycle's groups, replaced by every fetch.
CREATE TABLE billing_group (
    account_id   BIGINT  NOT NULL,
    group_id     TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    unassigned   INTEGER NOT NULL,
    spend_ucents BIGINT  NOT NULL,
    PRIMARY KEY (account_id, group_id)
);

CREATE TABLE billing_group_member (
    account_id   BIGINT  NOT NULL,
    email        TEXT    NOT NULL,
    user_id      TEXT,
    group_id     TEXT    NOT NULL,
    spend_ucents BIGINT  NOT NULL,
    PRIMARY KEY (account_id, email)
);

CREATE TABLE billing_cycle (
    account_id  BIGINT  PRIMARY KEY,
    cycle_start TEXT,
    cycle_end   TEXT,
    fetched_at  TEXT NOT NULL
);

-- Per group and day; kept across cycles (the only per-day spend history Cursor offers).
CREATE TABLE billing_group_daily (
    account_id   BIGINT  NOT NULL,
    group_id     TEXT    NOT NULL,
    day          BIGINT  NOT NULL,
    spend_ucents BIGINT  NOT NULL,
    PRIMARY KEY (account_id, group_id, day)
);

-- Analytics API rows flattened to (metric, day, dimension, field) -> value; dimension is the model or client
-- version, '' for one-row-per-day metrics. Restated values only go up, like daily usage.
CREATE TABLE analytics_daily (
    account_id BIGINT  NOT NULL,
    metric     TEXT    NOT NULL,
    day        BIGINT  NOT NULL,
    dimension  TEXT    NOT NULL,
    field      TEXT    NOT NULL,
    value      BIGINT  NOT NULL,
    PRIMARY KEY (account_id, metric, day, dimension, field)
);

-- ETag of the last 200 answer per request URL (path and query), saved with that answer's data.
CREATE TABLE http_etag (
    account_id BIGINT  NOT NULL,
    url        TEXT    NOT NULL,
    etag       TEXT    NOT NULL,
    PRIMARY KEY (account_id, url)
);

-- AI Code Tracking commits. Deliberately without the commit message and file names. A hash seen again
-- (amended or re-ingested commits) replaces the stored row, so it is counted once.
CREATE TABLE ai_code_commit (
    account_id           BIGINT  NOT NULL,
    commit_hash          TEXT    NOT NULL,
    day                  BIGINT  NOT NULL,
    email                TEXT    NOT NULL,
    user_id              TEXT,
    repo                 TEXT,
    branch               TEXT,
    primary_branch       INTEGER,
    commit_source        TEXT,
    total_lines_added    BIGINT  NOT NULL,
    total_lines_deleted  BIGINT  NOT NULL,
    tab_lines_added      BIGINT  NOT NULL,
    tab_lines_deleted    BIGINT  NOT NULL,
    composer_lines_added BIGINT  NOT NULL,
    composer_lines_deleted BIGINT  NOT NULL,
    non_ai_lines_added   BIGINT  NOT NULL,
    non_ai_lines_deleted BIGINT  NOT NULL,
    commit_ts            TEXT,
    created_at           TEXT,
    PRIMARY KEY (account_id, commit_hash)
);

CREATE INDEX ai_code_commit_day ON ai_code_commit (account_id, day);
