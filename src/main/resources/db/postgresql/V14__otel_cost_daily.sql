-- Cursor's estimated cost (cursor.cost.usage) per UTC day of each data point's time (issue 14, item 3): what the
-- reconciliation compares with the Admin API's settled cost of the same day and team. Added to in the same
-- transaction as otel_counter, for every accepted cost point, so the two always agree; kept as long as the usage
-- rollups (for good).
--
-- day is the epoch day (UTC), like every day column of the store. email and account_id are the identity as Cursor
-- sent it and otel_counter keeps it (bounded the same way, '' when absent); team and location are not stored but
-- resolved from the directory when read, like everything else. micro_usd: USD x 10^6, exact integers.
--
-- Cost received before this migration has no day (otel_counter keeps running sums only): the per-day estimate
-- starts with the upgrade, and the days before it have none.
CREATE TABLE otel_cost_daily (
    day        BIGINT  NOT NULL,
    email      TEXT COLLATE "C"    NOT NULL,
    account_id TEXT COLLATE "C"    NOT NULL,
    micro_usd  BIGINT  NOT NULL,
    PRIMARY KEY (day, email, account_id)
);
