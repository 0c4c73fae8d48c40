package dev.cursorexporter.store;

import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.dailyDetailed;
import static dev.cursorexporter.store.Fixtures.event;
import static dev.cursorexporter.store.Fixtures.newShapeSpend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The datasource's per-day questions, whatever the database. {@link SqliteDailyQueriesTest}, {@link PostgresDailyQueriesContractTest}. */
abstract class DailyQueriesContract extends StoreFixture {

    static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    static final LocalDate D2 = D1.plusDays(1);

    @BeforeEach
    void fill() {
        events("acme", D1, D2,
                event(at(D1, 1, 0, 0, 0), "a@x.io", "gpt-5.2", "1.5"),
                event(at(D1, 2, 0, 0, 0), "a@x.io", "default", "0.25"),
                event(at(D1, 3, 0, 0, 0), "b@x.io", "gpt-5.2", "2"),
                event(at(D2, 1, 0, 0, 0), "a@x.io", "gpt-5.2", "4"),
                event(at(D2, 1, 0, 0, 0), "a@x.io", "gpt-5.2", "4"));
        events("beta", D1, D1, event(at(D1, 5, 0, 0, 0), "a@x.io", "gpt-5.2", "10"));
        store.saveDailyUsage("acme", List.of(
                dailyDetailed(D1, "a@x.io", true, 10, 8, 6, 4, 1, 2, 3, 4, 5),
                dailyDetailed(D1, "b@x.io", false, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                dailyDetailed(D2, "b@x.io", true, 1, 1, 1, 1, 1, 1, 1, 1, 1)), D1, D2, true);
        store.saveDailyUsage("beta", List.of(dailyDetailed(D1, "a@x.io", true, 5, 5, 5, 5, 5, 5, 5, 5, 5),
                dailyDetailed(D1, "c@x.io", true, 1, 0, 0, 0, 0, 0, 0, 0, 0)), D1, D1, true);
    }


    @Test
    void usageSummedPerDayOverEverything() {
        assertEquals(List.of(
                        cost(D1, null, null, null, 4, "13.75"),
                        cost(D2, null, null, null, 2, "8")),
                store.daily().dailyUsageCost(DailyQuery.days(D1, D2)));
        assertEquals(List.of(cost(D2, null, null, null, 2, "8")),
                store.daily().dailyUsageCost(DailyQuery.days(D2, D2.plusDays(5))));
    }

    @Test
    void usageGroupedByUserModelAndAccount() {
        assertEquals(List.of(
                        cost(D1, "acme", "a@x.io", "default", 1, "0.25"),
                        cost(D1, "acme", "a@x.io", "gpt-5.2", 1, "1.5"),
                        cost(D1, "acme", "b@x.io", "gpt-5.2", 1, "2"),
                        cost(D1, "beta", "a@x.io", "gpt-5.2", 1, "10"),
                        cost(D2, "acme", "a@x.io", "gpt-5.2", 2, "8")),
                store.daily().dailyUsageCost(DailyQuery.days(D1, D2).groupByAccount().groupByUser().groupByModel()));
        assertEquals(List.of(
                        cost(D1, null, "a@x.io", null, 3, "11.75"),
                        cost(D1, null, "b@x.io", null, 1, "2"),
                        cost(D2, null, "a@x.io", null, 2, "8")),
                store.daily().dailyUsageCost(DailyQuery.days(D1, D2).groupByUser()));
    }

    @Test
    void usageFilteredByAccountUserAndModel() {
        assertEquals(List.of(cost(D1, null, null, "gpt-5.2", 2, "11.5"), cost(D2, null, null, "gpt-5.2", 2, "8")),
                store.daily().dailyUsageCost(DailyQuery.days(D1, D2).groupByModel().withUsers(Set.of("A@x.io"))
                        .withModels(Set.of("gpt-5.2", "nothing"))));
        assertEquals(List.of(cost(D1, null, null, null, 1, "2")),
                store.daily().dailyUsageCost(DailyQuery.days(D1, D2).withAccounts(Set.of("acme")).withUsers(Set.of("b@x.io"))));
        assertEquals(List.of(), store.daily().dailyUsageCost(DailyQuery.days(D1, D2).withAccounts(Set.of("nope"))));
    }

    @Test
    void activityCountsDistinctActiveUsersAcrossAccounts() {
        assertEquals(List.of(
                        new DailyActivity(D1, null, null, 2, 16, 13, 11, 9, 6, 7, 8, 9, 10),
                        new DailyActivity(D2, null, null, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)),
                store.daily().dailyActivity(DailyQuery.days(D1, D2)));
        assertEquals(List.of(
                        new DailyActivity(D1, "acme", "a@x.io", 1, 10, 8, 6, 4, 1, 2, 3, 4, 5),
                        new DailyActivity(D1, "acme", "b@x.io", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                        new DailyActivity(D1, "beta", "a@x.io", 1, 5, 5, 5, 5, 5, 5, 5, 5, 5),
                        new DailyActivity(D1, "beta", "c@x.io", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0),
                        new DailyActivity(D2, "acme", "b@x.io", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)),
                store.daily().dailyActivity(DailyQuery.days(D1, D2).groupByAccount().groupByUser().groupByModel()
                        .withModels(Set.of("ignored"))));
        assertEquals(List.of(new DailyActivity(D1, "beta", null, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)),
                store.daily().dailyActivity(DailyQuery.days(D1, D2).groupByAccount().withUsers(Set.of("c@x.io"))));
    }

    @Test
    void lastActiveDaysAndSpendSnapshots() {
        assertEquals(Map.of("a@x.io", D1, "b@x.io", D2), store.daily().lastActiveDays("acme"));

        Instant cycle = Instant.parse("2026-03-01T07:52:48Z");
        store.saveSpend("acme", new SpendReport(List.of(newShapeSpend("a@x.io", "1", "2.000001", 100)), cycle),
                Instant.parse("2026-03-02T08:00:00Z"));
        store.saveSpend("acme", new SpendReport(List.of(newShapeSpend("a@x.io", "3", "4", null)), cycle),
                Instant.parse("2026-03-03T08:00:00Z"));
        assertEquals(List.of(
                        new SpendSnapshot(D2, "a@x.io", "user_a@x.io", cycle, new BigDecimal("2.000001"),
                                BigDecimal.ONE, new BigDecimal("100"), Instant.parse("2026-03-02T08:00:00Z")),
                        new SpendSnapshot(D2.plusDays(1), "a@x.io", "user_a@x.io", cycle, new BigDecimal("4"),
                                new BigDecimal("3"), null, Instant.parse("2026-03-03T08:00:00Z"))),
                store.daily().spendSnapshots("acme", D1, D2.plusDays(1)));
        assertEquals(List.of(), store.daily().spendSnapshots("beta", D1, D2.plusDays(1)));
    }

    @Test
    void queryValidation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DailyQuery.days(D2, D1));
        assertEquals("from 2026-03-02 is after to 2026-03-01", e.getMessage());
    }

    void events(String account, LocalDate from, LocalDate to, UsageEvent... events) {
        try (EventWindow w = store.openEventWindow(account, from, to)) {
            w.add(List.of(events));
            w.commit(true);
        }
    }

    static DailyUsageCost cost(LocalDate day, String account, String email, String model, long n,
                                       String cents) {
        return new DailyUsageCost(day, account, email, model, null, n, new BigDecimal(cents), 100 * n, 200 * n, 40 * n,
                30 * n);
    }
}
