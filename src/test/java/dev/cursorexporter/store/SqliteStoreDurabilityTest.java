package dev.cursorexporter.store;

import dev.cursorexporter.model.BillingClass;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.daily;
import static dev.cursorexporter.store.Fixtures.event;
import static dev.cursorexporter.store.Fixtures.member;
import static dev.cursorexporter.store.Fixtures.newShapeSpend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteStoreDurabilityTest {

    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    private static final Instant T1 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    /** What a reader sees; compared before and after an abrupt end. */
    private record Snapshot(List<StoredMember> members, List<StoredSpend> spend, List<UsageTotals> usage,
                            List<ActivityTotals> activity, Set<LocalDate> eventDays, Set<LocalDate> dailyDays,
                            Map<Source, SourceState> states, List<String> accounts) {
        static Snapshot of(Store s) {
            return new Snapshot(s.members("acme"), s.currentSpend("acme"), s.usageTotals("acme"),
                    s.activityTotals("acme"), s.coveredDays("acme", Source.USAGE_EVENTS),
                    s.coveredDays("acme", Source.DAILY_USAGE), s.sourceStates("acme"), s.accounts());
        }
    }

    @Test
    void committedDataSurvivesAStoreThatIsNeverClosed() {
        SqliteStore first = SqliteStore.open(dir);
        first.saveMembers("acme", List.of(member("a@x.io", "user_a", false)), T1);
        first.saveSpend("acme", new SpendReport(List.of(newShapeSpend("a@x.io", "1.25", "99.000001", 50)), T1), T1);
        first.saveDailyUsage("acme", List.of(daily(D1, "a@x.io", true, 9)), D1, D1, true);
        first.saveSourceState("acme", Source.SPEND, new SourceState(T1, null, null));
        try (EventWindow w = first.openEventWindow("acme", D1, D1)) {
            w.add(List.of(event(at(D1, 1, 2, 3, 4), "a@x.io", "gpt-5.2", "0.1")));
            w.commit(true);
        }
        EventWindow pending = first.openEventWindow("acme", D1.plusDays(1), D1.plusDays(1));
        pending.add(List.of(event(at(D1.plusDays(1), 1, 0, 0, 0), "a@x.io", "gpt-5.2", "5")));
        Snapshot before = Snapshot.of(first);
        // 'first' is abandoned: no close(), its pool and uncommitted window left as a crash leaves them.

        try (SqliteStore second = SqliteStore.open(dir)) {
            assertEquals(before, Snapshot.of(second));
            assertEquals(new BigDecimal("0.1"), second.usageTotals("acme").get(0).costCents());
            assertEquals(0, second.stagedEventRows());
        }
        first.close();
    }

    @Test
    void everyCommitBeforeKillMinus9IsThereAndNothingIsHalfWritten() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        Path data = dir.resolve("data");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), data.toString())
                .redirectError(log.toFile())
                .start();
        int acknowledged = -1;
        try {
            acknowledged = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                int last = -1;
                while ((line = out.readLine()) != null) {
                    last = Integer.parseInt(line.substring("committed ".length()));
                    if (last == 3) {
                        return last;
                    }
                }
                throw new AssertionError("child ended early:\n" + Files.readString(log));
            });
        } finally {
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }

        try (SqliteStore store = SqliteStore.open(data)) {
            Set<LocalDate> eventDays = store.coveredDays(CrashWriter.ACCOUNT, Source.USAGE_EVENTS);
            Set<LocalDate> dailyDays = store.coveredDays(CrashWriter.ACCOUNT, Source.DAILY_USAGE);
            for (int n = 0; n <= acknowledged; n++) {
                assertTrue(eventDays.contains(CrashWriter.FIRST_DAY.plusDays(n)), "day " + n);
                assertTrue(dailyDays.contains(CrashWriter.FIRST_DAY.plusDays(n)), "day " + n);
            }
            // Every day that has events has all of them and is covered: a window is all or nothing.
            List<UsageTotals> totals = store.usageTotals(CrashWriter.ACCOUNT);
            for (UsageTotals t : totals) {
                assertEquals(new UsageTotals(t.email(), "m", BillingClass.USAGE_BASED, CrashWriter.EVENTS_PER_DAY,
                        new BigDecimal(CrashWriter.EVENTS_PER_DAY), 100L * CrashWriter.EVENTS_PER_DAY,
                        200L * CrashWriter.EVENTS_PER_DAY, 40L * CrashWriter.EVENTS_PER_DAY,
                        30L * CrashWriter.EVENTS_PER_DAY), t);
            }
            Set<LocalDate> daysWithEvents = totals.stream()
                    .map(t -> CrashWriter.FIRST_DAY.plusDays(Long.parseLong(t.email().replaceAll("\\D", ""))))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(eventDays, daysWithEvents);
            assertEquals(0, store.stagedEventRows());
            assertNotNull(store.newestDailyUsageDay(CrashWriter.ACCOUNT).orElse(null));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            assertTrue(rs.next());
            assertEquals("ok", rs.getString(1));
        }
    }
}
