package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApiException;
import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsAnswer;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.store.SourceAvailability;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each source's job on its own, against a scripted account and a real store: what it asks Cursor, what it stores,
 * which days it covers; and the registry that gives every source exactly one job.
 */
class SourceJobsTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 20);
    private static final String ACCOUNT = "acme";
    /** 5 complete days before today plus today; today and the day before are the look-back. */
    private static final WindowPlanner PLANNER = new WindowPlanner(5, 1, 30);

    @TempDir
    Path dir;
    private SqliteStore store;
    private final ScriptedApi api = new ScriptedApi();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private JobContext context(Source source, boolean forced) {
        return new JobContext(ACCOUNT, source, store, PLANNER, clock, forced, false, stopping::get,
                Duration.ofMinutes(5));
    }

    private String run(SourceJob job) {
        return job.run(context(job.source(), false));
    }

    @Test
    void everySourceHasExactlyOneJobInPollingOrder() {
        EnterpriseGate gate = new EnterpriseGate(ACCOUNT, api, new SyncHealth());
        CounterEpoch epoch = new CounterEpoch(ACCOUNT, store);
        assertEquals(List.of(Source.values()), SourceJobs.forAccount(api, api, epoch, gate).stream()
                .map(SourceJob::source).toList());
        assertEquals(Source.core(), SourceJobs.forAccount(api, null, epoch, gate).stream()
                .map(SourceJob::source).toList(), "without the Enterprise API only the core sources");
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> SourceJobs.check(
                List.of(new MembersJob(api), new SpendJob(api)), List.of(Source.MEMBERS, Source.SPEND,
                        Source.DAILY_USAGE)));
        assertEquals("sync jobs registered for [MEMBERS, SPEND] but the sources are [MEMBERS, SPEND, DAILY_USAGE] "
                + "(see SourceJobs)", missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gate.gate(new MembersJob(api)),
                "only Enterprise jobs go behind the gate");
    }

    @Test
    void membersAndSpendAreStoredWhole() {
        api.members = List.of(new Member("u1", "a@x.io", "A", "member", false),
                new Member("u2", "b@x.io", "B", "owner", false));
        assertEquals("2 members", run(new MembersJob(api)));
        assertEquals(List.of("a@x.io", "b@x.io"), store.members(ACCOUNT).stream().map(m -> m.email()).sorted()
                .toList());
        assertEquals("0 spend rows", run(new SpendJob(api)));
        assertEquals(List.of("members", "spend"), api.calls);
    }

    @Test
    void dailyUsageReadsTheLookBackThenTheBackfillAndCoversOnlyFinalDays() {
        api.dailyUsage = List.of(daily(TODAY, 5), daily(TODAY.minusDays(3), 7), daily(TODAY.minusDays(5), 1));
        assertEquals("2 windows, 3 rows", run(new DailyUsageJob(api, new CounterEpoch(ACCOUNT, store))));
        assertEquals(List.of("dailyUsage 2026-11-19..2026-11-20", "dailyUsage 2026-11-15..2026-11-18"), api.calls);
        assertEquals(4, store.coveredDays(ACCOUNT, Source.DAILY_USAGE).size(), "the four final days, not the look-back");
        assertEquals(13, store.activityTotals(ACCOUNT).get(0).linesAdded());
        assertEquals(TODAY.minusDays(5), store.counterEpoch(ACCOUNT).orElseThrow(), "the epoch is the backfill start");

        api.calls.clear();
        run(new DailyUsageJob(api, new CounterEpoch(ACCOUNT, store)));
        assertEquals(List.of("dailyUsage 2026-11-19..2026-11-20"), api.calls, "covered days are not read again");
    }

    @Test
    void anEmptyFinalWindowEndsTheBackfill() {
        WindowPlanner oneDayWindows = new WindowPlanner(5, 1, 1);
        JobContext context = new JobContext(ACCOUNT, Source.DAILY_USAGE, store, oneDayWindows, clock, false, false,
                stopping::get, Duration.ofMinutes(5));
        api.dailyUsage = List.of(daily(TODAY, 5), daily(TODAY.minusDays(2), 1));
        assertEquals("4 windows, 2 rows", new DailyUsageJob(api, new CounterEpoch(ACCOUNT, store)).run(context));
        // today, yesterday, the 18th (a row), the 17th (empty): Cursor keeps nothing older, so 15-16 are covered unread
        assertEquals(List.of("dailyUsage 2026-11-20..2026-11-20", "dailyUsage 2026-11-19..2026-11-19",
                "dailyUsage 2026-11-18..2026-11-18", "dailyUsage 2026-11-17..2026-11-17"), api.calls);
        assertEquals(4, store.coveredDays(ACCOUNT, Source.DAILY_USAGE).size());
    }

    @Test
    void usageEventsReplaceOnACompleteReadAndMergeOtherwise() {
        Instant day = TODAY.minusDays(3).atTime(10, 0).toInstant(ZoneOffset.UTC);
        api.events = List.of(event(day, "a@x.io", "100"), event(day.plusSeconds(60), "a@x.io", "50"));
        api.declaredEvents = 2;
        UsageEventsJob job = new UsageEventsJob(api, new CounterEpoch(ACCOUNT, store));
        assertEquals("2 windows, 2 events", run(job));
        assertEquals(new BigDecimal("150"), cost());
        assertEquals(4, store.coveredDays(ACCOUNT, Source.USAGE_EVENTS).size());
        assertTrue(api.calls.get(0).endsWith("..2026-11-20T12:00:00Z"), "today is read up to now: " + api.calls);
        assertTrue(api.calls.get(1).startsWith("usageEvents 2026-11-15T00:00:00Z..2026-11-18T23:59:59.999Z"),
                api.calls.get(1));

        // the look-back day restated: a complete read replaces, so the counter keeps 150 and 100 is withdrawn
        Instant lookBack = TODAY.atTime(9, 0).toInstant(ZoneOffset.UTC);
        api.events = List.of(event(lookBack, "a@x.io", "100"));
        api.declaredEvents = 1;
        run(job);
        api.events = List.of(event(lookBack, "a@x.io", "40"));
        run(job);
        assertEquals(new BigDecimal("250"), cost(), "150 + the first version 100, never down");
        assertEquals(new BigDecimal("60"), withdrawn(), "what the restatement took back");

        // no declared total: merged, nothing withdrawn
        api.events = List.of(event(lookBack, "a@x.io", "10"));
        api.declaredEvents = -1;
        run(job);
        assertEquals(new BigDecimal("60"), withdrawn());
    }

    @Test
    void aStopIsHonouredAtTheNextWindow() {
        stopping.set(true);
        assertThrows(Stopped.class, () -> run(new UsageEventsJob(api, new CounterEpoch(ACCOUNT, store))));
        assertThrows(Stopped.class, () -> run(new DailyUsageJob(api, new CounterEpoch(ACCOUNT, store))));
        assertEquals(List.of(), api.calls, "no call once stopping");
    }

    @Test
    void aLongBackfillYieldsAfterItsSliceOnceItHasCoveredAWindow() {
        WindowPlanner oneDayWindows = new WindowPlanner(5, 1, 1);
        api.dailyUsage = List.of(daily(TODAY.minusDays(5), 1), daily(TODAY.minusDays(4), 1),
                daily(TODAY.minusDays(3), 1), daily(TODAY.minusDays(2), 1));
        JobContext context = new JobContext(ACCOUNT, Source.DAILY_USAGE, store, oneDayWindows, clock, false, false,
                stopping::get, Duration.ZERO);
        assertEquals("3 windows, 1 rows", new DailyUsageJob(api, new CounterEpoch(ACCOUNT, store)).run(context));
        assertTrue(context.yielded());
        assertEquals(1, store.coveredDays(ACCOUNT, Source.DAILY_USAGE).size(), "the one final window read");
    }

    @Test
    void auditLogsStoreEveryPageAndCoverFinalWindows() {
        Instant old = TODAY.minusDays(4).atTime(8, 0).toInstant(ZoneOffset.UTC);
        api.auditEvents = List.of(new AuditEvent("e1", old, "login"), new AuditEvent("e2", old, "login"),
                new AuditEvent("e3", old.plusSeconds(5), "setting_changed"),
                new AuditEvent("e4", TODAY.atTime(1, 0).toInstant(ZoneOffset.UTC), "login"));
        assertEquals("2 windows, 4 audit events", run(new AuditLogsJob(api)));
        assertEquals(Map.of("login", 3L, "setting_changed", 1L), store.enterprise().auditEventCounts(ACCOUNT));
        assertEquals(4, store.coveredDays(ACCOUNT, Source.AUDIT_LOGS).size());
        run(new AuditLogsJob(api));
        assertEquals(Map.of("login", 3L, "setting_changed", 1L), store.enterprise().auditEventCounts(ACCOUNT),
                "an event read again is counted once");
    }

    @Test
    void aiCodeCommitsAreStoredOncePerHashAndFinalWindowsCovered() {
        Instant old = TODAY.minusDays(2).atTime(15, 0).toInstant(ZoneOffset.UTC);
        api.commits = List.of(commit("c1", old, 10, 4), commit("c2", old.plusSeconds(30), 6, 0),
                commit("c3", TODAY.atTime(2, 0).toInstant(ZoneOffset.UTC), 1, 1));
        assertEquals("2 windows, 3 commits", run(new AiCodeJob(api)));
        assertEquals("1 windows, 1 commits", run(new AiCodeJob(api)), "only the look-back is read again");
        var totals = store.enterprise().aiCodeTotals(ACCOUNT);
        assertEquals(1, totals.size());
        assertEquals(3, totals.get(0).commits(), "a commit read again is counted once");
        assertEquals(17, totals.get(0).totalLinesAdded());
        assertEquals(5, totals.get(0).tabLinesAdded());
        assertEquals(4, store.coveredDays(ACCOUNT, Source.AI_CODE).size());
    }

    @Test
    void aPagedBackfillYieldsAfterItsSliceAndStopsBetweenPages() {
        WindowPlanner oneDayWindows = new WindowPlanner(5, 1, 1);
        api.auditEvents = List.of(new AuditEvent("e1", TODAY.minusDays(4).atTime(8, 0).toInstant(ZoneOffset.UTC),
                "login"));
        JobContext slice = new JobContext(ACCOUNT, Source.AUDIT_LOGS, store, oneDayWindows, clock, false, false,
                stopping::get, Duration.ZERO);
        // today and yesterday (look-back), then one final day: the slice is used, the rest waits for the next run
        assertEquals("3 windows, 0 audit events", new AuditLogsJob(api).run(slice));
        assertTrue(slice.yielded());
        assertEquals(1, store.coveredDays(ACCOUNT, Source.AUDIT_LOGS).size());

        api.calls.clear();
        api.auditEvents = List.of(new AuditEvent("e1", TODAY.atTime(1, 0).toInstant(ZoneOffset.UTC), "login"),
                new AuditEvent("e2", TODAY.atTime(2, 0).toInstant(ZoneOffset.UTC), "login"));
        AuditLogsJob stopsAtItsFirstPage = new AuditLogsJob(new ScriptedApi() {
            @Override
            public void auditEvents(Instant from, Instant to,
                                    java.util.function.Consumer<List<AuditEvent>> pageConsumer) {
                stopping.set(true); // a stop requested while the call is paging
                api.auditEvents(from, to, pageConsumer);
            }
        });
        assertThrows(Stopped.class, () -> run(stopsAtItsFirstPage));
        assertEquals(Map.of(), store.enterprise().auditEventCounts(ACCOUNT), "no page stored once stopping");
    }

    @Test
    void analyticsSendsTheStoredEtagAndA304StillCoversTheWindow() {
        api.analytics = new AnalyticsAnswer(List.of(new AnalyticsPoint(TODAY.minusDays(3), "", "dau", 4)),
                "\"v1\"", false);
        String first = run(new AnalyticsJob(api));
        int metrics = AnalyticsMetric.values().length;
        assertEquals("2 windows, " + 2 * metrics + " points, 0 not modified", first);
        assertEquals(4, store.coveredDays(ACCOUNT, Source.ANALYTICS).size());
        api.calls.clear();
        api.analytics = new AnalyticsAnswer(List.of(), null, true);
        assertEquals("1 windows, 0 points, " + metrics + " not modified", run(new AnalyticsJob(api)));
        assertTrue(api.calls.stream().allMatch(c -> c.endsWith("if-none-match \"v1\"")), api.calls.toString());
    }

    @Test
    void theGateMarksASourceUnavailableOnA403AndProbesAgainOnlyWhenDueForcedOrTheKeyChanged() {
        SyncHealth health = new SyncHealth();
        EnterpriseGate gate = new EnterpriseGate(ACCOUNT, api, health);
        SourceJob groups = gate.gate(new BillingGroupsJob(api));
        api.fail = new CursorApiException("/teams/groups", 403, "HTTP 403 on /teams/groups", null);
        assertEquals("not available to this team", run(groups));
        SourceAvailability unavailable = store.enterprise().availability(ACCOUNT).get(Source.BILLING_GROUPS);
        assertFalse(unavailable.available());
        assertEquals(1, api.calls.size());

        assertTrue(run(groups).startsWith("not available to this team; next probe after 2026-11-21T12:00:00Z"));
        assertEquals(1, api.calls.size(), "not asked again within a day");
        assertEquals("not available to this team", groups.run(context(Source.BILLING_GROUPS, true)));
        assertEquals(2, api.calls.size(), "a forced sync probes");
        api.fingerprint = "key-2";
        api.fail = null;
        assertEquals("0 groups", run(groups), "a new key probes");
        assertTrue(store.enterprise().availability(ACCOUNT).get(Source.BILLING_GROUPS).available());

        clock = Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC);
        api.fail = new CursorApiException("/teams/groups", 500, "HTTP 500", null);
        assertThrows(CursorApiException.class, () -> run(groups), "other failures are failed polls");
    }

    @Test
    void noEnterpriseCallWhileTheKeyIsRefused() {
        SyncHealth health = new SyncHealth();
        health.record(ACCOUNT, Source.MEMBERS, new CursorApiException("/teams/members", 401, "HTTP 401", null), NOW);
        SourceJob groups = new EnterpriseGate(ACCOUNT, api, health).gate(new BillingGroupsJob(api));
        RuntimeException refused = assertThrows(RuntimeException.class, () -> run(groups));
        assertTrue(refused.getMessage().startsWith("not polled while Cursor refuses the API key"));
        assertEquals(List.of(), api.calls);
        assertEquals(null, store.enterprise().availability(ACCOUNT).get(Source.BILLING_GROUPS),
                "no conclusion about the plan");
    }

    private BigDecimal cost() {
        return store.usageTotals(ACCOUNT).stream().map(t -> t.costCents()).reduce(BigDecimal.ZERO, BigDecimal::add)
                .stripTrailingZeros().setScale(0);
    }

    private BigDecimal withdrawn() {
        return store.usageWithdrawn(ACCOUNT).stream().map(t -> t.costCents()).reduce(BigDecimal.ZERO, BigDecimal::add)
                .stripTrailingZeros().setScale(0);
    }

    private static UsageEvent event(Instant at, String email, String chargedCents) {
        return new UsageEvent(at, email, "claude-4-sonnet", "Usage-based", false, BigDecimal.ZERO, TokenUsage.NONE,
                new BigDecimal(chargedCents), null, false, null);
    }

    private static AiCodeCommit commit(String hash, Instant at, long added, long tab) {
        return new AiCodeCommit(hash, "u1", "a@x.io", "acme/app", "main", true, "ide", added, 0, tab, 0,
                added - tab, 0, 0, 0, at, at);
    }

    private static DailyUsageRow daily(LocalDate day, long linesAdded) {
        return new DailyUsageRow(day, "u1", "a@x.io", true, linesAdded, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, "", "");
    }
}
