package dev.cursorexporter.store;

import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.UsageEvent;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ActorContract} on an SQLite file, and a V11 store upgraded. */
class ActorStoreTest extends ActorContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }

    @Test
    void anOlderStoreFilesItsHistoryAsHuman() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("11").load()
                .migrate();
        long day = D1.toEpochDay();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO account (id, name) VALUES (1, 'acme')");
            String measures = "requests, cost_ucents, input_tokens, output_tokens, cache_read_tokens,"
                    + " cache_write_tokens";
            s.executeUpdate("INSERT INTO usage_events (account_id, day, hash, ts_ms, email, model, kind, billing,"
                    + " max_mode, cost_ucents, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
                    + " multiplicity) VALUES (1, " + day + ", x'01', " + day * 86_400_000L + ", 'a@x.io', 'm',"
                    + " 'Usage-based', 'usage_based', 0, 3000000, 1, 2, 3, 4, 2)");
            s.executeUpdate("INSERT INTO usage_rollup (account_id, day, email, model, billing, " + measures
                    + ") VALUES (1, " + day + ", 'a@x.io', 'm', 'usage_based', 2, 6000000, 2, 4, 6, 8)");
            s.executeUpdate("INSERT INTO usage_totals (account_id, email, model, billing, " + measures
                    + ") VALUES (1, 'a@x.io', 'm', 'usage_based', 2, 6000000, 2, 4, 6, 8)");
            s.executeUpdate("INSERT INTO usage_withdrawn (account_id, day, email, model, billing, " + measures
                    + ") VALUES (1, " + day + ", 'a@x.io', 'm', 'usage_based', 1, 1000000, 0, 0, 0, 0)");
            s.executeUpdate("INSERT INTO usage_group_daily (account_id, day, team, location, model, billing, "
                    + measures + ") VALUES (1, " + day + ", '', '', 'm', 'usage_based', 2, 6000000, 2, 4, 6, 8)");
        }
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertEquals(Map.of("a@x.io human", "7"), totals(store), "6 stored + 1 withdrawn");
            assertEquals(Map.of("human", "6"),
                    byActor(store.daily().dailyUsageCost(DailyQuery.days(D1, D1).groupByActor())));
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT group_concat(DISTINCT actor) FROM usage_events),"
                     + " (SELECT group_concat(DISTINCT actor) FROM usage_rollup),"
                     + " (SELECT group_concat(DISTINCT actor) FROM usage_withdrawn)")) {
            rs.next();
            assertEquals(List.of("human", "human", "human"), List.of(rs.getString(1), rs.getString(2),
                    rs.getString(3)));
        }
    }
}
