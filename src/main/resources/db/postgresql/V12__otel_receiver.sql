-- Cursor's OpenTelemetry Export (the OTLP receiver). Every accepted request is applied in one transaction.

-- Durable counters: one running sum per family (OtelFamily.key), identity as Cursor sent it (e-mail lower-cased,
-- Admin API account id; '' when absent; resolved to a member when the snapshot is built) and label values
-- (joined with U+001F, in the order of OtelFamily.dimensions). value: tokens, calls, records; micro-USD for cost.
CREATE TABLE otel_counter (
    family     TEXT COLLATE "C"    NOT NULL,
    email      TEXT COLLATE "C"    NOT NULL,
    account_id TEXT COLLATE "C"    NOT NULL,
    labels     TEXT COLLATE "C"    NOT NULL,
    value      BIGINT  NOT NULL,
    PRIMARY KEY (family, email, account_id, labels)
);

-- Every open-ended value (model, tool, MCP server, event, e-mail, ...) admitted per dimension, first come first
-- served up to a fixed number each; later new values are stored as 'other', so a sender cannot grow the store
-- or the snapshot without bound.
CREATE TABLE otel_label_value (
    dimension TEXT COLLATE "C" NOT NULL,
    value     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (dimension, value)
);

-- cursor.event.id of every log record counted, for the de-duplication of Cursor's retries (about 7 days); ids
-- older than the kept window are pruned.
CREATE TABLE otel_seen_event (
    event_id    TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    received_ms BIGINT  NOT NULL
);
CREATE INDEX otel_seen_event_received ON otel_seen_event (received_ms);

-- The tokens of cursor.api.request records by cursor.usage_event.id, kept for the window so that a billing
-- correction arriving later can be applied to them.
CREATE TABLE otel_api_request (
    usage_event_id TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    received_ms    BIGINT  NOT NULL,
    email          TEXT COLLATE "C"    NOT NULL,
    account_id     TEXT COLLATE "C"    NOT NULL,
    surface        TEXT COLLATE "C"    NOT NULL,
    model          TEXT COLLATE "C"    NOT NULL,
    input          BIGINT  NOT NULL,
    output         BIGINT  NOT NULL,
    cache_read     BIGINT  NOT NULL,
    cache_write    BIGINT  NOT NULL
);
CREATE INDEX otel_api_request_received ON otel_api_request (received_ms);

-- cursor.api.correction records by the usage event they correct (the first one counts); applied = 1 once the
-- request was seen and counted as corrected. A correction may arrive before its request.
CREATE TABLE otel_correction (
    usage_event_id TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    received_ms    BIGINT  NOT NULL,
    kind           TEXT COLLATE "C"    NOT NULL,
    applied        INTEGER NOT NULL
);
CREATE INDEX otel_correction_received ON otel_correction (received_ms);

-- When each signal was last accepted (cursor_exporter_otlp_last_received_timestamp_seconds survives a restart).
CREATE TABLE otel_receipt (
    signal      TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    received_ms BIGINT  NOT NULL
);
