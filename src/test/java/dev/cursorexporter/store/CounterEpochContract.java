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

/** The counter epoch and per-user cost sums, whatever the database. {@link CounterEpochTest}, {@link PostgresCounterEpochContractTest}. */
abstract class CounterEpochContract {
    static final String ACME = "acme";
    static final LocalDate D1 = LocalDate.of(2026, 3, 1);

    /** A store on an empty database; each call of one test opens the same database again. */
    protected abstract SqliteStore openStore();

    @Test
    void daysBeforeTheEpochAreStoredButNotCounted() {
        try (SqliteStore store = openStore()) {
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
        try (SqliteStore store = openStore()) {
            store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", true, 3)), D1, D1, true);
            assertEquals(D1, store.startCounterEpoch(ACME, D1.plusDays(10)));
            assertEquals(3, store.activityTotals(ACME).get(0).linesAdded());
        }
    }

    @Test
    void costSumsPerUserOverSeveralRangesCountOnlyTheGivenDays() {
        try (SqliteStore store = openStore()) {
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

    static long requests(SqliteStore store) {
        return store.usageTotals(ACME).stream().mapToLong(UsageTotals::requests).sum();
    }

    /** One committed, covered window of {@code day} with one event per cost (distinct timestamps). */
    static void events(SqliteStore store, LocalDate day, String email, String... cents) {
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
