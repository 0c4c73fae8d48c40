package dev.cursorexporter.metrics;

import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.store.AuthRefusal;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SourceAvailability;
import dev.cursorexporter.store.SourceState;
import dev.cursorexporter.store.StoreWriter;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A small, deterministic store for the metrics tests, written through {@link StoreWriter} as the sync writes it.
 * Each method fills what one metric group reads, so a group's test can hold only its own data while the golden
 * file holds them all. The clock is fixed: Wednesday 2026-03-18 10:30 UTC; the counter epoch is 2026-02-16 (a
 * 30-day backfill), so rows of 2026-02-10 and 2026-02-12 are history the counters leave out.
 */
final class MetricsFixture {
    static final Instant NOW = Instant.parse("2026-03-18T10:30:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final LocalDate TODAY = LocalDate.of(2026, 3, 18);
    static final String ACCOUNT = "default";
    static final int BACKFILL_DAYS = 30;
    static final int LOOKBACK_DAYS = 2;
    static final LocalDate EPOCH = TODAY.minusDays(BACKFILL_DAYS);
    /** The poll intervals of a default configuration, as the exporter passes them (spend 15m, the others 1h). */
    static final Map<Source, Duration> INTERVALS = defaultIntervals();

    static final String ANA = "ana@acme.io";
    static final String BO = "bo@acme.io";
    static final String CY = "cy@acme.io";
    static final String DEE = "dee@acme.io";

    /** ana and dee in Platform/Berlin, bo in Payments/London; everyone else the defaults. */
    static final Directory DIRECTORY = email -> switch (email == null ? "" : email.toLowerCase()) {
        case ANA, DEE -> new Assignment("Platform", "Berlin");
        case BO -> new Assignment("Payments", "London");
        default -> Assignment.DEFAULT;
    };

    private MetricsFixture() {
    }

    /** Everything below, as one account's sync would have left it. */
    static void all(StoreWriter store) {
        members(store);
        spend(store);
        usage(store);
        daily(store);
        enterprise(store);
        sourceStates(store);
    }

    /** ana (owner), bo and dee (members), cy removed. */
    static void members(StoreWriter store) {
        store.saveMembers(ACCOUNT, List.of(
                new Member("user_ana", ANA, "Ana", "owner", false),
                new Member("user_bo", BO, "Bo", "member", false),
                new Member("user_cy", CY, "Cy", "member", true),
                new Member("user_dee", DEE, "Dee", "member", false)), NOW.minus(Duration.ofMinutes(20)));
    }

    /**
     * The cycle started 2026-03-01; ana reports the new shape with a limit, bo the old shape (included part),
     * dee nothing yet. An earlier snapshot on 03-10 gives the forecast a history.
     */
    static void spend(StoreWriter store) {
        Instant cycleStart = Instant.parse("2026-03-01T00:00:00Z");
        store.saveSpend(ACCOUNT, new SpendReport(List.of(
                new MemberSpend("user_ana", ANA, "Ana", "owner", dec("600"), dec("2000"), null,
                        dec("100"), BigDecimal.ZERO, dec("100")),
                new MemberSpend("user_bo", BO, "Bo", "member", dec("300"), null, dec("250"), null, null, null)),
                cycleStart), Instant.parse("2026-03-10T08:00:00Z"));
        store.saveSpend(ACCOUNT, new SpendReport(List.of(
                new MemberSpend("user_ana", ANA, "Ana", "owner", dec("1250"), dec("4250"), null,
                        dec("100"), BigDecimal.ZERO, dec("100")),
                new MemberSpend("user_bo", BO, "Bo", "member", dec("800"), null, dec("500"), null, null, null),
                new MemberSpend("user_dee", DEE, "Dee", "member", dec("0"), dec("0"), null, null, null, null)),
                cycleStart), NOW.minus(Duration.ofMinutes(5)));
    }

    /**
     * Usage events: the 28 complete days 02-16 .. 03-15 stored for good; the look-back 03-16 .. today read by the
     * last poll, then read again completely with ana's 03-16 event re-classified as not charged, so its cost and
     * request are withdrawn. An event on 02-10, before the epoch, is history only.
     */
    static void usage(StoreWriter store) {
        store.startCounterEpoch(ACCOUNT, EPOCH);
        try (EventWindow w = store.openEventWindow(ACCOUNT, LocalDate.of(2026, 2, 10), LocalDate.of(2026, 2, 10))) {
            w.add(List.of(charged(at(2026, 2, 10, 9), ANA, "gpt-5.2", "99")));
            w.commit(true);
        }
        try (EventWindow w = store.openEventWindow(ACCOUNT, EPOCH, TODAY.minusDays(LOOKBACK_DAYS + 1))) {
            w.add(List.of(
                    charged(at(2026, 2, 20, 14), ANA, "claude-4.5-sonnet", "12.5"),
                    charged(at(2026, 3, 10, 9), ANA, "claude-4.5-sonnet", "7.25"),
                    new UsageEvent(at(2026, 3, 12, 16), ANA, "gpt-5.2", "Included in Business", false,
                            BigDecimal.ONE, new TokenUsage(1_000, 250, 40, 3_000, dec("3.25")), null, dec("0.5"),
                            false, null),
                    new UsageEvent(at(2026, 3, 1, 11), null, "default", "User API Key", false, BigDecimal.ONE,
                            new TokenUsage(10, 20, 0, 0, BigDecimal.ZERO), null, null, false, null),
                    charged(at(2026, 3, 14, 10), BO, "gpt-5.2", "30")));
            w.commit(true);
        }
        LocalDate lookback = TODAY.minusDays(LOOKBACK_DAYS);
        UsageEvent anaCharged = charged(at(2026, 3, 16, 15), ANA, "gpt-5.2", "20");
        UsageEvent boCharged = charged(at(2026, 3, 17, 9), BO, "gpt-5.2", "40");
        try (EventWindow w = store.openEventWindow(ACCOUNT, lookback, TODAY)) {
            w.add(List.of(anaCharged, boCharged));
            w.commitReplacing(NOW.minus(Duration.ofHours(1)), false);
        }
        UsageEvent anaErrored = new UsageEvent(anaCharged.timestamp(), ANA, "gpt-5.2", "Errored, Not Charged",
                false, BigDecimal.ONE, anaCharged.tokenUsage(), anaCharged.chargedCents(), null, false, null);
        try (EventWindow w = store.openEventWindow(ACCOUNT, lookback, TODAY)) {
            w.add(List.of(anaErrored, boCharged));
            w.commitReplacing(NOW.minus(Duration.ofMinutes(10)), false);
        }
    }

    /** Daily usage up to yesterday (03-17): ana active on 03-17, bo on 03-05; a row of 02-12 predates the epoch. */
    static void daily(StoreWriter store) {
        store.startCounterEpoch(ACCOUNT, EPOCH);
        store.saveDailyUsage(ACCOUNT, List.of(dailyRow(LocalDate.of(2026, 2, 12), ANA, true, 1_000, 900, 50, 40,
                5, 5, 5, 5, 5)), LocalDate.of(2026, 2, 12), LocalDate.of(2026, 2, 12), true);
        store.saveDailyUsage(ACCOUNT, List.of(
                dailyRow(LocalDate.of(2026, 3, 5), BO, true, 120, 80, 30, 12, 2, 1, 4, 0, 1),
                dailyRow(LocalDate.of(2026, 3, 6), DEE, false, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                EPOCH, TODAY.minusDays(LOOKBACK_DAYS + 1), true);
        store.saveDailyUsage(ACCOUNT, List.of(
                dailyRow(LocalDate.of(2026, 3, 17), ANA, true, 340, 200, 90, 45, 6, 3, 9, 2, 0)),
                TODAY.minusDays(LOOKBACK_DAYS), TODAY, false);
    }

    /**
     * Billing groups (Platform and the reserved Unassigned, cycle end 04-01), Analytics on 03-17 and 03-18, AI Code
     * Tracking commits (one without an e-mail) and audit events; audit_logs itself answered 403 (not on the plan).
     */
    static void enterprise(StoreWriter store) {
        Instant probed = NOW.minus(Duration.ofMinutes(15));
        store.enterprise().saveAvailability(ACCOUNT, Source.BILLING_GROUPS, new SourceAvailability(true, probed, null));
        store.enterprise().saveAvailability(ACCOUNT, Source.ANALYTICS, new SourceAvailability(true, probed, null));
        store.enterprise().saveAvailability(ACCOUNT, Source.AI_CODE, new SourceAvailability(true, probed, null));
        store.enterprise().saveAvailability(ACCOUNT, Source.AUDIT_LOGS,
                new SourceAvailability(false, probed, "HTTP 403: not on the team's plan"));
        store.enterprise().saveBillingGroups(ACCOUNT, new BillingGroups(List.of(
                new BillingGroups.Group("grp_1", "Platform", false, dec("4250"),
                        List.of(new BillingGroups.GroupMember("user_ana", ANA, dec("4250"))),
                        List.of(new BillingGroups.DailySpend(LocalDate.of(2026, 3, 17), dec("150")))),
                new BillingGroups.Group("grp_0", "Unassigned", true, dec("800.5"),
                        List.of(new BillingGroups.GroupMember("user_bo", BO, dec("800.5"))), List.of())),
                Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z")), probed);
        LocalDate d17 = LocalDate.of(2026, 3, 17);
        LocalDate d18 = TODAY;
        analytics(store, AnalyticsMetric.DAU, List.of(
                new AnalyticsPoint(d17, "", "dau", 2), new AnalyticsPoint(d18, "", "dau", 1)));
        analytics(store, AnalyticsMetric.CLIENT_VERSIONS, List.of(
                new AnalyticsPoint(d17, "2.4.27", "user_count", 2),
                new AnalyticsPoint(d18, "2.4.27", "user_count", 1),
                new AnalyticsPoint(d18, "2.5.0", "user_count", 1)));
        analytics(store, AnalyticsMetric.MODELS, List.of(
                new AnalyticsPoint(d17, "claude-4.5-sonnet", "messages", 12),
                new AnalyticsPoint(d18, "claude-4.5-sonnet", "messages", 3),
                new AnalyticsPoint(d18, "gpt-5.2", "messages", 7),
                new AnalyticsPoint(d18, "gpt-5.2", "users", 2)));
        analytics(store, AnalyticsMetric.AGENT_EDITS, List.of(
                new AnalyticsPoint(d17, "", "total_suggested_diffs", 10),
                new AnalyticsPoint(d17, "", "total_accepted_diffs", 6),
                new AnalyticsPoint(d17, "", "total_rejected_diffs", 3),
                new AnalyticsPoint(d17, "", "total_green_lines_accepted", 40)));
        store.enterprise().saveAiCodeCommits(ACCOUNT, List.of(
                commit("c1", ANA, 35, 10, 20, 5, at(2026, 3, 16, 12)),
                commit("c2", ANA, 5, 1, 0, 4, at(2026, 3, 17, 12)),
                commit("c3", null, 8, 0, 0, 8, at(2026, 3, 17, 13))), d17.minusDays(1), d18, false);
        store.enterprise().saveAuditEvents(ACCOUNT, List.of(
                new AuditEvent("0b7c5e1a-0000-4000-8000-000000000001", at(2026, 3, 17, 8), "login"),
                new AuditEvent("0b7c5e1a-0000-4000-8000-000000000002", at(2026, 3, 17, 9), "team_settings")),
                d17, d18, false);
    }

    /**
     * Every source succeeded recently except daily usage, whose key is refused (401) since its last success two
     * hours ago; audit_logs was never polled.
     */
    static void sourceStates(StoreWriter store) {
        Instant refused = NOW.minus(Duration.ofMinutes(20));
        for (Source s : List.of(Source.MEMBERS, Source.SPEND, Source.USAGE_EVENTS, Source.BILLING_GROUPS,
                Source.ANALYTICS, Source.AI_CODE)) {
            store.saveSourceState(ACCOUNT, s, new SourceState(NOW.minus(Duration.ofMinutes(10)), null, null));
        }
        store.saveSourceState(ACCOUNT, Source.DAILY_USAGE, new SourceState(NOW.minus(Duration.ofHours(2)),
                "HTTP 401: the API key was refused", refused));
        store.saveAuthRefusal(ACCOUNT, Source.DAILY_USAGE,
                new AuthRefusal(401, "/teams/daily-usage-data", "HTTP 401: the API key was refused", refused));
    }

    private static Map<Source, Duration> defaultIntervals() {
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            intervals.put(s, s.defaultInterval());
        }
        return intervals;
    }

    private static void analytics(StoreWriter store, AnalyticsMetric metric, List<AnalyticsPoint> points) {
        store.enterprise().saveAnalytics(ACCOUNT, metric, points, LocalDate.of(2026, 3, 17), TODAY, false, null, null);
    }

    private static AiCodeCommit commit(String hash, String email, long total, long tab, long composer, long nonAi,
                                       Instant ts) {
        return new AiCodeCommit(hash, email == null ? null : "user_" + email, email, "acme/app", "main", true, "ide",
                total, 0, tab, 0, composer, 0, nonAi, 0, ts, ts);
    }

    private static DailyUsageRow dailyRow(LocalDate day, String email, boolean active, long lines, long aiLines,
                                          long tabsShown, long tabsAccepted, long chat, long composer, long agent,
                                          long cmdk, long bugbot) {
        return new DailyUsageRow(day, "user_" + email, email, active, lines, 0, aiLines, 0, 0, 0, 0, tabsShown,
                tabsAccepted, composer, chat, agent, cmdk, 0, 0, 0, bugbot, "", "");
    }

    /** Stores {@code events} of {@code account} as one complete window over {@code from}..{@code to}, covered. */
    static void events(StoreWriter store, String account, LocalDate from, LocalDate to, List<UsageEvent> events) {
        try (EventWindow w = store.openEventWindow(account, from, to)) {
            w.add(events);
            w.commit(true);
        }
    }

    /** A usage-based event charged {@code cents}, with a few tokens of each type. */
    static UsageEvent charged(Instant ts, String email, String model, String cents) {
        return new UsageEvent(ts, email, model, "Usage-based", false, BigDecimal.ONE,
                new TokenUsage(100, 200, 30, 40, dec(cents)), dec(cents), null, false, null);
    }

    /** {@link #charged} as made by {@code actor}; a service account is named {@code serviceAccount}. */
    static UsageEvent charged(Instant ts, String email, String model, String cents, Actor actor,
                              String serviceAccount) {
        UsageEvent e = charged(ts, email, model, cents);
        return new UsageEvent(e.timestamp(), e.userEmail(), e.model(), e.kind(), e.maxMode(), e.requestsCosts(),
                e.tokenUsage(), e.chargedCents(), e.cursorTokenFee(), actor != Actor.HUMAN, null, actor,
                serviceAccount);
    }

    static Instant at(int year, int month, int day, int hour) {
        return LocalDate.of(year, month, day).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }
}
