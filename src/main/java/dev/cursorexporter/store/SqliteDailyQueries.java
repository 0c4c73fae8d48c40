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
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link DailyQueries} on the SQLite schema: each question reads the smallest rollup that answers it, and a question
 * summed over a range of e-mail rows reads the range's whole months from the monthly rollups (V11).
 */
final class SqliteDailyQueries implements DailyQueries {

    private static final String USAGE_SUMS = "SUM(t.requests), SUM(t.cost_ucents), SUM(t.input_tokens),"
            + " SUM(t.output_tokens), SUM(t.cache_read_tokens), SUM(t.cache_write_tokens)";
    private static final String USAGE_COLUMNS = "requests, cost_ucents, input_tokens, output_tokens,"
            + " cache_read_tokens, cache_write_tokens";
    private static final String ACTIVITY_COLUMNS = "total_lines_added, accepted_lines_added, total_tabs_shown,"
            + " total_tabs_accepted, chat_requests, composer_requests, agent_requests, cmdk_usages, bugbot_usages";
    private static final String MONTHLY_ACTIVITY_COLUMNS = "active_days AS active, lines_added AS total_lines_added,"
            + " accepted_lines_added, tabs_shown AS total_tabs_shown, tabs_accepted AS total_tabs_accepted,"
            + " chat_requests, composer_requests, agent_requests, cmdk_usages, bugbot_usages";

    /** A rollup and which of the question's dimensions it has. */
    private record Table(String name, boolean model, boolean billing, boolean actor, boolean group,
                         boolean account) {
    }

    private static final Table USAGE_ROLLUP = new Table("usage_rollup", true, true, true, false, true);
    private static final Table USAGE_USER = new Table("usage_user_daily", false, false, false, false, true);
    private static final Table USAGE_GROUP = new Table("usage_group_daily", true, true, true, true, true);
    private static final Table USAGE_GROUP_MODEL = new Table("usage_group_model_daily", true, false, false, true,
            true);
    private static final Table USAGE_TEAM = new Table("usage_team_daily", false, false, false, true, true);
    private static final Table USAGE_MODEL = new Table("usage_model_daily", true, false, false, false, true);
    private static final Table ACTIVITY = new Table("daily_usage", false, false, false, false, true);
    private static final Table ACTIVITY_GROUP = new Table("activity_group_daily", false, false, false, true, false);

    private final Database db;

    SqliteDailyQueries(Database db) {
        this.db = db;
    }

    @Override
    public void dailyUsageCost(DailyQuery q, Consumer<? super DailyUsageCost> sink) {
        // The smallest table that answers: per model (~365 x models rows a year), per team x location (x model, x
        // billing, x actor only when asked for), or per e-mail (x model x billing x actor when asked for) only when
        // e-mails are. The actor is kept only where the billing class is (V13), so it reads the same tables.
        boolean perBilling = q.byBilling() || q.byActor();
        boolean perModel = q.byModel() || perBilling || !q.models().isEmpty();
        Table table = q.byUser() || !q.users().isEmpty() ? (perModel ? USAGE_ROLLUP : USAGE_USER)
                : q.byGroup() ? (perBilling ? USAGE_GROUP : perModel ? USAGE_GROUP_MODEL : USAGE_TEAM)
                : perBilling ? USAGE_GROUP : USAGE_MODEL;
        Sql sql = new Sql(q, table);
        if (table == USAGE_USER && q.summed()) {
            sql.fromMonthsAndDays("usage_user_monthly", USAGE_COLUMNS, USAGE_COLUMNS, table.name());
        } else {
            sql.from(table.name());
        }
        sql.finish(USAGE_SUMS);
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.text())) {
                sql.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Sql.Row g = sql.row(rs);
                        int i = g.next();
                        sink.accept(new DailyUsageCost(g.day(), g.account(), g.email(), g.team(), g.location(),
                                g.model(), g.billing(), rs.getLong(i++), Micros.toDecimal(rs.getLong(i++)),
                                rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i), g.actor()));
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
        Sql sql = new Sql(q, perEmail ? ACTIVITY : ACTIVITY_GROUP);
        String sums;
        if (perEmail) {
            if (q.summed()) {
                sql.fromMonthsAndDays("activity_user_monthly", MONTHLY_ACTIVITY_COLUMNS,
                        "active, " + ACTIVITY_COLUMNS, ACTIVITY.name());
            } else {
                sql.from(ACTIVITY.name());
            }
            // Distinct e-mails, not SUM(active): the same person may be a member of two accounts. A monthly row's
            // "active" counts days, so any day of the range makes the e-mail active.
            sums = "COUNT(DISTINCT CASE WHEN t.active > 0 THEN t.email END), SUM(t.total_lines_added),"
                    + " SUM(t.accepted_lines_added), SUM(t.total_tabs_shown), SUM(t.total_tabs_accepted),"
                    + " SUM(t.chat_requests), SUM(t.composer_requests), SUM(t.agent_requests), SUM(t.cmdk_usages),"
                    + " SUM(t.bugbot_usages)";
        } else {
            // Every e-mail has one team and location, so the groups' distinct counts add up to the day's.
            sql.from(ACTIVITY_GROUP.name());
            sums = "SUM(t.active_users), SUM(t.lines_added), SUM(t.accepted_lines_added), SUM(t.tabs_shown),"
                    + " SUM(t.tabs_accepted), SUM(t.chat_requests), SUM(t.composer_requests), SUM(t.agent_requests),"
                    + " SUM(t.cmdk_usages), SUM(t.bugbot_usages)";
        }
        sql.finish(sums);
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.text())) {
                sql.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Sql.Row g = sql.row(rs);
                        int i = g.next();
                        sink.accept(new DailyActivity(g.day(), g.account(), g.email(), g.team(), g.location(),
                                rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++),
                                rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i++), rs.getLong(i)));
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

    /**
     * The text and parameters of one question over a table aliased {@code t}, written in order: the grouped
     * columns, the source, the filters, the grouping.
     */
    private static final class Sql {
        private final DailyQuery q;
        private final Table table;
        private final StringBuilder text = new StringBuilder("SELECT ");
        private final List<Object> params = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();
        /** Whether the range and accounts are filtered inside the source (months and days) rather than outside. */
        private boolean filteredSource;
        /** Whether the row says if it sums e-mails without a stored team and location. */
        private final boolean flagsUnassigned;
        /** Where the sums go: after the grouped columns, before the source. */
        private final int sumsAt;

        Sql(DailyQuery q, Table table) {
            this.q = q;
            this.table = table;
            if (!q.summed()) {
                groups.add("t.day");
            }
            if (q.byAccount()) {
                groups.add("a.name");
            }
            if (q.byUser()) {
                groups.add("t.email");
            }
            if (table.group() && q.byTeam()) {
                groups.add("t.team");
            }
            if (table.group() && q.byLocation()) {
                groups.add("t.location");
            }
            if (table.model() && q.byModel()) {
                groups.add("t.model");
            }
            if (table.billing() && q.byBilling()) {
                groups.add("t.billing");
            }
            if (table.actor() && q.byActor()) {
                groups.add("t.actor");
            }
            text.append(q.summed() ? "MIN(t.day)" : "t.day");
            for (String g : groups.subList(q.summed() ? 0 : 1, groups.size())) {
                text.append(", ").append(g);
            }
            this.flagsUnassigned = table.group() && q.byGroup();
            if (flagsUnassigned) {
                // Rows of e-mails not assigned yet are their own group, or, when neither team nor location is
                // grouped by, are summed into others: flagged either way so the caller can ask per e-mail.
                text.append(", MAX(t.team = '' AND t.location = '')");
            }
            text.append(", ");
            sumsAt = text.length();
        }

        void from(String name) {
            text.append(" FROM ").append(name).append(" t");
        }

        /**
         * The range's whole months from {@code monthly}, its other days from {@code daily}; both keyed by account,
         * day (month) and e-mail.
         */
        void fromMonthsAndDays(String monthly, String monthlyColumns, String dailyColumns, String daily) {
            LocalDate firstMonth = q.from().getDayOfMonth() == 1 ? q.from()
                    : q.from().withDayOfMonth(1).plusMonths(1);
            LocalDate afterMonths = q.to().plusDays(1).withDayOfMonth(1);
            if (!firstMonth.isBefore(afterMonths)) {
                from(daily);
                return;
            }
            filteredSource = true;
            text.append(" FROM (SELECT account_id, month AS day, email, ").append(monthlyColumns)
                    .append(" FROM ").append(monthly).append(" WHERE ");
            accountsAndRange("month", firstMonth, afterMonths.minusMonths(1));
            for (LocalDate[] days : List.of(new LocalDate[] {q.from(), firstMonth.minusDays(1)},
                    new LocalDate[] {afterMonths, q.to()})) {
                if (!days[0].isAfter(days[1])) {
                    text.append(" UNION ALL SELECT account_id, day, email, ").append(dailyColumns).append(" FROM ")
                            .append(daily).append(" WHERE ");
                    accountsAndRange("day", days[0], days[1]);
                }
            }
            text.append(") t");
        }

        /**
         * The accounts' rows in the range: through the key (account, day, ...) rather than a scan of every day,
         * which a condition on the day alone would be.
         */
        private void accountsAndRange(String dayColumn, LocalDate from, LocalDate to) {
            text.append("account_id IN (SELECT id FROM account");
            if (!q.accounts().isEmpty()) {
                text.append(" WHERE");
                in("name", q.accounts());
            }
            text.append(") AND ").append(dayColumn).append(" BETWEEN ? AND ?");
            params.add(from.toEpochDay());
            params.add(to.toEpochDay());
        }

        /** Ends the text: {@code sums} after the grouped columns, then the filters and the grouping. */
        void finish(String sums) {
            text.insert(sumsAt, sums);
            if (q.byAccount()) {
                text.append(" JOIN account a ON a.id = t.account_id");
            }
            text.append(" WHERE ");
            if (filteredSource) {
                text.append("true");
            } else if (table.account()) {
                text.append("t.");
                accountsAndRange("t.day", q.from(), q.to());
            } else {
                text.append("t.day BETWEEN ? AND ?");
                params.add(q.from().toEpochDay());
                params.add(q.to().toEpochDay());
            }
            if (!q.users().isEmpty()) {
                text.append(" AND");
                in("t.email", q.users());
            }
            if (table.model() && !q.models().isEmpty()) {
                text.append(" AND");
                in("t.model", q.models());
            }
            if (table.group()) {
                groupFilter("t.team", q.teams());
                groupFilter("t.location", q.locations());
            }
            // Summed with no group: one row, none when nothing matched (an aggregate alone always gives a row).
            text.append(groups.isEmpty() ? " HAVING COUNT(*) > 0"
                    : " GROUP BY " + String.join(", ", groups) + " ORDER BY " + String.join(", ", groups));
        }

        /** Rows of unassigned e-mails pass, so that the flag in the answer says they were there. */
        private void groupFilter(String column, Set<String> values) {
            if (!values.isEmpty()) {
                text.append(" AND (");
                in(column, values);
                text.append(" OR (t.team = '' AND t.location = ''))");
            }
        }

        private void in(String column, Collection<String> values) {
            text.append(' ').append(column).append(" IN (")
                    .append(String.join(", ", Collections.nCopies(values.size(), "?"))).append(')');
            params.addAll(values.stream().sorted().toList());
        }

        String text() {
            return text.toString();
        }

        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
        }

        /** The day and grouped columns of the current row; {@link Row#next()} is the first sum's column. */
        Row row(ResultSet rs) throws SQLException {
            int i = 1;
            LocalDate day = q.summed() ? q.from() : LocalDate.ofEpochDay(rs.getLong(i));
            i++;
            String account = q.byAccount() ? rs.getString(i++) : null;
            String email = q.byUser() ? rs.getString(i++) : null;
            String team = table.group() && q.byTeam() ? rs.getString(i++) : null;
            String location = table.group() && q.byLocation() ? rs.getString(i++) : null;
            String model = table.model() && q.byModel() ? rs.getString(i++) : null;
            String billing = table.billing() && q.byBilling() ? rs.getString(i++) : null;
            String actor = table.actor() && q.byActor() ? rs.getString(i++) : null;
            if (flagsUnassigned && rs.getBoolean(i++)) {
                team = UNASSIGNED;
                location = UNASSIGNED;
            }
            return new Row(day, account, email, team, location, model, billing, actor, i);
        }

        record Row(LocalDate day, String account, String email, String team, String location, String model,
                   String billing, String actor, int next) {
        }
    }
}
