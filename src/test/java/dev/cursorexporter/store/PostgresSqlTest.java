package dev.cursorexporter.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The store's SQLite statements as PostgreSQL takes them, exactly. */
class PostgresSqlTest {
    private final PostgresSql sql = new PostgresSql(Map.of(
            "spend_current", List.of("account_id", "email"),
            "http_etag", List.of("account_id", "url")));

    @Test
    void numberedParametersBecomePositionalAndBindEveryPlaceTheyStand() {
        PostgresSql.Translated t = sql.translate("SELECT ?1, ?2 FROM t WHERE a = ?1 AND b BETWEEN ?2 AND ?3");
        assertEquals("SELECT ?, ? FROM t WHERE a = ? AND b BETWEEN ? AND ?", t.sql());
        assertArrayEquals(new int[]{1, 3}, t.positions()[1]);
        assertArrayEquals(new int[]{2, 4}, t.positions()[2]);
        assertArrayEquals(new int[]{5}, t.positions()[3]);
        assertFalse(sql.translate("SELECT ? FROM t").renumbered());
    }

    @Test
    void insertOrIgnoreAndOrReplaceBecomeUpserts() {
        assertEquals("INSERT INTO coverage (account_id, source, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                sql.translate("INSERT OR IGNORE INTO coverage (account_id, source, day) VALUES (?, ?, ?)").sql());
        assertEquals("INSERT INTO spend_current (account_id, email, user_id, cycle_spend_ucents) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (account_id, email) DO UPDATE SET user_id = excluded.user_id,"
                        + " cycle_spend_ucents = excluded.cycle_spend_ucents",
                sql.translate("INSERT OR REPLACE INTO spend_current (account_id, email, user_id, cycle_spend_ucents)"
                        + " VALUES (?, ?, ?, ?)").sql());
        assertEquals("INSERT INTO http_etag (account_id, url) VALUES (?, ?) ON CONFLICT (account_id, url) DO NOTHING",
                sql.translate("INSERT OR REPLACE INTO http_etag (account_id, url) VALUES (?, ?)").sql());
        assertThrows(IllegalStateException.class,
                () -> sql.translate("INSERT OR REPLACE INTO unknown (a) VALUES (?)"));
    }

    @Test
    void theTargetRowIsNamedInDoUpdateSetAndScalarMaxIsGreatest() {
        assertEquals("""
                INSERT INTO members (account_id, email, user_id) VALUES (?, ?, ?)
                ON CONFLICT (account_id, email) DO UPDATE SET
                    user_id = COALESCE(excluded.user_id, members.user_id),
                    name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE members.name END,
                    n = GREATEST(members.n, excluded.n)""", sql.translate("""
                INSERT INTO members (account_id, email, user_id) VALUES (?, ?, ?)
                ON CONFLICT (account_id, email) DO UPDATE SET
                    user_id = COALESCE(excluded.user_id, user_id),
                    name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END,
                    n = MAX(n, excluded.n)""").sql());
        assertEquals("SELECT MAX(day), LEAST(a, b), COUNT(DISTINCT model || chr(31) || actor) FROM t",
                sql.translate("SELECT MAX(day), MIN(a, b), COUNT(DISTINCT model || char(31) || actor) FROM t").sql());
        assertEquals("SELECT t.day, BOOL_OR(t.team = '' AND t.location = '') FROM x t",
                sql.translate("SELECT t.day, MAX(t.team = '' AND t.location = '') FROM x t").sql());
    }

    @Test
    void temporaryTablesAndJoinsThatKeepTheirOrder() {
        assertEquals("CREATE TEMP TABLE IF NOT EXISTS regroup_email (email TEXT PRIMARY KEY)",
                sql.translate("CREATE TEMP TABLE IF NOT EXISTS regroup_email (email TEXT PRIMARY KEY) WITHOUT ROWID")
                        .sql());
        assertEquals("DELETE FROM pg_temp.regroup_email", sql.translate("DELETE FROM temp.regroup_email").sql());
        assertEquals("SELECT 1 FROM pg_temp.regroup_email e JOIN usage_rollup r ON r.email = e.email",
                sql.translate("SELECT 1 FROM temp.regroup_email e CROSS JOIN usage_rollup r ON r.email = e.email")
                        .sql());
    }
}
