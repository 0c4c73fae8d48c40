package dev.cursorexporter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.TreeSet;

/**
 * The per-month, per-e-mail rollups ({@code usage_user_monthly}, {@code activity_user_monthly}, V11): whole months
 * of a range summed in advance, so a question summed over a year reads ~12 rows per member. Like the daily
 * rollups they are a pure function of the per-day tables: a month is recomputed whole whenever one of its days
 * changes. Every method runs inside the caller's write transaction.
 */
final class SqliteMonthlyRollups {

    private static final String USAGE_MONTH = """
            INSERT INTO usage_user_monthly (account_id, month, email, requests, cost_ucents, input_tokens,
                                            output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, ?2, email, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens),
                   SUM(cache_read_tokens), SUM(cache_write_tokens)
            FROM usage_user_daily WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3
            GROUP BY account_id, email""";

    private static final String ACTIVITY_MONTH = """
            INSERT INTO activity_user_monthly (account_id, month, email, active_days, lines_added,
                                               accepted_lines_added, tabs_shown, tabs_accepted, chat_requests,
                                               composer_requests, agent_requests, cmdk_usages, bugbot_usages)
            SELECT account_id, ?2, email, SUM(active), SUM(total_lines_added), SUM(accepted_lines_added),
                   SUM(total_tabs_shown), SUM(total_tabs_accepted), SUM(chat_requests), SUM(composer_requests),
                   SUM(agent_requests), SUM(cmdk_usages), SUM(bugbot_usages)
            FROM daily_usage WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3
            GROUP BY account_id, email""";

    private SqliteMonthlyRollups() {
    }

    /** The epoch day of the first day of the month of {@code epochDay}. */
    static long monthOf(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).withDayOfMonth(1).toEpochDay();
    }

    /** Recomputes the months of {@code days} (epoch days) of {@code usage_user_monthly} for one account. */
    static void usageMonths(Connection c, long account, Iterable<Long> days) throws SQLException {
        recompute(c, "usage_user_monthly", USAGE_MONTH, account, days);
    }

    /** Recomputes the months of {@code days} (epoch days) of {@code activity_user_monthly} for one account. */
    static void activityMonths(Connection c, long account, Iterable<Long> days) throws SQLException {
        recompute(c, "activity_user_monthly", ACTIVITY_MONTH, account, days);
    }

    private static void recompute(Connection c, String table, String fill, long account, Iterable<Long> days)
            throws SQLException {
        TreeSet<Long> months = new TreeSet<>();
        days.forEach(d -> months.add(monthOf(d)));
        if (months.isEmpty()) {
            return;
        }
        try (PreparedStatement clear = c.prepareStatement("DELETE FROM " + table
                + " WHERE account_id = ? AND month = ?");
             PreparedStatement insert = c.prepareStatement(fill)) {
            for (long month : months) {
                clear.setLong(1, account);
                clear.setLong(2, month);
                clear.executeUpdate();
                insert.setLong(1, account);
                insert.setLong(2, month);
                insert.setLong(3, LocalDate.ofEpochDay(month).plusMonths(1).toEpochDay() - 1);
                insert.executeUpdate();
            }
        }
    }
}
