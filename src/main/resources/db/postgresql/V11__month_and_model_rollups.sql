-- Rollups that let the History board's remaining slow questions read few rows (issue 13, item 2).
--
-- Months are keyed by the epoch day of their first day (UTC), like every day column. A question summed over a range
-- (the per-member cost table, totals) reads the whole months of the range from the monthly tables and only the days
-- at its two ends from the per-day ones: a year is ~12 rows per member instead of ~365.

-- usage_group_daily summed over billing classes, keyed so that a question by day x team x model reads its rows in
-- key order (no sort) and a team filter reads one team's rows. Recomputed with usage_group_daily.
CREATE TABLE usage_group_model_daily (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    team               TEXT COLLATE "C"    NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    location           TEXT COLLATE "C"    NOT NULL,
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, team, model, location)
);

-- usage_user_daily summed per calendar month; recomputed for the months of the days a window commit changes.
CREATE TABLE usage_user_monthly (
    account_id         BIGINT  NOT NULL,
    month              BIGINT  NOT NULL,
    email              TEXT COLLATE "C"    NOT NULL,
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, month, email)
);

-- daily_usage summed per calendar month and e-mail; active_days counts the days the e-mail was active, so "active
-- on any day of the range" stays answerable. Recomputed for the months of the days each daily-usage save writes.
CREATE TABLE activity_user_monthly (
    account_id           BIGINT  NOT NULL,
    month                BIGINT  NOT NULL,
    email                TEXT COLLATE "C"    NOT NULL,
    active_days          BIGINT  NOT NULL,
    lines_added          BIGINT  NOT NULL,
    accepted_lines_added BIGINT  NOT NULL,
    tabs_shown           BIGINT  NOT NULL,
    tabs_accepted        BIGINT  NOT NULL,
    chat_requests        BIGINT  NOT NULL,
    composer_requests    BIGINT  NOT NULL,
    agent_requests       BIGINT  NOT NULL,
    cmdk_usages          BIGINT  NOT NULL,
    bugbot_usages        BIGINT  NOT NULL,
    PRIMARY KEY (account_id, month, email)
);

INSERT INTO usage_group_model_daily (account_id, day, team, model, location, requests, cost_ucents, input_tokens,
                                     output_tokens, cache_read_tokens, cache_write_tokens)
SELECT account_id, day, team, model, location, SUM(requests), SUM(cost_ucents), SUM(input_tokens),
       SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens)
FROM usage_group_daily GROUP BY account_id, day, team, model, location;

-- A date minus 1970-01-01 is the epoch day: this turns the month's first day back into one.
INSERT INTO usage_user_monthly (account_id, month, email, requests, cost_ucents, input_tokens, output_tokens,
                                cache_read_tokens, cache_write_tokens)
SELECT account_id, (date_trunc('month', DATE '1970-01-01' + CAST(day AS INTEGER))::date - DATE '1970-01-01'),
       email, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens),
       SUM(cache_write_tokens)
FROM usage_user_daily GROUP BY 1, 2, 3;

INSERT INTO activity_user_monthly (account_id, month, email, active_days, lines_added, accepted_lines_added,
                                   tabs_shown, tabs_accepted, chat_requests, composer_requests, agent_requests,
                                   cmdk_usages, bugbot_usages)
SELECT account_id, (date_trunc('month', DATE '1970-01-01' + CAST(day AS INTEGER))::date - DATE '1970-01-01'),
       email, SUM(active), SUM(total_lines_added), SUM(accepted_lines_added), SUM(total_tabs_shown),
       SUM(total_tabs_accepted), SUM(chat_requests), SUM(composer_requests), SUM(agent_requests), SUM(cmdk_usages),
       SUM(bugbot_usages)
FROM daily_usage GROUP BY 1, 2, 3;
