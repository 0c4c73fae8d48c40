package dev.cursorexporter.query;

import dev.cursorexporter.testing.StoreBeforeActor;
import dev.cursorexporter.directory.Assignment;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.testing.ForwardingDailyQueries;
import dev.cursorexporter.store.DailyActivity;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.GroupAssignment;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History by team and location from the stored assignment and the per-group rollups (V10, V11), on a real SQLite
 * file: every answer equals the one computed per e-mail with the directory (the same question with a user condition
 * that keeps everyone), also after the directory changes, after restated events and daily usage, and for e-mails
 * new since the last assignment; the group and monthly rollups' sums equal the per-e-mail rollup's to the
 * micro-cent; and a range summed from whole months and edge days equals the sum of its days.
 */
class GroupedHistoryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
    /** Across three months, the middle one whole: summed questions read it from the monthly rollups (V11). */
    private static final LocalDate FROM = LocalDate.of(2026, 9, 25);
    private static final LocalDate TO = LocalDate.of(2026, 11, 10);
    private static final List<String> EMAILS = List.of("ana@x.io", "bo@x.io", "cy@x.io", "di@x.io", "ed@x.io",
            "fay@x.io", "both@x.io");
    private static final List<String> MODELS = List.of("gpt-5", "claude-4-sonnet", "default");
    private static final List<String> KINDS = List.of("Usage-based", "Included in Business", "Errored, Not Charged");

    private static final Directory FIRST = directory(Map.of(
            "ana@x.io", new Assignment("Platform", "Berlin"),
            "bo@x.io", new Assignment("Platform", "Paris"),
            "cy@x.io", new Assignment("Data", "Berlin"),
            "both@x.io", new Assignment("Data", "Paris")));
    /** bo and cy move; di gains a team. */
    private static final Directory SECOND = directory(Map.of(
            "ana@x.io", new Assignment("Platform", "Berlin"),
            "bo@x.io", new Assignment("Data", "Lisbon"),
            "cy@x.io", new Assignment("Platform", "Berlin"),
            "di@x.io", new Assignment("Data", "Paris"),
            "both@x.io", new Assignment("Data", "Paris")));

    @TempDir
    Path dir;

    private static Directory directory(Map<String, Assignment> entries) {
        return email -> entries.getOrDefault(email == null ? "" : email, Assignment.DEFAULT);
    }

    private static int assign(SqliteStore store, Directory directory) {
        return store.assignGroups(email -> {
            Assignment a = directory.lookup(email);
            return new GroupAssignment(a.team(), a.location());
        });
    }

    /** The questions of the History board and the issue, and a few more shapes. */
    private static List<SeriesQuery> questions() {
        List<SeriesQuery> out = new ArrayList<>();
        Condition dataTeam = Condition.in(Dimension.TEAM, List.of("Data"));
        Condition notUnassigned = new Condition(Dimension.TEAM, Condition.Operator.NOT_IN, List.of("unassigned"));
        Condition parisOrBerlin = Condition.matching(Dimension.LOCATION, "(Paris|Berlin)", false);
        for (int bucket : new int[] {1, 3, 10}) {
            out.add(q(bucket, List.of(), List.of(), true));
            out.add(q(bucket, List.of(Dimension.TEAM), List.of(), true));
            out.add(q(bucket, List.of(Dimension.LOCATION), List.of(), true));
            out.add(q(bucket, List.of(Dimension.TEAM, Dimension.LOCATION), List.of(notUnassigned), true));
            out.add(q(bucket, List.of(Dimension.TEAM, Dimension.MODEL), List.of(), false));
            out.add(q(bucket, List.of(Dimension.MODEL), List.of(dataTeam), false));
            out.add(q(bucket, List.of(), List.of(dataTeam), true));
            out.add(q(bucket, List.of(Dimension.BILLING), List.of(parisOrBerlin), false));
            out.add(q(bucket, List.of(Dimension.TEAM, Dimension.BILLING), List.of(
                    Condition.in(Dimension.MODEL, List.of("gpt-5", "default"))), false));
            out.add(q(bucket, List.of(Dimension.TEAM), List.of(Condition.in(Dimension.LOCATION, List.of("Paris"))),
                    true));
            out.add(q(bucket, List.of(Dimension.MODEL), List.of(Condition.in(Dimension.TEAM, List.of("Data",
                    "Platform")), dataTeam, Condition.in(Dimension.LOCATION, List.of("Berlin", "Lisbon"))), false));
            out.add(q(bucket, List.of(Dimension.LOCATION, Dimension.MODEL), List.of(notUnassigned), false));
        }
        return out;
    }

    private static SeriesQuery q(int bucketDays, List<Dimension> by, List<Condition> conditions, boolean activity) {
        return new SeriesQuery(FROM, TO, bucketDays, by, conditions, activity);
    }

    /** The same question answered per e-mail: a user condition that every user value meets. */
    private static SeriesQuery perEmail(SeriesQuery q) {
        List<Condition> conditions = new ArrayList<>(q.conditions());
        conditions.add(Condition.matching(Dimension.USER, ".*", false));
        return new SeriesQuery(q.from(), q.to(), q.bucketDays(), q.by(), conditions, q.activity());
    }

    /**
     * Asks the questions and compares; returns the store questions the grouped answers asked of usage, and of
     * activity with 1-day buckets (distinct users over longer buckets are counted per e-mail).
     */
    private List<DailyQuery> assertGroupedEqualsPerEmail(SqliteStore store, Directory directory) {
        Recording recording = new Recording(store.daily());
        DatasourceQueries grouped = new DatasourceQueries(store, recording, () -> directory,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), CLOCK);
        DatasourceQueries oracle = new DatasourceQueries(store, store.daily(), () -> directory,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), CLOCK);
        List<DailyQuery> asked = new ArrayList<>();
        for (SeriesQuery q : questions()) {
            recording.asked.clear();
            recording.activity.clear();
            List<SeriesRow> expected = oracle.series(perEmail(q));
            assertFalse(expected.isEmpty(), q.toString());
            assertEquals(exact(expected), exact(grouped.series(q)), q.toString());
            asked.addAll(recording.asked);
            if (q.bucketDays() == 1) {
                asked.addAll(recording.activity);
            }
        }
        return asked;
    }

    /**
     * Rows with the cost as the API shows it ({@link SeriesRow#costUsd}): summed per group in SQL, a cost has the
     * scale of the sum, not of the largest summand.
     */
    private static List<SeriesRow> exact(List<SeriesRow> rows) {
        return rows.stream().map(r -> new SeriesRow(r.start(), r.group(), r.costUsd(), r.requests(), r.inputTokens(),
                r.outputTokens(), r.cacheReadTokens(), r.cacheWriteTokens(), r.activity())).toList();
    }

    private void fill(SqliteStore store, long seed) {
        Random random = new Random(seed);
        for (String account : List.of("alpha", "beta")) {
            List<UsageEvent> events = new ArrayList<>();
            List<DailyUsageRow> rows = new ArrayList<>();
            for (LocalDate d = FROM; !d.isAfter(TO); d = d.plusDays(1)) {
                for (String email : EMAILS) {
                    if (account.equals("beta") && !email.startsWith("both") && !email.startsWith("ana")) {
                        continue;
                    }
                    if (random.nextInt(4) == 0) {
                        continue;
                    }
                    rows.add(daily(d, email, random.nextBoolean(), random.nextInt(500)));
                    for (int i = random.nextInt(6); i > 0; i--) {
                        events.add(event(d.atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60))
                                        .toInstant(ZoneOffset.UTC), email, MODELS.get(random.nextInt(MODELS.size())),
                                KINDS.get(random.nextInt(KINDS.size())), random.nextInt(1_000_000)));
                    }
                }
                events.add(event(d.atTime(7, 0).toInstant(ZoneOffset.UTC), null, "default", "Usage-based", 1234));
            }
            store.saveDailyUsage(account, rows, FROM, TO, true);
            try (EventWindow w = store.openEventWindow(account, FROM, TO)) {
                w.add(events);
                w.commit(true);
            }
        }
    }

    private static UsageEvent event(Instant at, String email, String model, String kind, int microCents) {
        BigDecimal cents = BigDecimal.valueOf(microCents, 6);
        return new UsageEvent(at, email, model, kind, false, BigDecimal.ONE,
                new TokenUsage(microCents % 1000, microCents % 700, 3, 4, cents), cents, null, false, null);
    }

    private static DailyUsageRow daily(LocalDate day, String email, boolean active, long lines) {
        return new DailyUsageRow(day, "user_" + email, email, active, lines, 0, lines / 3, 0, 0, 0, 0, lines / 2,
                lines / 5, 1, 2, 3, 4, 0, 0, 0, 5, "", "");
    }

    @Test
    void groupedAnswersEqualPerEmailAnswersWithoutReadingPerEmailRows() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            fill(store, 1);
            assertEquals(0, store.assignmentVersion());
            assertEquals(EMAILS.size() + 1, assign(store, FIRST), "every e-mail and the missing one ('')");
            assertEquals(1, store.assignmentVersion());
            assertEquals(0, assign(store, FIRST), "nothing changed: nothing written");
            assertEquals(1, store.assignmentVersion());
            List<DailyQuery> asked = assertGroupedEqualsPerEmail(store, FIRST);
            assertTrue(asked.stream().noneMatch(DailyQuery::byUser), asked.toString());
            assertTrue(asked.stream().anyMatch(DailyQuery::byGroup));
            // Plain team and location lists are filtered on in SQL, which then sums away what the answer omits.
            assertTrue(asked.stream().anyMatch(d -> d.teams().equals(Set.of("Data")) && !d.byTeam()
                    && !d.byLocation() && d.byModel()), asked.toString());
            assertTrue(asked.stream().anyMatch(d -> d.teams().equals(Set.of("Data")) && d.locations().equals(
                    Set.of("Berlin", "Lisbon")) && !d.byTeam() && !d.byLocation()), asked.toString());
            assertTrue(asked.stream().anyMatch(d -> d.locations().equals(Set.of("Paris")) && d.byTeam()
                    && !d.byLocation()), asked.toString());
            assertTrue(asked.stream().anyMatch(d -> d.byTeam() && !d.byLocation() && d.byModel() && !d.byBilling()),
                    asked.toString());
            assertGroupSumsExact();
        }
    }

    @Test
    void aDirectoryChangeRegroupsHistory() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            fill(store, 2);
            assign(store, FIRST);
            SeriesQuery byTeam = q(1, List.of(Dimension.TEAM), List.of(), true);
            List<SeriesRow> before = answers(store, FIRST).series(byTeam);

            assertEquals(3, assign(store, SECOND), "bo, cy and di changed");
            assertEquals(2, store.assignmentVersion());
            List<SeriesRow> after = answers(store, SECOND).series(byTeam);
            assertNotEquals(exact(before), exact(after));
            List<DailyQuery> asked = assertGroupedEqualsPerEmail(store, SECOND);
            assertTrue(asked.stream().noneMatch(DailyQuery::byUser), asked.toString());

            assertEquals(3, assign(store, FIRST), "and back");
            assertEquals(exact(before), exact(answers(store, FIRST).series(byTeam)));
            assertGroupSumsExact();
        }
    }

    @Test
    void restatedEventsAndDailyUsageKeepGroupRollupsExact() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            fill(store, 3);
            assign(store, FIRST);
            // A complete re-read of two days: one event restated at a lower cost, the rest of those days gone.
            LocalDate day = FROM.plusDays(4);
            try (EventWindow w = store.openEventWindow("alpha", day, day.plusDays(1))) {
                w.add(List.of(event(day.atTime(10, 0).toInstant(ZoneOffset.UTC), "ana@x.io", "gpt-5", "Usage-based",
                        17), event(day.plusDays(1).atTime(11, 0).toInstant(ZoneOffset.UTC), "cy@x.io", "gpt-5",
                        "Usage-based", 999_999)));
                w.commitReplacing(day.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant(), true);
            }
            // Daily usage restated upward.
            store.saveDailyUsage("beta", List.of(daily(day, "both@x.io", true, 10_000)), day, day, true);
            assertGroupSumsExact();
            List<DailyQuery> asked = assertGroupedEqualsPerEmail(store, FIRST);
            assertTrue(asked.stream().noneMatch(DailyQuery::byUser), asked.toString());
        }
    }

    @Test
    void eMailsNewSinceTheAssignmentAreAnsweredPerEmailUntilAssigned() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            fill(store, 4);
            assign(store, FIRST);
            Directory withNewcomer = directory(Map.of("ana@x.io", new Assignment("Platform", "Berlin"),
                    "bo@x.io", new Assignment("Platform", "Paris"), "cy@x.io", new Assignment("Data", "Berlin"),
                    "both@x.io", new Assignment("Data", "Paris"), "new@x.io", new Assignment("Data", "Oslo")));
            LocalDate day = FROM.plusDays(2);
            try (EventWindow w = store.openEventWindow("alpha", day, day)) {
                w.add(List.of(event(day.atTime(9, 0).toInstant(ZoneOffset.UTC), "new@x.io", "gpt-5", "Usage-based",
                        5_000)));
                w.commit(true);
            }
            store.saveDailyUsage("alpha", List.of(daily(day, "new@x.io", true, 40)), day, day, true);
            List<DailyQuery> asked = assertGroupedEqualsPerEmail(store, withNewcomer);
            assertTrue(asked.stream().anyMatch(DailyQuery::byUser), "exact per e-mail while unassigned");
            assertGroupSumsExact();

            assertEquals(1, assign(store, withNewcomer));
            asked = assertGroupedEqualsPerEmail(store, withNewcomer);
            assertTrue(asked.stream().noneMatch(DailyQuery::byUser), asked.toString());
            assertEquals(0L, count("SELECT COUNT(*) FROM usage_group_daily WHERE team = ''")
                    + count("SELECT COUNT(*) FROM activity_group_daily WHERE team = ''"));
        }
    }

    @Test
    void oneBucketPerMemberSumsTheDaysInSql() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            fill(store, 5);
            assign(store, FIRST);
            DatasourceQueries answers = answers(store, FIRST);
            // Whole months and edge days on both sides, none, one side only, and no whole month at all.
            LocalDate october = LocalDate.of(2026, 10, 1);
            List<LocalDate[]> ranges = List.of(new LocalDate[] {FROM, TO},
                    new LocalDate[] {october, october.plusDays(30)}, new LocalDate[] {october, TO},
                    new LocalDate[] {FROM, october.plusDays(30)}, new LocalDate[] {october.plusDays(4),
                            october.plusDays(19)});
            for (LocalDate[] range : ranges) {
                for (List<Dimension> by : List.of(List.of(Dimension.USER, Dimension.TEAM), List.of(Dimension.USER),
                        List.of(Dimension.TEAM), List.<Dimension>of())) {
                    SeriesQuery perDay = new SeriesQuery(range[0], range[1], 1, by, List.of(), true);
                    List<SeriesRow> daily = answers.series(perDay);
                    List<SeriesRow> totals = answers.series(new SeriesQuery(range[0], range[1],
                            (int) perDay.days(), by, List.of(), true));
                    String what = by + " " + range[0] + ".." + range[1];
                    Map<List<String>, SeriesRow> expected = new java.util.TreeMap<>(java.util.Comparator.comparing(
                            (List<String> g) -> String.join("\u0000", g)));
                    for (SeriesRow r : daily) {
                        SeriesRow.Activity a = r.activity();
                        expected.merge(r.group(), new SeriesRow(range[0], r.group(), r.costCents(), r.requests(),
                                r.inputTokens(), r.outputTokens(), r.cacheReadTokens(), r.cacheWriteTokens(), a),
                                (x, y) -> new SeriesRow(range[0], x.group(), x.costCents().add(y.costCents()),
                                        x.requests() + y.requests(), x.inputTokens() + y.inputTokens(),
                                        x.outputTokens() + y.outputTokens(),
                                        x.cacheReadTokens() + y.cacheReadTokens(),
                                        x.cacheWriteTokens() + y.cacheWriteTokens(), sum(x.activity(), y.activity(),
                                        by.contains(Dimension.USER))));
                    }
                    List<SeriesRow> got = exact(totals);
                    assertEquals(expected.size(), got.size(), what);
                    for (SeriesRow r : got) {
                        SeriesRow e = exact(List.of(expected.get(r.group()))).get(0);
                        if (by.contains(Dimension.USER)) {
                            assertEquals(e, r, what);
                        } else { // distinct users over the range are no sum of the days' counts
                            assertEquals(0, e.costCents().compareTo(r.costCents()), what);
                            assertEquals(e.requests(), r.requests(), what);
                            assertEquals(e.activity().linesAdded(), r.activity().linesAdded(), what);
                        }
                    }
                    if (by.isEmpty()) { // active on any day of the range: each member once
                        long active = answers.series(new SeriesQuery(range[0], range[1], 1, List.of(Dimension.USER),
                                        List.of(), true)).stream().filter(r -> r.activity().activeUsers() > 0)
                                .map(SeriesRow::group).distinct().count();
                        assertEquals(active, got.get(0).activity().activeUsers(), what);
                    }
                }
            }
        }
    }

    @Test
    void aStoreFromBeforeTheMonthlyRollupsGetsThemOnUpgrade() throws SQLException {
        try (SqliteStore store = SqliteStore.open(dir)) {
            fill(store, 6);
            assign(store, FIRST);
        }
        // Back to version 10, as the previous release left its store.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement()) {
            StoreBeforeActor.undo(s);
            for (String v11 : List.of("usage_group_model_daily", "usage_user_monthly", "activity_user_monthly",
                    "otel_counter", "otel_label_value", "otel_seen_event", "otel_api_request", "otel_correction",
                    "otel_receipt")) { // V11, V12 of the OTLP receiver (V13 undone above)
                s.executeUpdate("DROP TABLE " + v11);
            }
            s.executeUpdate("DELETE FROM flyway_schema_history WHERE CAST(version AS INTEGER) > 10");
        }
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertGroupSumsExact();
            assertGroupedEqualsPerEmail(store, FIRST);
        }
    }

    /** Activity of one member's two buckets together: active on either, figures added. */
    private static SeriesRow.Activity sum(SeriesRow.Activity x, SeriesRow.Activity y, boolean oneMember) {
        return new SeriesRow.Activity(oneMember ? Math.max(x.activeUsers(), y.activeUsers())
                : x.activeUsers() + y.activeUsers(), x.linesAdded() + y.linesAdded(),
                x.aiLinesAdded() + y.aiLinesAdded(), x.tabsShown() + y.tabsShown(),
                x.tabsAccepted() + y.tabsAccepted(), x.chatRequests() + y.chatRequests(),
                x.composerRequests() + y.composerRequests(), x.agentRequests() + y.agentRequests(),
                x.cmdkUsages() + y.cmdkUsages(), x.bugbotUsages() + y.bugbotUsages());
    }

    private DatasourceQueries answers(SqliteStore store, Directory directory) {
        return new DatasourceQueries(store, store.daily(), () -> directory,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), CLOCK);
    }

    /**
     * Per day and model (usage) and per day (activity), the group rollups sum exactly what the e-mail rows do, and
     * the per-team rollup what the group rollup does.
     */
    private void assertGroupSumsExact() {
        String usage = "SELECT account_id, day, model, billing, SUM(requests), SUM(cost_ucents), SUM(input_tokens),"
                + " SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens) FROM %s"
                + " GROUP BY account_id, day, model, billing ORDER BY 1, 2, 3, 4";
        assertEquals(rows(usage.formatted("usage_rollup")), rows(usage.formatted("usage_group_daily")));
        String perTeam = "SELECT account_id, day, team, location, SUM(requests), SUM(cost_ucents), SUM(input_tokens),"
                + " SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens) FROM %s"
                + " GROUP BY account_id, day, team, location ORDER BY 1, 2, 3, 4";
        assertEquals(rows(perTeam.formatted("usage_group_daily")), rows(perTeam.formatted("usage_team_daily")));
        String perModel = "SELECT account_id, day, team, location, model, SUM(requests), SUM(cost_ucents),"
                + " SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens) FROM %s"
                + " GROUP BY account_id, day, team, location, model ORDER BY 1, 2, 3, 4, 5";
        assertEquals(rows(perModel.formatted("usage_group_daily")),
                rows(perModel.formatted("usage_group_model_daily")));
        String month = "CAST(julianday(date(day * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER)";
        assertEquals(rows("SELECT account_id, " + month + ", email, SUM(requests), SUM(cost_ucents),"
                        + " SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens)"
                        + " FROM usage_user_daily GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
                rows("SELECT account_id, month, email, requests, cost_ucents, input_tokens, output_tokens,"
                        + " cache_read_tokens, cache_write_tokens FROM usage_user_monthly ORDER BY 1, 2, 3"));
        assertEquals(rows("SELECT account_id, " + month + ", email, SUM(active), SUM(total_lines_added),"
                        + " SUM(accepted_lines_added), SUM(total_tabs_shown), SUM(total_tabs_accepted),"
                        + " SUM(chat_requests), SUM(composer_requests), SUM(agent_requests), SUM(cmdk_usages),"
                        + " SUM(bugbot_usages) FROM daily_usage GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"),
                rows("SELECT account_id, month, email, active_days, lines_added, accepted_lines_added, tabs_shown,"
                        + " tabs_accepted, chat_requests, composer_requests, agent_requests, cmdk_usages,"
                        + " bugbot_usages FROM activity_user_monthly ORDER BY 1, 2, 3"));
        assertEquals(3, count("SELECT COUNT(DISTINCT month) FROM usage_user_monthly"), "September to November");
        assertEquals(rows("SELECT day, COUNT(DISTINCT CASE WHEN active = 1 THEN email END), SUM(total_lines_added),"
                        + " SUM(accepted_lines_added), SUM(total_tabs_shown), SUM(total_tabs_accepted),"
                        + " SUM(chat_requests), SUM(composer_requests), SUM(agent_requests), SUM(cmdk_usages),"
                        + " SUM(bugbot_usages) FROM daily_usage GROUP BY day ORDER BY day"),
                rows("SELECT day, SUM(active_users), SUM(lines_added), SUM(accepted_lines_added), SUM(tabs_shown),"
                        + " SUM(tabs_accepted), SUM(chat_requests), SUM(composer_requests), SUM(agent_requests),"
                        + " SUM(cmdk_usages), SUM(bugbot_usages) FROM activity_group_daily GROUP BY day"
                        + " ORDER BY day"));
    }

    private List<List<Object>> rows(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> out = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
            assertFalse(out.isEmpty(), sql);
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store's daily queries, noting what was asked. */
    private static final class Recording extends ForwardingDailyQueries {
        final List<DailyQuery> asked = new CopyOnWriteArrayList<>();
        final List<DailyQuery> activity = new CopyOnWriteArrayList<>();

        Recording(DailyQueries store) {
            super(store);
        }

        @Override
        public void dailyUsageCost(DailyQuery query, Consumer<? super DailyUsageCost> sink) {
            asked.add(query);
            super.dailyUsageCost(query, sink);
        }

        @Override
        public void dailyActivity(DailyQuery query, Consumer<? super DailyActivity> sink) {
            activity.add(query);
            super.dailyActivity(query, sink);
        }
    }
}
