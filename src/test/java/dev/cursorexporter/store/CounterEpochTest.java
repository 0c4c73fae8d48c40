package dev.cursorexporter.store;

import dev.cursorexporter.testing.StoreBeforeActor;
import dev.cursorexporter.model.UsageEvent;
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
import java.util.Optional;
import java.util.Set;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.daily;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link CounterEpochContract} on an SQLite file, and a store from before the epoch upgraded. */
class CounterEpochTest extends CounterEpochContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }

    @Test
    void aStoreFromBeforeTheEpochGetsItsEarliestDaySoItsCountersDoNotChange() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME);
        try (SqliteStore store = SqliteStore.open(dir)) {
            events(store, D1.plusDays(2), "a@x.io", "10");
            store.saveDailyUsage(ACME, List.of(daily(D1.plusDays(1), "a@x.io", true, 3)), D1.plusDays(1),
                    D1.plusDays(1), true);
            store.saveDailyUsage("other", List.of(daily(D1.plusDays(7), "z@x.io", true, 3)), D1.plusDays(7),
                    D1.plusDays(7), true);
        }
        // Back to version 5: no epoch table, as an older release left it.
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            StoreBeforeActor.undo(s);
            s.executeUpdate("DROP TABLE counter_epoch");
            s.executeUpdate("DROP TABLE auth_refusal");
            s.executeUpdate("DROP TABLE usage_withdrawn");
            s.executeUpdate("DROP TABLE audit_event");
            for (String v10AndLater : List.of("directory_assignment", "directory_version", "usage_group_daily",
                    "activity_group_daily", "usage_user_daily", "usage_team_daily", "usage_group_model_daily",
                    "usage_user_monthly", "activity_user_monthly", "otel_counter", "otel_label_value",
                    "otel_seen_event", "otel_api_request", "otel_correction", "otel_receipt")) {
                s.executeUpdate("DROP TABLE " + v10AndLater);
            }
            s.executeUpdate("DELETE FROM flyway_schema_history WHERE CAST(version AS INTEGER) > 5");
        }
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertEquals(Optional.of(D1.plusDays(1)), store.counterEpoch(ACME));
            assertEquals(Optional.of(D1.plusDays(7)), store.counterEpoch("other"));
            assertEquals(1, requests(store));
            assertEquals(3, store.activityTotals(ACME).get(0).linesAdded());
            assertEquals(D1.plusDays(1), store.startCounterEpoch(ACME, D1.plusDays(20)), "kept");
        }
    }
}
