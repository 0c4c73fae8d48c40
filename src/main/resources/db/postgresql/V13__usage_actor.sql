-- Who spent a usage event (issue 14, item 5): human, cloud_agent, automation or service_account, from the event's
-- caller fields (REFERENCE.md §2.5, Q24). Kept with each event and in the rollups the usage counters and the
-- datasource's by=actor read; the other rollups (per model, per e-mail, per team, monthly) sum over actors and are
-- left as they are, so their row counts do not grow.
--
-- Events stored before this migration were read without their caller fields, and nothing stored says who spent them:
-- they all become 'human'. A later complete re-read of their day (the look-back, commitReplacing) files them under
-- their actor (and a service account without e-mail under 'sa:<name or id>'); what leaves 'human' then is recorded
-- in usage_withdrawn like any restatement, so no counter goes down. Older days keep 'human'.
-- The default keeps writers that do not name the column (older tooling, tests) filing events as a person's.

ALTER TABLE usage_events ADD COLUMN actor TEXT COLLATE "C" NOT NULL DEFAULT 'human';
ALTER TABLE event_staging ADD COLUMN actor TEXT COLLATE "C" NOT NULL DEFAULT 'human';

-- The rollups whose key gains the actor are rebuilt (a key cannot be altered in SQLite); every row is 'human'.
CREATE TABLE usage_rollup_v13 (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    email              TEXT COLLATE "C"    NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    billing            TEXT COLLATE "C"    NOT NULL,
    actor              TEXT COLLATE "C"    NOT NULL DEFAULT 'human',
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, email, model, billing, actor)
);
INSERT INTO usage_rollup_v13 (account_id, day, email, model, billing, actor, requests, cost_ucents, input_tokens,
                              output_tokens, cache_read_tokens, cache_write_tokens)
SELECT account_id, day, email, model, billing, 'human', requests, cost_ucents, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens
FROM usage_rollup;
DROP TABLE usage_rollup;
ALTER TABLE usage_rollup_v13 RENAME TO usage_rollup;

CREATE TABLE usage_totals_v13 (
    account_id         BIGINT  NOT NULL,
    email              TEXT COLLATE "C"    NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    billing            TEXT COLLATE "C"    NOT NULL,
    actor              TEXT COLLATE "C"    NOT NULL DEFAULT 'human',
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, email, model, billing, actor)
);
INSERT INTO usage_totals_v13 (account_id, email, model, billing, actor, requests, cost_ucents, input_tokens,
                              output_tokens, cache_read_tokens, cache_write_tokens)
SELECT account_id, email, model, billing, 'human', requests, cost_ucents, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens
FROM usage_totals;
DROP TABLE usage_totals;
ALTER TABLE usage_totals_v13 RENAME TO usage_totals;

CREATE TABLE usage_withdrawn_v13 (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    email              TEXT COLLATE "C"    NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    billing            TEXT COLLATE "C"    NOT NULL,
    actor              TEXT COLLATE "C"    NOT NULL DEFAULT 'human',
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, email, model, billing, actor)
);
INSERT INTO usage_withdrawn_v13 (account_id, day, email, model, billing, actor, requests, cost_ucents, input_tokens,
                                 output_tokens, cache_read_tokens, cache_write_tokens)
SELECT account_id, day, email, model, billing, 'human', requests, cost_ucents, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens
FROM usage_withdrawn;
DROP TABLE usage_withdrawn;
ALTER TABLE usage_withdrawn_v13 RENAME TO usage_withdrawn;

-- The group rollup with the billing class also answers by=actor (with or without team, location and model), as it
-- answers by=billing: one more key column, and most groups have one actor, so it grows by the few agent rows.
CREATE TABLE usage_group_daily_v13 (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    team               TEXT COLLATE "C"    NOT NULL,
    location           TEXT COLLATE "C"    NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    billing            TEXT COLLATE "C"    NOT NULL,
    actor              TEXT COLLATE "C"    NOT NULL DEFAULT 'human',
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, team, location, model, billing, actor)
);
INSERT INTO usage_group_daily_v13 (account_id, day, team, location, model, billing, actor, requests, cost_ucents,
                                   input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
SELECT account_id, day, team, location, model, billing, 'human', requests, cost_ucents, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens
FROM usage_group_daily;
DROP TABLE usage_group_daily;
ALTER TABLE usage_group_daily_v13 RENAME TO usage_group_daily;
