package dev.cursorexporter.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/** {@link DailyQueries} on the SQLite schema: per-day scans of the rollup and of {@code daily_usage}. */
final class SqliteDailyQueries implements DailyQueries {

    private final SqliteDatabase db;

    SqliteDailyQueries(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void dailyUsageCost(DailyQuery q, Consumer<? super DailyUsageCost> sink) {
        // The smallest table that answers: per model (~365 x models rows a year), per team x location (x model x
        // billing when asked for), or per e-mail (x model x billing when asked for) only when e-mails are.
        boolean perModel = q.byModel() || q.byBilling() || !q.models().isEmpty();
        String table = q.byUser() || !q.users().isEmpty() ? (perModel ? "usage_rollup" : "usage_user_daily")
                : q.byGroup() ? (perModel ? "usage_group_daily" : "usage_team_daily")
                : q.byBilling() ? "usage_group_daily" : "usage_model_daily";
        Sql sql = new Sql(q, "r", !table.equals("usage_user_daily") && !table.equals("usage_team_daily"));
        String text = "SELECT " + sql.day + ", " + sql.groupColumns + " SUM(r.requests), SUM(r.cost_ucents),"
                + " SUM(r.input_tokens), SUM(r.output_tokens), SUM(r.cache_read_tokens), SUM(r.cache_write_tokens)"
                + " FROM " + table + " r" + sql.accountJoin
                + sql.where + sql.groupBy;
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(text)) {
                sql.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int i = 1;
                        LocalDate day = q.summed() ? q.from() : LocalDate.ofEpochDay(rs.getLong(i));
                        i++;
                        String account = q.byAccount() ? rs.getString(i++) : null;
                        String email = q.byUser() ? rs.getString(i++) : null;
                        String team = q.byGroup() ? rs.getString(i++) : null;
                        String location = q.byGroup() ? rs.getString(i++) : null;
                        String model = q.byModel() ? rs.getString(i++) : null;
                        String billing = q.byBilling() ? rs.getString(i++) : null;
                        sink.accept(new DailyUsageCost(day, account, email, team, location, model, billing,
                                rs.getLong(i++), Micros.toDecimal(rs.getLong(i++)), rs.getLong(i++), rs.getLong(i++),
                                rs.getLong(i++), rs.getLong(i)));
                    }
                }
                return null;
            }
        });
    }

    @Override
    public void dailyActivity(DailyQuery q, Consumer<? super DailyActivity> sink) {
        // The group rollup's distinct counts add up over the groups of a day, not over days or accounts.
        boolean perEmail = q.byUser() || !q.users().isEmpty() || q.byAccount() || !q.accounts().isEmpty()
                || q.summed();
        if (q.byGroup() && perEmail) {
            throw new IllegalArgumentException("activity by team and location is per day and spans accounts");
        }
        String text;
        Sql sql;
        if (perEmail) {
            sql = new Sql(q, "d", false);
            // Distinct e-mails, not SUM(active): the same person may be a member of two accounts.
            text = "SELECT " + sql.day + ", " + sql.groupColumns
                    + " COUNT(DISTINCT CASE WHEN d.active = 1 THEN d.email END), SUM(d.total_lines_added),"
                    + " SUM(d.accepted_lines_added), SUM(d.total_tabs_shown), SUM(d.total_tabs_accepted),"
                    + " SUM(d.chat_requests), SUM(d.composer_requests), SUM(d.agent_requests), SUM(d.cmdk_usages),"
                    + " SUM(d.bugbot_usages)"
                    + " FROM daily_usage d" + sql.accountJoin
                    + sql.where + sql.groupBy;
        } else {
            // Every e-mail has one team and location, so the groups' distinct counts add up to the day's.
            sql = new Sql(q, "g", false);
            text = "SELECT " + sql.day + ", " + sql.groupColumns + " SUM(g.active_users), SUM(g.lines_added),"
                    + " SUM(g.accepted_lines_added), SUM(g.tabs_shown), SUM(g.tabs_accepted), SUM(g.chat_requests),"
                    + " SUM(g.composer_requests), SUM(g.agent_requests), SUM(g.cmdk_usages), SUM(g.bugbot_usages)"
                    + " FROM activity_group_daily g" + sql.where + sql.groupBy;
        }
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(text)) {
                sql.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int i = 1;
                        LocalDate day = q.summed() ? q.from() : LocalDate.ofEpochDay(rs.getLong(i));
                        i++;
                        String account = q.byAccount() ? rs.getString(i++) : null;
                        String email = q.byUser() ? rs.getString(i++) : null;
                        String team = q.byGroup() ? rs.getString(i++) : null;
                        String location = q.byGroup() ? rs.getString(i++) : null;
                        sink.accept(new DailyActivity(day, account, email, team, location, rs.getLong(i++),
                                rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
                                rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i)));
                    }
                }
                return null;
            }
        });
    }

    @Override
    public List<SpendSnapshot> spendSnapshots(String account, LocalDate from, LocalDate to) {
        Objects.requireNonNull(account, "account");
        SqliteStore.checkRange(from, to);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT day, email, user_id, cycle_start, cycle_spend_ucents, on_demand_ucents, limit_udollars,
                           fetched_at
                    FROM spend_daily WHERE account_id = %s AND day BETWEEN ? AND ?
                    ORDER BY day, email""".formatted(SqliteStore.ACCOUNT))) {
                ps.setString(1, account);
                ps.setLong(2, from.toEpochDay());
                ps.setLong(3, to.toEpochDay());
                List<SpendSnapshot> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long limit = rs.getLong(7);
                        boolean noLimit = rs.wasNull();
                        String cycleStart = rs.getString(4);
                        out.add(new SpendSnapshot(LocalDate.ofEpochDay(rs.getLong(1)), rs.getString(2),
                                rs.getString(3), cycleStart == null ? null : Instant.parse(cycleStart),
                                Micros.toDecimal(rs.getLong(5)), Micros.toDecimal(rs.getLong(6)),
                                noLimit ? null : Micros.toDecimal(limit), Instant.parse(rs.getString(8))));
                    }
                }
                return List.copyOf(out);
            }
        });
    }

    @Override
    public Map<String, LocalDate> lastActiveDays(String account) {
        Objects.requireNonNull(account, "account");
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT email, MAX(day) FROM daily_usage"
                    + " WHERE account_id = " + SqliteStore.ACCOUNT + " AND active = 1 GROUP BY email")) {
                ps.setString(1, account);
                Map<String, LocalDate> out = new TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), LocalDate.ofEpochDay(rs.getLong(2)));
                    }
                }
                return Collections.unmodifiableMap(out);
            }
        });
    }

    /** WHERE / GROUP BY text and its parameters for one query over a table aliased {@code t}. */
    private static final class Sql {
        /** The day column, or (summed over the range) an aggregate the reader ignores. */
        final String day;
        final String groupColumns;
        /** The join to {@code account} (aliased {@code a}) when names are asked for or filtered on. */
        final String accountJoin;
        final String where;
        final String groupBy;
        private final List<Object> params = new ArrayList<>();

        Sql(DailyQuery q, String t, boolean hasModel) {
            StringBuilder cols = new StringBuilder();
            StringBuilder group = new StringBuilder(q.summed() ? "" : ", " + t + ".day");
            if (q.byAccount()) {
                cols.append("a.name, ");
                group.append(", a.name");
            }
            if (q.byUser()) {
                cols.append(t).append(".email, ");
                group.append(", ").append(t).append(".email");
            }
            if (q.byGroup()) {
                cols.append(t).append(".team, ").append(t).append(".location, ");
                group.append(", ").append(t).append(".team, ").append(t).append(".location");
            }
            if (hasModel && q.byModel()) {
                cols.append(t).append(".model, ");
                group.append(", ").append(t).append(".model");
            }
            if (hasModel && q.byBilling()) {
                cols.append(t).append(".billing, ");
                group.append(", ").append(t).append(".billing");
            }
            StringBuilder w = new StringBuilder(" WHERE " + t + ".day BETWEEN ? AND ?");
            params.add(q.from().toEpochDay());
            params.add(q.to().toEpochDay());
            in(w, "a.name", q.accounts());
            in(w, t + ".email", q.users());
            if (hasModel) {
                in(w, t + ".model", q.models());
            }
            this.day = q.summed() ? "MIN(" + t + ".day)" : t + ".day";
            this.groupColumns = cols.toString();
            this.accountJoin = q.byAccount() || !q.accounts().isEmpty()
                    ? " JOIN account a ON a.id = " + t + ".account_id" : "";
            this.where = w.toString();
            // Summed with no group: one row, none when nothing matched (an aggregate alone always gives a row).
            this.groupBy = group.isEmpty() ? " HAVING COUNT(*) > 0"
                    : " GROUP BY" + group.substring(1) + " ORDER BY" + group.substring(1);
        }

        private void in(StringBuilder where, String column, Collection<String> values) {
            if (values.isEmpty()) {
                return;
            }
            where.append(" AND ").append(column).append(" IN (")
                    .append(String.join(", ", Collections.nCopies(values.size(), "?"))).append(')');
            params.addAll(values.stream().sorted().toList());
        }

        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
        }
    }
}
