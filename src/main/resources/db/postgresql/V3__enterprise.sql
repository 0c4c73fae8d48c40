-- Enterprise sources (billing groups, Analytics API, AI Code Tracking) and their availability per account.
-- Same conventions as V1: epoch days, micro-cents, ISO-8601 text instants, lower-cased e-mails.

-- Whether a plan-gated source answered at its last probe; 401/403 means not available to this team.
CREATE TABLE source_availability (
    account_id BIGINT  NOT NULL,
    source     TEXT COLLATE "C"    NOT NULL,
    available  INTEGER NOT NULL,
    checked_at TEXT COLLATE "C"    NOT NULL,
    reason     TEXT COLLATE "C",
    PRIMARY KEY (account_id, source)
);

-- Current billing cycle's groups, replaced by every fetch.
CREATE TABLE billing_group (
    account_id   BIGINT  NOT NULL,
    group_id     TEXT COLLATE "C"    NOT NULL,
    name         TEXT COLLATE "C"    NOT NULL,
    unassigned   INTEGER NOT NULL,
    spend_ucents BIGINT  NOT NULL,
    PRIMARY KEY (account_id, group_id)
);

CREATE TABLE billing_group_member (
    account_id   BIGINT  NOT NULL,
    email        TEXT COLLATE "C"    NOT NULL,
    user_id      TEXT COLLATE "C",
    group_id     TEXT COLLATE "C"    NOT NULL,
    spend_ucents BIGINT  NOT NULL,
    PRIMARY KEY (account_id, email)
);

CREATE TABLE billing_cycle (
    account_id  BIGINT  PRIMARY KEY,
    cycle_start TEXT COLLATE "C",
    cycle_end   TEXT COLLATE "C",
    fetched_at  TEXT COLLATE "C" NOT NULL
);

-- Per group and day; kept across cycles (the only per-day spend history Cursor offers).
CREATE TABLE billing_group_daily (
    account_id   BIGINT  NOT NULL,
    group_id     TEXT COLLATE "C"    NOT NULL,
    day          BIGINT  NOT NULL,
    spend_ucents BIGINT  NOT NULL,
    PRIMARY KEY (account_id, group_id, day)
);

-- Analytics API rows flattened to (metric, day, dimension, field) -> value; dimension is the model or client
-- version, '' for one-row-per-day metrics. Restated values only go up, like daily usage.
CREATE TABLE analytics_daily (
    account_id BIGINT  NOT NULL,
    metric     TEXT COLLATE "C"    NOT NULL,
    day        BIGINT  NOT NULL,
    dimension  TEXT COLLATE "C"    NOT NULL,
    field      TEXT COLLATE "C"    NOT NULL,
    value      BIGINT  NOT NULL,
    PRIMARY KEY (account_id, metric, day, dimension, field)
);

-- ETag of the last 200 answer per request URL (path and query), saved with that answer's data.
CREATE TABLE http_etag (
    account_id BIGINT  NOT NULL,
    url        TEXT COLLATE "C"    NOT NULL,
    etag       TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (account_id, url)
);

-- AI Code Tracking commits. Deliberately without the commit message and file names. A hash seen again
-- (amended or re-ingested commits) replaces the stored row, so it is counted once.
CREATE TABLE ai_code_commit (
    account_id           BIGINT  NOT NULL,
    commit_hash          TEXT COLLATE "C"    NOT NULL,
    day                  BIGINT  NOT NULL,
    email                TEXT COLLATE "C"    NOT NULL,
    user_id              TEXT COLLATE "C",
    repo                 TEXT COLLATE "C",
    branch               TEXT COLLATE "C",
    primary_branch       INTEGER,
    commit_source        TEXT COLLATE "C",
    total_lines_added    BIGINT  NOT NULL,
    total_lines_deleted  BIGINT  NOT NULL,
    tab_lines_added      BIGINT  NOT NULL,
    tab_lines_deleted    BIGINT  NOT NULL,
    composer_lines_added BIGINT  NOT NULL,
    composer_lines_deleted BIGINT  NOT NULL,
    non_ai_lines_added   BIGINT  NOT NULL,
    non_ai_lines_deleted BIGINT  NOT NULL,
    commit_ts            TEXT COLLATE "C",
    created_at           TEXT COLLATE "C",
    PRIMARY KEY (account_id, commit_hash)
);

CREATE INDEX ai_code_commit_day ON ai_code_commit (account_id, day);
