package dev.cursorexporter.store;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.cursorexporter.store.Fixtures.daily;
import static dev.cursorexporter.store.Fixtures.dailyDetailed;
import static dev.cursorexporter.store.Fixtures.member;
import static dev.cursorexporter.store.Fixtures.newShapeSpend;
import static dev.cursorexporter.store.Fixtures.oldShapeSpend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
/**
 * What every store does, whatever its database (issue 15): members, spend, daily usage and its restatements, coverage,
 * source states, accounts, and all-or-nothing writes, through the store's interface. {@link SqliteStoreTest} runs
 * it on an SQLite file, {@link PostgresStoreContractTest} on a real PostgreSQL server.
 */
abstract class StoreContract extends StoreFixture {

    static final String ACME = "acme";
    static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    static final Instant T1 = Instant.parse("2026-03-10T07:52:48.123456Z");
    static final Instant T2 = Instant.parse("2026-03-10T19:00:00Z");


    // ---- members ---------------------------------------------------------------------------------------------

    @Test
    void membersAbsentFromTheNewListAreKeptAndMarkedRemoved() {
        store.saveMembers(ACME, List.of(member("a@x.io", "user_a", false), member("b@x.io", "user_b", false),
                member("c@x.io", "user_c", false)), T1);
        store.saveMembers(ACME, List.of(member("A@X.io", null, false), member("b@x.io", "user_b", true),
                member("d@x.io", "user_d", false)), T2);

        List<StoredMember> members = store.members(ACME);
        assertEquals(List.of(
                new StoredMember("a@x.io", "user_a", "Name of A@X.io", "member", false, T2),
                new StoredMember("b@x.io", "user_b", "Name of b@x.io", "member", true, T2),
                new StoredMember("c@x.io", "user_c", "Name of c@x.io", "member", true, T1),
                new StoredMember("d@x.io", "user_d", "Name of d@x.io", "member", false, T2)), members);

        // A removed member who comes back is current again.
        store.saveMembers(ACME, List.of(member("c@x.io", "user_c", false)), T2);
        assertFalse(store.members(ACME).stream().filter(m -> m.email().equals("c@x.io")).findFirst().orElseThrow()
                .removed());
    }

    // ---- spend -----------------------------------------------------------------------------------------------

    @Test
    void spendIsInterpretedPerShapeAndReplacedByTheNextReport() {
        assertEquals(List.of(), store.currentSpend(ACME));
        assertEquals(Optional.empty(), store.cycleStart(ACME));

        Instant cycle = Instant.ofEpochMilli(1772351568000L);
        store.saveSpend(ACME, new SpendReport(List.of(
                newShapeSpend("new@x.io", "1312.408731", "6120.918204", 150),
                oldShapeSpend("Old@X.io", "2500", "2000"),
                oldShapeSpend("within@x.io", "800", "1000"),
                newShapeSpend("gone@x.io", "0", "12.5", null)), cycle), T1);

        assertEquals(List.of(
                new StoredSpend("gone@x.io", "user_gone@x.io", new BigDecimal("12.5"), BigDecimal.ZERO, null),
                new StoredSpend("new@x.io", "user_new@x.io", new BigDecimal("6120.918204"),
                        new BigDecimal("1312.408731"), new BigDecimal("150")),
                new StoredSpend("old@x.io", null, new BigDecimal("2500"), new BigDecimal("500"), null),
                new StoredSpend("within@x.io", null, new BigDecimal("800"), BigDecimal.ZERO, null)),
                store.currentSpend(ACME));
        assertEquals(Optional.of(cycle), store.cycleStart(ACME));

        Instant nextCycle = cycle.plusSeconds(30L * 86_400);
        store.saveSpend(ACME, new SpendReport(List.of(newShapeSpend("new@x.io", "1.5", "2", 150)), nextCycle), T2);
        assertEquals(List.of(new StoredSpend("new@x.io", "user_new@x.io", new BigDecimal("2"),
                new BigDecimal("1.5"), new BigDecimal("150"))), store.currentSpend(ACME));
        assertEquals(Optional.of(nextCycle), store.cycleStart(ACME));

        store.saveSpend(ACME, new SpendReport(List.of(), null), T2);
        assertEquals(Optional.empty(), store.cycleStart(ACME), "the latest report had no cycle start");
    }

    @Test
    void spendKeepsOneSnapshotPerMemberAndDayWithTheLastReportOfTheDayWinning() throws SQLException {
        Instant nextDay = T1.plusSeconds(86_400);
        store.saveSpend(ACME, new SpendReport(List.of(newShapeSpend("a@x.io", "0", "10", null),
                newShapeSpend("b@x.io", "0", "20", null)), null), T1);
        store.saveSpend(ACME, new SpendReport(List.of(newShapeSpend("a@x.io", "0", "11", null)), null), T2);
        store.saveSpend(ACME, new SpendReport(List.of(newShapeSpend("a@x.io", "0", "15", null),
                newShapeSpend("b@x.io", "0", "25", null)), null), nextDay);

        assertEquals(3, count("SELECT COUNT(*) FROM spend_daily"));
        assertEquals(11_000_000, count("SELECT cycle_spend_ucents FROM spend_daily WHERE day = "
                + LocalDate.of(2026, 3, 10).toEpochDay()));
        assertEquals(40_000_000, count("SELECT SUM(cycle_spend_ucents) FROM spend_daily WHERE day = "
                + LocalDate.of(2026, 3, 11).toEpochDay()));
    }

    // ---- daily usage -----------------------------------------------------------------------------------------

    @Test
    void restatedDailyRowsOnlyGoUpAndCoverageIsMarkedOnRequest() {
        store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", true, 10), daily(D1.plusDays(1), "a@x.io", false, 0)),
                D1, D1.plusDays(1), false);
        assertEquals(Set.of(), store.coveredDays(ACME, Source.DAILY_USAGE));

        // Lower restatement: nothing goes down, 'active' stays, text is kept when the new one is empty.
        store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", false, 3)), D1, D1, true);
        assertEquals(Set.of(D1), store.coveredDays(ACME, Source.DAILY_USAGE));
        ActivityTotals a = store.activityTotals(ACME).get(0);
        assertEquals(new ActivityTotals("a@x.io", 10, 10, 10, 10, 10, 10, 10, 10, 10), a);
        assertEquals(Set.of("a@x.io"), store.activeUsers(ACME, D1, D1));

        // Higher restatement raises; a day that was inactive becomes active.
        store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", true, 12), daily(D1.plusDays(1), "a@x.io", true, 5)),
                D1, D1.plusDays(2), true);
        assertEquals(new ActivityTotals("a@x.io", 17, 17, 17, 17, 17, 17, 17, 17, 17), store.activityTotals(ACME).get(0));
        assertEquals(Set.of(D1, D1.plusDays(1), D1.plusDays(2)), store.coveredDays(ACME, Source.DAILY_USAGE));
        assertEquals(Set.of(), store.coveredDays(ACME, Source.USAGE_EVENTS));
        assertEquals(Optional.of(D1.plusDays(1)), store.newestDailyUsageDay(ACME));
    }

    @Test
    void restatementKeepsStoredTextWhenTheNewValueIsEmpty() throws SQLException {
        store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", true, 1)), D1, D1, true);
        store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", false, 1)), D1, D1, true);
        assertEquals("gpt-5.2|2.4.27|user_a@x.io", text(
                "SELECT most_used_model || '|' || client_version || '|' || user_id FROM daily_usage"));
    }

    @Test
    void activityTotalsSumEveryFieldPerEmail() {
        store.saveDailyUsage(ACME, List.of(
                dailyDetailed(D1, "a@x.io", true, 100, 80, 40, 17, 2, 3, 11, 1, 0),
                dailyDetailed(D1, "b@x.io", false, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                dailyDetailed(D1.plusDays(1), "a@x.io", true, 5, 4, 3, 2, 1, 1, 1, 1, 1),
                dailyDetailed(D1.plusDays(1), null, true, 7, 7, 7, 7, 7, 7, 7, 7, 7)), D1, D1.plusDays(1), true);

        assertEquals(List.of(
                new ActivityTotals("", 7, 7, 7, 7, 7, 7, 7, 7, 7),
                new ActivityTotals("a@x.io", 105, 84, 43, 19, 3, 4, 12, 2, 1),
                new ActivityTotals("b@x.io", 0, 0, 0, 0, 0, 0, 0, 0, 0)), store.activityTotals(ACME));
    }

    @Test
    void activeUsersCountsAnyActiveDayInTheInclusiveWindow() {
        LocalDate newest = D1.plusDays(27);
        store.saveDailyUsage(ACME, List.of(
                daily(newest, "today@x.io", true, 1),
                daily(newest, "idle@x.io", false, 0),
                daily(newest.minusDays(6), "week@x.io", true, 1),
                daily(newest.minusDays(7), "eightdays@x.io", true, 1),
                daily(newest.minusDays(27), "month@x.io", true, 1),
                daily(newest.minusDays(28), "older@x.io", true, 1)), D1.minusDays(1), newest, true);

        assertEquals(Optional.of(newest), store.newestDailyUsageDay(ACME));
        assertEquals(Set.of("today@x.io"), store.activeUsers(ACME, newest, newest));
        assertEquals(Set.of("today@x.io", "week@x.io"), store.activeUsers(ACME, newest.minusDays(6), newest));
        assertEquals(Set.of("today@x.io", "week@x.io", "eightdays@x.io", "month@x.io"),
                store.activeUsers(ACME, newest.minusDays(27), newest));
        assertEquals(Set.of(), store.activeUsers(ACME, newest.plusDays(1), newest.plusDays(5)));
        assertEquals(Optional.empty(), store.newestDailyUsageDay("nobody"));
    }

    @Test
    void rejectsReversedRanges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.saveDailyUsage(ACME, List.of(), D1.plusDays(1), D1, true));
        assertEquals("from 2026-03-02 is after to 2026-03-01", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.openEventWindow(ACME, D1.plusDays(1), D1));
    }

    @Test
    void missingEmailIsStoredAndReturnedAsEmpty() {
        store.saveDailyUsage(ACME, List.of(daily(D1, null, true, 1)), D1, D1, false);
        assertEquals(Set.of(""), store.activeUsers(ACME, D1, D1));
    }

    // ---- source state and accounts --------------------------------------------------------------------------

    @Test
    void sourceStatesRoundTripExactlyAndDefaultToNever() {
        Map<Source, SourceState> none = store.sourceStates(ACME);
        assertEquals(Source.values().length, none.size());
        assertTrue(none.values().stream().allMatch(SourceState.NEVER::equals));

        SourceState ok = new SourceState(T1, null, null);
        SourceState failing = new SourceState(T1, "HTTP 503 from /teams/spend", T2);
        store.saveSourceState(ACME, Source.MEMBERS, ok);
        store.saveSourceState(ACME, Source.SPEND, ok);
        store.saveSourceState(ACME, Source.SPEND, failing);

        Map<Source, SourceState> states = store.sourceStates(ACME);
        assertEquals(ok, states.get(Source.MEMBERS));
        assertEquals(failing, states.get(Source.SPEND));
        assertEquals(SourceState.NEVER, states.get(Source.USAGE_EVENTS));
        assertEquals(SourceState.NEVER, store.sourceStates("other").get(Source.SPEND));
    }

    @Test
    void accountsAreIsolated() {
        store.saveMembers("b-team", List.of(member("a@x.io", "user_a", false)), T1);
        store.saveDailyUsage(ACME, List.of(daily(D1, "a@x.io", true, 4)), D1, D1, true);
        store.saveSpend(ACME, new SpendReport(List.of(newShapeSpend("a@x.io", "1", "2", null)), T1), T1);
        store.saveSourceState("c-only-state", Source.MEMBERS, new SourceState(T1, null, null));

        assertEquals(List.of(ACME, "b-team", "c-only-state"), store.accounts());
        assertEquals(List.of(), store.members(ACME));
        assertEquals(1, store.members("b-team").size());
        assertEquals(List.of(), store.activityTotals("b-team"));
        assertEquals(List.of(), store.currentSpend("b-team"));
        assertEquals(Optional.empty(), store.cycleStart("b-team"));
        assertEquals(Set.of(), store.coveredDays("b-team", Source.DAILY_USAGE));
        assertEquals(Set.of(), store.activeUsers("b-team", D1, D1));
        assertEquals(Set.of(D1), store.coveredDays(ACME, Source.DAILY_USAGE));

    }

    @Test
    void aWriteThatFailsHalfwayChangesNothing() {
        store.saveSpend(ACME, new SpendReport(List.of(newShapeSpend("a@x.io", "1", "2", null)), T1), T1);
        List<StoredSpend> before = store.currentSpend(ACME);

        // The second member overflows micro-cents after the account row, the delete and the first insert ran.
        SpendReport poisoned = new SpendReport(List.of(newShapeSpend("b@x.io", "1", "3", null),
                newShapeSpend("c@x.io", "1", "1e30", null)), T2);
        assertThrows(ArithmeticException.class, () -> store.saveSpend(ACME, poisoned, T2));
        assertThrows(ArithmeticException.class, () -> store.saveSpend("new-account", poisoned, T2));

        assertEquals(before, store.currentSpend(ACME));
        assertEquals(Optional.of(T1), store.cycleStart(ACME));
        assertEquals(List.of(ACME), store.accounts());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The first column of the first row of {@code sql} (plain SQL both dialects accept) on the store's database. */
    protected long count(String sql) {
        return store.database().read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        });
    }

    protected String text(String sql) {
        return store.database().read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        });
    }
}
