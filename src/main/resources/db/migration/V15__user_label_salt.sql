-- The salt of the hash user label (CURSOR_EXPORTER_USER_LABEL=hash) when none is configured (issue 16, item 5):
-- generated at the first start in that mode (32 bytes of SecureRandom, Base64), then read at every start, so the
-- pseudonyms stay the same across restarts; replaced only by the rotate-user-label-salt command. At most one row.
-- A secret like the API key: never logged, shown or exported. created_at: ISO-8601 text instant, like V1's.
CREATE TABLE user_label_salt (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    salt       TEXT    NOT NULL,
    created_at TEXT    NOT NULL
) STRICT;
