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

/**
 * The counter epoch: counters count event days from the first backfill's first day on; older days stored later
 * (a larger backfill) stay out of them but not out of the per-day reads.
 */
class CounterEpochTest {
    private static final String ACME = "acme";
    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);

    @TempDir
    Path dir;

    @Test
    void daysBeforeTheEpochAreStoredButNotCounted() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertEquals(Optional.empty(), store.counterEpoch(ACME));
            assertEquals(D1.plusDays(5), store.startCounterEpoch(ACME, D1.plusDays(5)));
            events(store, D1.plusDays(5), "a@x.io", "10");
            store.saveDailyUsage(ACME, List.of(daily(D1.plusDays(5), "a@x.io", true, 3)), D1.plusDays(5),
                    D1.plusDays(5), true);
            assertEquals(1, requests(store));
            assertEquals(3, store.activityTotals(ACME).get(0).linesAdded());

            // The backfill is extended: older days arrive, the epoch stays.
            assertEquals(D1.plusDays(5), store.startCounterEpoch(ACME, D1));
            events(store, D1, "a@x.io", "500");
            events(store, D1.plusDays(4), "b@x.io", "7");
            store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", true, 40), daily(D1, "c@x.io", true, 9)), D1, D1,
                    true);
            assertEquals(1, requests(store));
            UsageTotals a = store.usageTotals(ACME).get(0);
            assertEquals(List.of("a@x.io", 1L, 100L), List.of(a.email(), a.requests(), a.inputTokens()));
            assertEquals(0, new BigDecimal("10").compareTo(a.costCents()));
            assertEquals(List.of(3L, 0L), store.activityTotals(ACME).stream().map(ActivityTotals::linesAdded).toList());
            // ... while the per-day reads (history, datasource API) have them.
            assertEquals(3, store.daily().dailyUsageCost(DailyQuery.days(D1, D1.plusDays(5))).size());

            // A restatement on or after the epoch is news and still counts.
            events(store, D1.plusDays(5), "a@x.io", "10", "20");
            assertEquals(2, requests(store));
        }
    }

    @Test
    void anEpochIsNeverLaterThanWhatIsAlreadyStored() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", true, 3)), D1, D1, true);
            assertEquals(D1, store.startCounterEpoch(ACME, D1.plusDays(10)));
            assertEquals(3, store.activityTotals(ACME).get(0).linesAdded());
        }
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

    @Test
    void costSumsPerUserOverSeveralRangesCountOnlyTheGivenDays() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            events(store, D1, "a@x.io", "100");
            events(store, D1.plusDays(1), "a@x.io", "20", "5");
            events(store, D1.plusDays(2), "b@x.io", "3");
            events(store, D1.plusDays(3), "a@x.io", "1000");
            List<UserCostSums.Range> ranges = List.of(new UserCostSums.Range(D1.plusDays(1), D1.plusDays(1)),
                    new UserCostSums.Range(D1, D1.plusDays(3)));
            Set<LocalDate> held = Set.of(D1, D1.plusDays(1), D1.plusDays(2));
            assertEquals(List.of(
                            new UserCostSums("a@x.io", List.of(new BigDecimal("25.000000"), new BigDecimal("125.000000"))),
                            new UserCostSums("b@x.io", List.of(new BigDecimal("0E-6"), new BigDecimal("3.000000")))),
                    store.userCostSums(ACME, ranges, held).stream()
                            .map(u -> new UserCostSums(u.email(), u.costsCents().stream()
                                    .map(c -> c.setScale(6)).toList())).toList());
            assertEquals(List.of(), store.userCostSums(ACME, ranges, Set.of()));
            assertEquals(List.of(), store.userCostSums("nobody", ranges, held));
        }
    }

    private static long requests(SqliteStore store) {
        return store.usageTotals(ACME).stream().mapToLong(UsageTotals::requests).sum();
    }

    /** One committed, covered window of {@code day} with one event per cost (distinct timestamps). */
    private static void events(SqliteStore store, LocalDate day, String email, String... cents) {
        try (EventWindow w = store.openEventWindow(ACME, day, day)) {
            List<UsageEvent> page = new java.util.ArrayList<>();
            for (int i = 0; i < cents.length; i++) {
                page.add(event(at(day, 9, 0, 0, i), email, "gpt-5.2", cents[i]));
            }
            w.add(page);
            w.commit(true);
        }
    }
}
