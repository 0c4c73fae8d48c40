package dev.cursorexporter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The stored directory assignment and the per-group rollups built on it ({@code usage_group_daily},
 * {@code usage_team_daily}, {@code activity_group_daily}, V10; {@code usage_group_model_daily}, V11). The rollups
 * are a pure function of the per-e-mail tables and {@code directory_assignment}: a day is recomputed whole whenever
 * its per-e-mail rows change (the event-window commit, the daily-usage save) and whenever an e-mail with rows on it
 * changes team or location. Every method runs inside the caller's write transaction.
 */
final class SqliteGroupRollups {

    private static final String UNASSIGNED = DailyQueries.UNASSIGNED;

    private static final String USAGE_DAY = """
            INSERT INTO usage_group_daily (account_id, day, team, location, model, billing, actor, requests,
                                           cost_ucents, input_tokens, output_tokens, cache_read_tokens,
                                           cache_write_tokens)
            SELECT r.account_id, r.day, COALESCE(g.team, ''), COALESCE(g.location, ''), r.model, r.billing, r.actor,
                   SUM(r.requests), SUM(r.cost_ucents), SUM(r.input_tokens), SUM(r.output_tokens),
                   SUM(r.cache_read_tokens), SUM(r.cache_write_tokens)
            FROM usage_rollup r LEFT JOIN directory_assignment g ON g.email = r.email
            WHERE r.account_id = ? AND r.day = ?
            GROUP BY r.account_id, r.day, 3, 4, r.model, r.billing, r.actor""";

    private static final String TEAM_DAY = """
            INSERT INTO usage_team_daily (account_id, day, team, location, requests, cost_ucents, input_tokens,
                                          output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, team, location, SUM(requests), SUM(cost_ucents), SUM(input_tokens),
                   SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens)
            FROM usage_group_daily WHERE account_id = ? AND day = ?
            GROUP BY account_id, day, team, location""";

    private static final String MODEL_DAY = """
            INSERT INTO usage_group_model_daily (account_id, day, team, model, location, requests, cost_ucents,
                                                 input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, team, model, location, SUM(requests), SUM(cost_ucents), SUM(input_tokens),
                   SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens)
            FROM usage_group_daily WHERE account_id = ? AND day = ?
            GROUP BY account_id, day, team, model, location""";

    /** Every account's rows of the day, found through the key (account, day, e-mail) rather than a scan. */
    private static final String ACTIVITY_DAY = """
            INSERT INTO activity_group_daily (day, team, location, active_users, lines_added, accepted_lines_added,
                                              tabs_shown, tabs_accepted, chat_requests, composer_requests,
                                              agent_requests, cmdk_usages, bugbot_usages)
            SELECT d.day, COALESCE(g.team, ''), COALESCE(g.location, ''),
                   COUNT(DISTINCT CASE WHEN d.active = 1 THEN d.email END), SUM(d.total_lines_added),
                   SUM(d.accepted_lines_added), SUM(d.total_tabs_shown), SUM(d.total_tabs_accepted),
                   SUM(d.chat_requests), SUM(d.composer_requests), SUM(d.agent_requests), SUM(d.cmdk_usages),
                   SUM(d.bugbot_usages)
            FROM daily_usage d LEFT JOIN directory_assignment g ON g.email = d.email
            WHERE d.account_id IN (SELECT id FROM account) AND d.day = ?1
            GROUP BY 1, 2, 3""";

    private SqliteGroupRollups() {
    }

    /**
     * The statements that recompute one account's day of {@code usage_group_daily} from {@code usage_rollup}, and
     * of {@code usage_team_daily} and {@code usage_group_model_daily} from that; prepared once per transaction.
     */
    static final class UsageDay implements AutoCloseable {
        private final List<PreparedStatement> statements = new ArrayList<>();

        UsageDay(Connection c) throws SQLException {
            try {
                statements.add(c.prepareStatement("DELETE FROM usage_group_daily WHERE account_id = ? AND day = ?"));
                statements.add(c.prepareStatement(USAGE_DAY));
                statements.add(c.prepareStatement("DELETE FROM usage_team_daily WHERE account_id = ? AND day = ?"));
                statements.add(c.prepareStatement(TEAM_DAY));
                statements.add(c.prepareStatement(
                        "DELETE FROM usage_group_model_daily WHERE account_id = ? AND day = ?"));
                statements.add(c.prepareStatement(MODEL_DAY));
            } catch (SQLException e) {
                close();
                throw e;
            }
        }

        void recompute(long account, long day) throws SQLException {
            for (PreparedStatement s : statements) {
                s.setLong(1, account);
                s.setLong(2, day);
                s.executeUpdate();
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement s : statements) {
                s.close();
            }
        }
    }

    /** Recomputes {@code days} (epoch days) of {@code activity_group_daily} from every account's daily usage. */
    static void activityDays(Connection c, Iterable<Long> days) throws SQLException {
        try (PreparedStatement clear = c.prepareStatement("DELETE FROM activity_group_daily WHERE day = ?");
             PreparedStatement fill = c.prepareStatement(ACTIVITY_DAY)) {
            for (long day : days) {
                clear.setLong(1, day);
                clear.executeUpdate();
                fill.setLong(1, day);
                fill.executeUpdate();
            }
        }
    }

    /** What one {@link #assign} changed. */
    record Change(int emails, int usageDays, int activityDays, long version) {
    }

    /**
     * Stores {@code assignment} of every e-mail with usage or activity where it differs from the stored one, then
     * regroups the days those e-mails have rows on, and counts a new version when anything changed.
     */
    static Change assign(Connection c, Function<String, GroupAssignment> assignment) throws SQLException {
        Map<String, GroupAssignment> stored = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, team, location FROM directory_assignment")) {
            while (rs.next()) {
                stored.put(rs.getString(1), new GroupAssignment(rs.getString(2), rs.getString(3)));
            }
        }
        List<String> emails = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email FROM usage_totals UNION SELECT email FROM activity_totals")) {
            while (rs.next()) {
                emails.add(rs.getString(1));
            }
        }
        List<String> changed = new ArrayList<>();
        try (PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO directory_assignment (email, team, "
                + "location) VALUES (?, ?, ?)")) {
            for (String email : emails) {
                GroupAssignment now = Objects.requireNonNull(assignment.apply(email), "assignment of " + email);
                if (!now.equals(stored.get(email))) {
                    put.setString(1, email);
                    put.setString(2, now.team());
                    put.setString(3, now.location());
                    put.addBatch();
                    changed.add(email);
                }
            }
            put.executeBatch();
        }
        if (changed.isEmpty()) {
            return new Change(0, 0, 0, version(c));
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS regroup_email (email TEXT PRIMARY KEY) WITHOUT ROWID");
            s.execute("DELETE FROM temp.regroup_email");
        }
        try (PreparedStatement put = c.prepareStatement("INSERT INTO temp.regroup_email (email) VALUES (?)")) {
            for (String email : changed) {
                put.setString(1, email);
                put.addBatch();
            }
            put.executeBatch();
        }
        // The (account, day)s where a changed e-mail has usage: a key lookup per day and changed e-mail (CROSS JOIN
        // keeps the e-mails outside), not a scan of the day's rows.
        List<long[]> usageDays = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT m.account_id, m.day FROM (SELECT DISTINCT account_id, day FROM usage_model_daily) m
                     WHERE EXISTS (SELECT 1 FROM temp.regroup_email e CROSS JOIN usage_rollup r
                                   ON r.account_id = m.account_id AND r.day = m.day AND r.email = e.email)""")) {
            while (rs.next()) {
                usageDays.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        TreeSet<Long> activityDays = new TreeSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT day FROM daily_usage"
                     + " WHERE email IN (SELECT email FROM temp.regroup_email)")) {
            while (rs.next()) {
                activityDays.add(rs.getLong(1));
            }
        }
        try (UsageDay recompute = new UsageDay(c)) {
            for (long[] d : usageDays) {
                recompute.recompute(d[0], d[1]);
            }
        }
        activityDays(c, activityDays);
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM temp.regroup_email");
        }
        try (PreparedStatement bump = c.prepareStatement(
                "UPDATE directory_version SET version = version + 1, changed_at = ? WHERE id = 1")) {
            bump.setString(1, Instant.now().toString());
            bump.executeUpdate();
        }
        return new Change(changed.size(), usageDays.size(), activityDays.size(), version(c));
    }

    static long version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM directory_version WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Whether {@code team} and {@code location} are those of group rows of e-mails not yet assigned. */
    static boolean unassigned(String team, String location) {
        return UNASSIGNED.equals(team) && UNASSIGNED.equals(location);
    }
}
