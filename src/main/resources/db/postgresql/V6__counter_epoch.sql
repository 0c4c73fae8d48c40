-- Counter epoch per account: the first day the first backfill covered. The lifetime counters of /metrics
-- (cursor_usage_*_total, cursor_lines_added_total, cursor_tab_completions_total, cursor_feature_requests_total)
-- count only event days on or after it, so a later, larger backfill_days stores older days (history, datasource
-- API) without raising them. Same conventions as V1: epoch days, ISO-8601 text instants.
CREATE TABLE counter_epoch (
    account_id  BIGINT  PRIMARY KEY,
    day         BIGINT  NOT NULL,
    recorded_at TEXT COLLATE "C"    NOT NULL
);

-- Stores older than this migration: epoch = earliest stored day, so their counters do not change.
INSERT INTO counter_epoch (account_id, day, recorded_at)
SELECT account_id, MIN(day), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM (SELECT account_id, MIN(day) AS day FROM usage_rollup GROUP BY account_id
      UNION ALL
      SELECT account_id, MIN(day) FROM daily_usage GROUP BY account_id
      UNION ALL
      SELECT account_id, MIN(day) FROM coverage WHERE source IN ('usage_events', 'daily_usage') GROUP BY account_id) AS first_days
GROUP BY account_id;
