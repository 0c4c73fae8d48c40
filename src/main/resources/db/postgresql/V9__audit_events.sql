-- Audit-log events (GET /teams/audit-logs), reduced to what is counted: the event's id, UTC day and type.
-- Deliberately without the actor, the IP address and event_data (old and new setting values, key names).
-- An event_id seen again (a look-back re-read) replaces its row, so it is counted once.
CREATE TABLE audit_event (
    account_id BIGINT  NOT NULL,
    event_id   TEXT COLLATE "C"    NOT NULL,
    day        BIGINT  NOT NULL,
    event_type TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (account_id, event_id)
);
