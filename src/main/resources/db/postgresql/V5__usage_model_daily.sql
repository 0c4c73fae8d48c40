-- usage_rollup summed per (day, model): the datasource's "by model" (and "by nothing") questions over a year read
-- ~365 x models rows here instead of ~365 x members x models rollup rows. Recomputed per changed day on every
-- window commit, like usage_rollup itself.
CREATE TABLE usage_model_daily (
    account_id         BIGINT  NOT NULL,
    day                BIGINT  NOT NULL,
    model              TEXT COLLATE "C"    NOT NULL,
    requests           BIGINT  NOT NULL,
    cost_ucents        BIGINT  NOT NULL,
    input_tokens       BIGINT  NOT NULL,
    output_tokens      BIGINT  NOT NULL,
    cache_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day, model)
);

INSERT INTO usage_model_daily (account_id, day, model, requests, cost_ucents, input_tokens, output_tokens,
                               cache_read_tokens, cache_write_tokens)
SELECT account_id, day, model, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens),
       SUM(cache_read_tokens), SUM(cache_write_tokens)
FROM usage_rollup GROUP BY account_id, day, model;
