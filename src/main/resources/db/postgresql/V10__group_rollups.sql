-- Team and location as data the database can group by (issue 13).
--
-- directory_assignment is the directory (CSV file, YAML rules, billing groups) as the read side uses it, applied to
-- every e-mail the store holds usage or activity of: rewritten in one transaction at start, after each directory
-- reload and after each sync job (new e-mails, changed billing groups), and only where it changed.
-- directory_version counts those changes.
CREATE TABLE directory_assignment (
    email    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    team     TEXT COLLATE "C" NOT NULL,
    location TEXT COLLATE "C" NOT NULL
);

CREATE TABLE directory_version (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    BIGINT  NOT NULL,
    changed_at TEXT COLLATE "C"
);

INSERT INTO directory_version (id, version, changed_at) VALUES (1, 0, NULL);

-- usage_rollup summed per (day, team, location, model, billing) under directory_assignment. E-mails without an
-- assignment yet are summed under team = location = '' (the reader then asks per e-mail). Recomputed per day on
-- every window commit, like usage_model_daily, and for the days of every e-mail whose assignment changes.
CREATE TABLE usage_group_daily (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    team               TEXT COLLATE "C"    NOT NULL,
    location           TEXT COLLATE "C"    NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    billing            TEXT COLLATE "C"    NOT NULL,
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, team, location, model, billing)
);

-- usage_group_daily summed per (day, team, location): questions by team or location that ask for neither model nor
-- billing class read ~pairs rows a day. Recomputed with usage_group_daily.
CREATE TABLE usage_team_daily (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    team               TEXT COLLATE "C"    NOT NULL,
    location           TEXT COLLATE "C"    NOT NULL,
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, team, location)
);

-- daily_usage of all accounts per (day, team, location): active_users counts distinct active e-mails, so an
-- e-mail in two accounts counts once; as every e-mail has one assignment, these counts add up over groups.
CREATE TABLE activity_group_daily (
    day                  BIGINT  NOT NULL,
    team                 TEXT COLLATE "C"    NOT NULL,
    location             TEXT COLLATE "C"    NOT NULL,
    active_users         BIGINT  NOT NULL,
    lines_added          BIGINT  NOT NULL,
    accepted_lines_added BIGINT  NOT NULL,
    tabs_shown           BIGINT  NOT NULL,
    tabs_accepted        BIGINT  NOT NULL,
    chat_requests        BIGINT  NOT NULL,
    composer_requests    BIGINT  NOT NULL,
    agent_requests       BIGINT  NOT NULL,
    cmdk_usages          BIGINT  NOT NULL,
    bugbot_usages        BIGINT  NOT NULL,
    PRIMARY KEY (day, team, location)
);

-- usage_rollup summed per (day, e-mail): per-user questions that ask for neither model nor billing class (the
-- per-member cost table) read ~members rows a day instead of ~members x models. Recomputed per day on every
-- window commit.
CREATE TABLE usage_user_daily (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    email              TEXT COLLATE "C"    NOT NULL,
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, email)
);

INSERT INTO usage_user_daily (account_id, day, email, requests, cost_ucents, input_tokens, output_tokens,
                              cache_read_tokens, cache_write_tokens)
SELECT account_id, day, email, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens),
       SUM(cache_read_tokens), SUM(cache_write_tokens)
FROM usage_rollup GROUP BY account_id, day, email;

-- Until the exporter first writes the assignment (at start), every e-mail is unassigned.
INSERT INTO usage_group_daily (account_id, day, team, location, model, billing, requests, cost_ucents, input_tokens,
                               output_tokens, cache_read_tokens, cache_write_tokens)
SELECT account_id, day, '', '', model, billing, SUM(requests), SUM(cost_ucents), SUM(input_tokens),
       SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens)
FROM usage_rollup GROUP BY account_id, day, model, billing;

INSERT INTO usage_team_daily (account_id, day, team, location, requests, cost_ucents, input_tokens, output_tokens,
                              cache_read_tokens, cache_write_tokens)
SELECT account_id, day, team, location, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens),
       SUM(cache_read_tokens), SUM(cache_write_tokens)
FROM usage_group_daily GROUP BY account_id, day, team, location;

INSERT INTO activity_group_daily (day, team, location, active_users, lines_added, accepted_lines_added, tabs_shown,
                                  tabs_accepted, chat_requests, composer_requests, agent_requests, cmdk_usages,
                                  bugbot_usages)
SELECT day, '', '', COUNT(DISTINCT CASE WHEN active = 1 THEN email END), SUM(total_lines_added),
       SUM(accepted_lines_added), SUM(total_tabs_shown), SUM(total_tabs_accepted), SUM(chat_requests),
       SUM(composer_requests), SUM(agent_requests), SUM(cmdk_usages), SUM(bugbot_usages)
FROM daily_usage GROUP BY day;
