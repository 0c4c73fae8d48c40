-- cursor-exporter durable store, SQLite dialect.
--
-- Conventions (see SqliteStore):
--   * days are INTEGER UTC epoch days (LocalDate.toEpochDay), compact and range-scannable;
--   * money is INTEGER micro-units (cents x 10^6, dollars x 10^6, rounded HALF_EVEN): exact, and SUM() stays exact;
--   * instants that must read back exactly are ISO-8601 TEXT; event timestamps are epoch ms (Cursor's precision);
--   * e-mails are lower-cased, a missing e-mail is '';
--   * every table is keyed by a small account id instead of repeating the account name in millions of rows.

CREATE TABLE account (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
) STRICT;

CREATE TABLE members (
    account_id INTEGER NOT NULL,
    email      TEXT    NOT NULL,
    user_id    TEXT,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    removed    INTEGER NOT NULL,
    last_seen  TEXT    NOT NULL,
    PRIMARY KEY (account_id, email)
) STRICT, WITHOUT ROWID;

-- Current billing cycle, replaced by every spend fetch.
CREATE TABLE spend_current (
    account_id         INTEGER NOT NULL,
    email              TEXT    NOT NULL,
    user_id            TEXT,
    cycle_spend_ucents INTEGER NOT NULL,
    on_demand_ucents   INTEGER NOT NULL,
    limit_udollars     INTEGER,
    PRIMARY KEY (account_id, email)
) STRICT, WITHOUT ROWID;

CREATE TABLE spend_cycle (
    account_id  INTEGER PRIMARY KEY,
    cycle_start TEXT,
    fetched_at  TEXT NOT NULL
) STRICT;

-- Last spend report of each UTC day (Cursor keeps no spend history): input for cycle-end forecasts.
CREATE TABLE spend_daily (
    account_id         INTEGER NOT NULL,
    day                INTEGER NOT NULL,
    email              TEXT    NOT NULL,
    user_id            TEXT,
    cycle_start        TEXT,
    cycle_spend_ucents INTEGER NOT NULL,
    on_demand_ucents   INTEGER NOT NULL,
    limit_udollars     INTEGER,
    fetched_at         TEXT    NOT NULL,
    PRIMARY KEY (account_id, day, email)
) STRICT, WITHOUT ROWID;

CREATE TABLE daily_usage (
    account_id                 INTEGER NOT NULL,
    day                        INTEGER NOT NULL,
    email                      TEXT    NOT NULL,
    user_id                    TEXT,
    active                     INTEGER NOT NULL,
    total_lines_added          INTEGER NOT NULL,
    total_lines_deleted        INTEGER NOT NULL,
    accepted_lines_added       INTEGER NOT NULL,
    accepted_lines_deleted     INTEGER NOT NULL,
    total_applies              INTEGER NOT NULL,
    total_accepts              INTEGER NOT NULL,
    total_rejects              INTEGER NOT NULL,
    total_tabs_shown           INTEGER NOT NULL,
    total_tabs_accepted        INTEGER NOT NULL,
    composer_requests          INTEGER NOT NULL,
    chat_requests              INTEGER NOT NULL,
    agent_requests             INTEGER NOT NULL,
    cmdk_usages                INTEGER NOT NULL,
    subscription_included_reqs INTEGER NOT NULL,
    api_key_reqs               INTEGER NOT NULL,
    usage_based_reqs           INTEGER NOT NULL,
    bugbot_usages              INTEGER NOT NULL,
    most_used_model            TEXT    NOT NULL,
    client_version             TEXT    NOT NULL,
    PRIMARY KEY (account_id, day, email)
) STRICT, WITHOUT ROWID;

-- Per-e-mail sums of daily_usage over all days, kept by triggers so the metrics snapshot reads O(members) rows.
-- Daily rows only ever grow (upward restatement), so NEW - OLD is never negative.
CREATE TABLE activity_totals (
    account_id           INTEGER NOT NULL,
    email                TEXT    NOT NULL,
    lines_added          INTEGER NOT NULL,
    accepted_lines_added INTEGER NOT NULL,
    tabs_shown           INTEGER NOT NULL,
    tabs_accepted        INTEGER NOT NULL,
    chat_requests        INTEGER NOT NULL,
    composer_requests    INTEGER NOT NULL,
    agent_requests       INTEGER NOT NULL,
    cmdk_usages          INTEGER NOT NULL,
    bugbot_usages        INTEGER NOT NULL,
    PRIMARY KEY (account_id, email)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER daily_usage_added AFTER INSERT ON daily_usage
BEGIN
    INSERT INTO activity_totals (account_id, email, lines_added, accepted_lines_added, tabs_shown, tabs_accepted,
                                 chat_requests, composer_requests, agent_requests, cmdk_usages, bugbot_usages)
    VALUES (NEW.account_id, NEW.email, NEW.total_lines_added, NEW.accepted_lines_added, NEW.total_tabs_shown,
            NEW.total_tabs_accepted, NEW.chat_requests, NEW.composer_requests, NEW.agent_requests, NEW.cmdk_usages,
            NEW.bugbot_usages)
    ON CONFLICT (account_id, email) DO UPDATE SET
        lines_added          = lines_added          + excluded.lines_added,
        accepted_lines_added = accepted_lines_added + excluded.accepted_lines_added,
        tabs_shown           = tabs_shown           + excluded.tabs_shown,
        tabs_accepted        = tabs_accepted        + excluded.tabs_accepted,
        chat_requests        = chat_requests        + excluded.chat_requests,
        composer_requests    = composer_requests    + excluded.composer_requests,
        agent_requests       = agent_requests       + excluded.agent_requests,
        cmdk_usages          = cmdk_usages          + excluded.cmdk_usages,
        bugbot_usages        = bugbot_usages        + excluded.bugbot_usages;
END;

CREATE TRIGGER daily_usage_restated AFTER UPDATE ON daily_usage
BEGIN
    UPDATE activity_totals SET
        lines_added          = lines_added          + NEW.total_lines_added    - OLD.total_lines_added,
        accepted_lines_added = accepted_lines_added + NEW.accepted_lines_added - OLD.accepted_lines_added,
        tabs_shown           = tabs_shown           + NEW.total_tabs_shown     - OLD.total_tabs_shown,
        tabs_accepted        = tabs_accepted        + NEW.total_tabs_accepted  - OLD.total_tabs_accepted,
        chat_requests        = chat_requests        + NEW.chat_requests        - OLD.chat_requests,
        composer_requests    = composer_requests    + NEW.composer_requests    - OLD.composer_requests,
        agent_requests       = agent_requests       + NEW.agent_requests       - OLD.agent_requests,
        cmdk_usages          = cmdk_usages          + NEW.cmdk_usages          - OLD.cmdk_usages,
        bugbot_usages        = bugbot_usages        + NEW.bugbot_usages        - OLD.bugbot_usages
    WHERE account_id = NEW.account_id AND email = NEW.email;
END;

-- Usage events, idempotent: identical events share a content hash and are counted by multiplicity. The hash
-- covers the timestamp, so the day is a function of it; putting the day in the key clusters the table by day,
-- which makes the per-day rollup recomputation a contiguous range scan with no secondary index.
CREATE TABLE usage_events (
    account_id         INTEGER NOT NULL,
    day                INTEGER NOT NULL,
    hash               BLOB    NOT NULL,
    ts_ms              INTEGER NOT NULL,
    email              TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    kind               TEXT    NOT NULL,
    billing            TEXT    NOT NULL,
    max_mode           INTEGER NOT NULL,
    cost_ucents        INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    multiplicity       INTEGER NOT NULL,
    PRIMARY KEY (account_id, day, hash)
) STRICT, WITHOUT ROWID;

-- usage_events summed per (day, e-mail, model, billing); recomputed per affected day on every window commit.
CREATE TABLE usage_rollup (
    account_id         INTEGER NOT NULL,
    day                INTEGER NOT NULL,
    email              TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    billing            TEXT    NOT NULL,
    requests           INTEGER NOT NULL,
    cost_ucents        INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    PRIMARY KEY (account_id, day, email, model, billing)
) STRICT, WITHOUT ROWID;

-- usage_rollup summed over all days, kept by triggers (a recomputed day is deleted, then re-inserted).
CREATE TABLE usage_totals (
    account_id         INTEGER NOT NULL,
    email              TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    billing            TEXT    NOT NULL,
    requests           INTEGER NOT NULL,
    cost_ucents        INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    PRIMARY KEY (account_id, email, model, billing)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER usage_rollup_added AFTER INSERT ON usage_rollup
BEGIN
    INSERT INTO usage_totals (account_id, email, model, billing, requests, cost_ucents, input_tokens, output_tokens,
                              cache_read_tokens, cache_write_tokens)
    VALUES (NEW.account_id, NEW.email, NEW.model, NEW.billing, NEW.requests, NEW.cost_ucents, NEW.input_tokens,
            NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_write_tokens)
    ON CONFLICT (account_id, email, model, billing) DO UPDATE SET
        requests           = requests           + excluded.requests,
        cost_ucents        = cost_ucents        + excluded.cost_ucents,
        input_tokens       = input_tokens       + excluded.input_tokens,
        output_tokens      = output_tokens      + excluded.output_tokens,
        cache_read_tokens  = cache_read_tokens  + excluded.cache_read_tokens,
        cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens;
END;

CREATE TRIGGER usage_rollup_removed AFTER DELETE ON usage_rollup
BEGIN
    UPDATE usage_totals SET
        requests           = requests           - OLD.requests,
        cost_ucents        = cost_ucents        - OLD.cost_ucents,
        input_tokens       = input_tokens       - OLD.input_tokens,
        output_tokens      = output_tokens      - OLD.output_tokens,
        cache_read_tokens  = cache_read_tokens  - OLD.cache_read_tokens,
        cache_write_tokens = cache_write_tokens - OLD.cache_write_tokens
    WHERE account_id = OLD.account_id AND email = OLD.email AND model = OLD.model AND billing = OLD.billing;
END;

-- Days of a source stored completely; written in the same transaction as the data.
CREATE TABLE coverage (
    account_id INTEGER NOT NULL,
    source     TEXT    NOT NULL,
    day        INTEGER NOT NULL,
    PRIMARY KEY (account_id, source, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE source_state (
    account_id    INTEGER NOT NULL,
    source        TEXT    NOT NULL,
    last_success  TEXT,
    last_error    TEXT,
    last_error_at TEXT,
    PRIMARY KEY (account_id, source)
) STRICT, WITHOUT ROWID;

-- Event windows being fetched. Staged rows are counted per content hash so a window of any size costs bounded
-- memory; both tables are emptied at open (leftovers of a crash) and per window on commit or close.
-- AUTOINCREMENT: a window id is never reused, so a stale window object can never commit another one's rows.
CREATE TABLE event_window (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    account   TEXT    NOT NULL,
    from_day  INTEGER NOT NULL,
    to_day    INTEGER NOT NULL,
    opened_at TEXT    NOT NULL
) STRICT;

CREATE TABLE event_staging (
    window_id          INTEGER NOT NULL,
    hash               BLOB    NOT NULL,
    day                INTEGER NOT NULL,
    ts_ms              INTEGER NOT NULL,
    email              TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    kind               TEXT    NOT NULL,
    billing            TEXT    NOT NULL,
    max_mode           INTEGER NOT NULL,
    cost_ucents        INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    count              INTEGER NOT NULL,
    PRIMARY KEY (window_id, day, hash)
) STRICT, WITHOUT ROWID;
