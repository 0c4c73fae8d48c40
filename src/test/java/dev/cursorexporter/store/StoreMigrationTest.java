package dev.cursorexporter.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A store written by an older release is migrated in place, without losing or double-counting anything. */
class StoreMigrationTest {

    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);

    @TempDir
    Path dir;

    @Test
    void aVersion3StoreGetsThePerModelRollupFilledAndKeepsItsTotalsWithoutTriggers() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("3").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO account (id, name) VALUES (1, 'acme')");
            // Version 3's triggers keep usage_totals from these rows.
            s.executeUpdate("""
                    INSERT INTO usage_rollup (account_id, day, email, model, billing, requests, cost_ucents,
                                              input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
                    VALUES (1, %1$d, 'a@x.io', 'gpt-5.2', 'usage_based', 2, 3000000, 10, 20, 30, 40),
                           (1, %1$d, 'b@x.io', 'gpt-5.2', 'included', 1, 500000, 1, 2, 3, 4),
                           (1, %1$d, 'b@x.io', 'default', 'included', 5, 0, 5, 5, 5, 5),
                           (1, %2$d, 'a@x.io', 'gpt-5.2', 'usage_based', 7, 7000000, 7, 7, 7, 7)"""
                    .formatted(D1.toEpochDay(), D1.plusDays(1).toEpochDay()));
            // A window a crash left behind, in the old staging layout.
            s.executeUpdate("INSERT INTO event_window (account, from_day, to_day, opened_at)"
                    + " VALUES ('acme', 1, 2, '2026-03-01T00:00:00Z')");
            s.executeUpdate("INSERT INTO event_staging (window_id, hash, day, ts_ms, email, model, kind, billing,"
                    + " max_mode, cost_ucents, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
                    + " count) VALUES (1, x'00', 1, 1, 'a@x.io', 'm', 'k', 'included', 0, 0, 0, 0, 0, 0, 1)");
        }

        try (SqliteStore store = SqliteStore.open(dir)) {
            assertEquals(List.of(
                            row(D1, "default", 5, "0", 5),
                            row(D1, "gpt-5.2", 3, "3.5", 11),
                            row(D1.plusDays(1), "gpt-5.2", 7, "7", 7)),
                    store.daily().dailyUsageCost(DailyQuery.days(D1, D1.plusDays(9)).groupByModel()).stream()
                            .map(StoreMigrationTest::row).toList());
            assertEquals(15, requests(store));

            // A new day is rolled up and added to the totals by the commit itself, the triggers being gone.
            try (EventWindow w = store.openEventWindow("acme", D1.plusDays(2), D1.plusDays(2))) {
                w.add(List.of(event(at(D1.plusDays(2), 9, 0, 0, 0), "a@x.io", "gpt-5.2", "1"),
                        event(at(D1.plusDays(2), 9, 0, 0, 1), "c@x.io", "default", "0")));
                w.commit(true);
            }
            assertEquals(17, requests(store));
            assertEquals(List.of(row(D1.plusDays(2), "default", 1, "0", 100), row(D1.plusDays(2), "gpt-5.2", 1, "1", 100)),
                    store.daily().dailyUsageCost(DailyQuery.days(D1.plusDays(2), D1.plusDays(2)).groupByModel()).stream()
                            .map(StoreMigrationTest::row).toList());
        }

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM event_staging), (SELECT COUNT(*) FROM event_window),"
                    + " (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'usage_rollup%')");
            rs.next();
            assertEquals(List.of(0, 0, 0), List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)));
        }
    }

    private static long requests(SqliteStore store) {
        return store.usageTotals("acme").stream().mapToLong(UsageTotals::requests).sum();
    }

    private static String row(DailyUsageCost d) {
        return row(d.day(), d.model(), d.requests(), d.costCents().stripTrailingZeros().toPlainString(),
                d.inputTokens());
    }

    private static String row(LocalDate day, String model, long requests, String costCents, long input) {
        return day + " " + model + " requests=" + requests + " cost=" + new BigDecimal(costCents).toPlainString()
                + " input=" + input;
    }
}
