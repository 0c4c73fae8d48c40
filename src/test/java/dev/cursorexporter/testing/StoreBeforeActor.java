package dev.cursorexporter.testing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Takes a store back to its shape before migration V13 (the actor of usage events), for tests that take a store back
 * to an older release's to migrate it again: the usage tables are summed over actors without the column, as that
 * release kept them, and V13 is forgotten, with what came after it (V14's estimated cost per day, V15's user-label
 * salt).
 */
public final class StoreBeforeActor {
    private static final String MEASURES = "SUM(requests) AS requests, SUM(cost_ucents) AS cost_ucents,"
            + " SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,"
            + " SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens";
    /** The tables whose key V13 extended, with their key before it. */
    private static final Map<String, String> KEYS = Map.of(
            "usage_rollup", "account_id, day, email, model, billing",
            "usage_totals", "account_id, email, model, billing",
            "usage_withdrawn", "account_id, day, email, model, billing",
            "usage_group_daily", "account_id, day, team, location, model, billing");

    private StoreBeforeActor() {
    }

    public static void undo(Statement s) throws SQLException {
        s.executeUpdate("DROP TABLE IF EXISTS user_label_salt");
        s.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '15'");
        s.executeUpdate("DROP TABLE IF EXISTS otel_cost_daily");
        s.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '14'");
        s.executeUpdate("ALTER TABLE usage_events DROP COLUMN actor");
        s.executeUpdate("ALTER TABLE event_staging DROP COLUMN actor");
        for (Map.Entry<String, String> t : KEYS.entrySet()) {
            String table = t.getKey();
            if (!exists(s, table)) {
                continue;
            }
            s.executeUpdate("CREATE TABLE " + table + "_pre13 AS SELECT " + t.getValue() + ", " + MEASURES
                    + " FROM " + table + " GROUP BY " + t.getValue());
            s.executeUpdate("DROP TABLE " + table);
            s.executeUpdate("ALTER TABLE " + table + "_pre13 RENAME TO " + table);
        }
        s.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '13'");
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '"
                + table + "'")) {
            return rs.next();
        }
    }
}
