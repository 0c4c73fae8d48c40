-- Rollups that let the History board's remaining slow questions read few rows (issue 13, item 2).
--
-- Months are keyed by the epoch day of their first day (UTC), like every day column. A question summed over a range
-- (the per-member cost table, totals) reads the whole months of the range from the monthly tables and only the days
-- at its two ends from the per-day ones: a year is ~12 rows per member instead of ~365.

-- usage_group_daily summed over billing classes, keyed so that a question by day x team x model reads its rows in
-- key order (no sort) and a team filter reads one team's rows. Recomputed with usage_group_daily.
CREATE TABLE usage_group_model_daily (
    account_id         INTEGER NOT NULL,
    day                INTEGER NOT NULL,
    team               TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    location           TEXT    NOT NULL,
    requests           INTEGER NOT NULL,
    cost_ucents        INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    PRIMARY KEY (account_id, day, team, model, location)
) STRICT, WITHOUT ROWID;

-- usage_user_daily summed per calendar month; recomputed for the months of the days a window commit changes.
CREATE TABLE usage_user_monthly (
    account_id         INTEGER NOT NULL,
    month              INTEGER NOT NULL,
    email              TEXT    NOT NULL,
    requests           INTEGER NOT NULL,
    cost_ucents        INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    PRIMARY KEY (account_id, month, email)
) STRICT, WITHOUT ROWID;

-- daily_usage summed per calendar month and e-mail; active_days counts the days the e-mail was active, so "active
-- on any day of the range" stays answerable. Recomputed for the months of the days each daily-usage save writes.
CREATE TABLE activity_user_monthly (
    account_id           INTEGER NOT NULL,
    month                INTEGER NOT NULL,
    email                TEXT    NOT NULL,
    active_days          INTEGER NOT NULL,
    lines_added          INTEGER NOT NULL,
    accepted_lines_added INTEGER NOT NULL,
    tabs_shown           INTEGER NOT NULL,
    tabs_accepted        INTEGER NOT NULL,
    chat_requests        INTEGER NOT NULL,
    composer_requests    INTEGER NOT NULL,
    agent_requests       INTEGER NOT NULL,
    cmdk_usages          INTEGER NOT NULL,
    bugbot_usages        INTEGER NOT NULL,
    PRIMARY KEY (account_id, month, email)
) STRICT, WITHOUT ROWID;

INSERT INTO usage_group_model_daily (account_id, day, team, model, location, requests, cost_ucents, input_tokens,
                                     output_tokens, cache_read_tokens, cache_write_tokens)
SELECT account_id, day, team, model, location, SUM(requests), SUM(cost_ucents), SUM(input_tokens),
       SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens)
FROM usage_group_daily GROUP BY account_id, day, team, model, location;

-- julianday('1970-01-01') is 2440587.5: this turns the month's first day back into an epoch day.
INSERT INTO usage_user_monthly (account_id, month, email, requests, cost_ucents, input_tokens, output_tokens,
                                cache_read_tokens, cache_write_tokens)
SELECT account_id, CAST(julianday(date(day * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
       email, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens),
       SUM(cache_write_tokens)
FROM usage_user_daily GROUP BY 1, 2, 3;

INSERT INTO activity_user_monthly (account_id, month, email, active_days, lines_added, accepted_lines_added,
                                   tabs_shown, tabs_accepted, chat_requests, composer_requests, agent_requests,
                                   cmdk_usages, bugbot_usages)
SELECT account_id, CAST(julianday(date(day * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
       email, SUM(active), SUM(total_lines_added), SUM(accepted_lines_added), SUM(total_tabs_shown),
       SUM(total_tabs_accepted), SUM(chat_requests), SUM(composer_requests), SUM(agent_requests), SUM(cmdk_usages),
       SUM(bugbot_usages)
FROM daily_usage GROUP BY 1, 2, 3;
