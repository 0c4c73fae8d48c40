package dev.cursorexporter.store;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AuditEvent;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.Source;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import static dev.cursorexporter.store.SqliteStore.ACCOUNT;
import static dev.cursorexporter.store.SqliteStore.accountId;
import static dev.cursorexporter.store.SqliteStore.email;
import static dev.cursorexporter.store.SqliteStore.markCovered;

/** The Enterprise part of {@link SqliteStore} (schema in {@code V3__enterprise.sql}); one transaction per write. */
final class SqliteEnterprise implements EnterpriseStore {
    private final Database db;

    SqliteEnterprise(Database db) {
        this.db = db;
    }

    @Override
    public void saveAvailability(String account, Source source, SourceAvailability a) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(a, "availability");
        db.write(c -> {
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT INTO source_availability (account_id, source, available, checked_at, reason)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, source) DO UPDATE SET available = excluded.available,
                        checked_at = excluded.checked_at, reason = excluded.reason""")) {
                up.setLong(1, accountId(c, account));
                up.setString(2, source.label());
                up.setInt(3, a.available() ? 1 : 0);
                up.setString(4, a.checkedAt().toString());
                up.setString(5, a.reason());
                up.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<Source, SourceAvailability> availability(String account) {
        return db.read(c -> {
            Map<Source, SourceAvailability> out = new EnumMap<>(Source.class);
            try (PreparedStatement q = c.prepareStatement("SELECT source, available, checked_at, reason"
                    + " FROM source_availability WHERE account_id = " + ACCOUNT)) {
                q.setString(1, account);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        for (Source s : Source.values()) {
                            if (s.label().equals(rs.getString(1))) {
                                out.put(s, new SourceAvailability(rs.getInt(2) != 0, Instant.parse(rs.getString(3)),
                                        rs.getString(4)));
                            }
                        }
                    }
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    @Override
    public void saveBillingGroups(String account, BillingGroups groups, Instant fetchedAt) {
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        db.write(c -> {
            long acc = accountId(c, account);
            for (String table : List.of("billing_group", "billing_group_member")) {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE account_id = ?")) {
                    del.setLong(1, acc);
                    del.executeUpdate();
                }
            }
            try (PreparedStatement g = c.prepareStatement("INSERT OR REPLACE INTO billing_group"
                    + " (account_id, group_id, name, unassigned, spend_ucents) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement m = c.prepareStatement("INSERT OR REPLACE INTO billing_group_member"
                         + " (account_id, email, user_id, group_id, spend_ucents) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement d = c.prepareStatement("INSERT OR REPLACE INTO billing_group_daily"
                         + " (account_id, group_id, day, spend_ucents) VALUES (?, ?, ?, ?)")) {
                for (BillingGroups.Group group : groups.groups()) {
                    g.setLong(1, acc);
                    g.setString(2, group.id());
                    g.setString(3, group.name());
                    g.setInt(4, group.unassigned() ? 1 : 0);
                    g.setLong(5, Micros.of(group.spendCents()));
                    g.addBatch();
                    for (BillingGroups.GroupMember member : group.members()) {
                        m.setLong(1, acc);
                        m.setString(2, email(member.email()));
                        m.setString(3, member.userId());
                        m.setString(4, group.id());
                        m.setLong(5, Micros.of(member.spendCents()));
                        m.addBatch();
                    }
                    for (BillingGroups.DailySpend day : group.dailySpend()) {
                        d.setLong(1, acc);
                        d.setString(2, group.id());
                        d.setLong(3, day.day().toEpochDay());
                        d.setLong(4, Micros.of(day.spendCents()));
                        d.addBatch();
                    }
                }
                g.executeBatch();
                m.executeBatch();
                d.executeBatch();
            }
            try (PreparedStatement cyc = c.prepareStatement("""
                    INSERT INTO billing_cycle (account_id, cycle_start, cycle_end, fetched_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (account_id) DO UPDATE SET cycle_start = excluded.cycle_start,
                        cycle_end = excluded.cycle_end, fetched_at = excluded.fetched_at""")) {
                cyc.setLong(1, acc);
                cyc.setString(2, text(groups.cycleStart()));
                cyc.setString(3, text(groups.cycleEnd()));
                cyc.setString(4, fetchedAt.toString());
                cyc.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<StoredBillingGroup> billingGroups(String account) {
        return query("""
                SELECT g.group_id, g.name, g.unassigned, g.spend_ucents,
                       (SELECT COUNT(*) FROM billing_group_member m
                        WHERE m.account_id = g.account_id AND m.group_id = g.group_id)
                FROM billing_group g WHERE g.account_id = %s ORDER BY g.name""".formatted(ACCOUNT), account,
                rs -> new StoredBillingGroup(rs.getString(1), rs.getString(2), rs.getInt(3) != 0,
                        Micros.toDecimal(rs.getLong(4)), rs.getInt(5)));
    }

    @Override
    public Optional<Instant> billingCycleEnd(String account) {
        List<Optional<Instant>> found = query("SELECT cycle_end FROM billing_cycle WHERE account_id = " + ACCOUNT,
                account, rs -> Optional.ofNullable(rs.getString(1)).map(Instant::parse));
        return found.isEmpty() ? Optional.empty() : found.get(0);
    }

    @Override
    public Map<String, String> billingGroupOfMember(String account) {
        Map<String, String> out = new TreeMap<>();
        query("""
                SELECT m.email, g.name FROM billing_group_member m
                JOIN billing_group g ON g.account_id = m.account_id AND g.group_id = m.group_id
                WHERE m.account_id = %s AND g.unassigned = 0""".formatted(ACCOUNT), account,
                rs -> out.put(rs.getString(1), rs.getString(2)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void saveAnalytics(String account, AnalyticsMetric metric, List<AnalyticsPoint> points, LocalDate from,
                       LocalDate to, boolean markCovered, String url, String etag) {
        Objects.requireNonNull(metric, "metric");
        SqliteStore.checkRange(from, to);
        List<AnalyticsPoint> list = List.copyOf(points);
        db.write(c -> {
            long acc = accountId(c, account);
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT INTO analytics_daily (account_id, metric, day, dimension, field, value)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, metric, day, dimension, field) DO UPDATE SET
                        value = MAX(value, excluded.value)""")) {
                for (AnalyticsPoint p : list) {
                    up.setLong(1, acc);
                    up.setString(2, metric.path());
                    up.setLong(3, p.day().toEpochDay());
                    up.setString(4, p.dimension());
                    up.setString(5, p.field());
                    up.setLong(6, p.value());
                    up.addBatch();
                }
                up.executeBatch();
            }
            if (url != null && etag != null) {
                try (PreparedStatement e = c.prepareStatement(
                        "INSERT OR REPLACE INTO http_etag (account_id, url, etag) VALUES (?, ?, ?)")) {
                    e.setLong(1, acc);
                    e.setString(2, url);
                    e.setString(3, etag);
                    e.executeUpdate();
                }
            }
            if (markCovered) {
                markCovered(c, acc, Source.ANALYTICS, from, to);
            }
            return null;
        });
    }

    @Override
    public Optional<String> etag(String account, String url) {
        Objects.requireNonNull(url, "url");
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT etag FROM http_etag WHERE account_id = " + ACCOUNT + " AND url = ?")) {
                q.setString(1, account);
                q.setString(2, url);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<AnalyticsTotal> analyticsTotals(String account, AnalyticsMetric metric) {
        return query("""
                SELECT dimension, field, SUM(value) FROM analytics_daily
                WHERE account_id = %s AND metric = '%s' GROUP BY dimension, field
                ORDER BY dimension, field""".formatted(ACCOUNT, metric.path()), account,
                rs -> new AnalyticsTotal(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    @Override
    public Optional<LocalDate> newestAnalyticsDay(String account, AnalyticsMetric metric) {
        List<Optional<LocalDate>> found = query("SELECT MAX(day) FROM analytics_daily WHERE account_id = " + ACCOUNT
                + " AND metric = '" + metric.path() + "'", account, rs -> {
                    long day = rs.getLong(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(day));
                });
        return found.get(0);
    }

    @Override
    public List<AnalyticsPoint> analyticsDay(String account, AnalyticsMetric metric, LocalDate day) {
        Objects.requireNonNull(day, "day");
        return query("SELECT dimension, field, value FROM analytics_daily WHERE account_id = " + ACCOUNT
                        + " AND metric = '" + metric.path() + "' AND day = " + day.toEpochDay()
                        + " ORDER BY dimension, field", account,
                rs -> new AnalyticsPoint(day, rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    @Override
    public void saveAiCodeCommits(String account, List<AiCodeCommit> commits, LocalDate from, LocalDate to,
                           boolean markCovered) {
        SqliteStore.checkRange(from, to);
        List<AiCodeCommit> list = List.copyOf(commits);
        db.write(c -> {
            long acc = accountId(c, account);
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT OR REPLACE INTO ai_code_commit (account_id, commit_hash, day, email, user_id, repo, branch,
                        primary_branch, commit_source, total_lines_added, total_lines_deleted, tab_lines_added,
                        tab_lines_deleted, composer_lines_added, composer_lines_deleted, non_ai_lines_added,
                        non_ai_lines_deleted, commit_ts, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (AiCodeCommit k : list) {
                    Instant time = k.time();
                    long day = time == null ? from.toEpochDay() : SqliteStore.utcDay(time);
                    int i = 1;
                    up.setLong(i++, acc);
                    up.setString(i++, k.commitHash());
                    up.setLong(i++, day);
                    up.setString(i++, email(k.email()));
                    up.setString(i++, k.userId());
                    up.setString(i++, k.repo());
                    up.setString(i++, k.branch());
                    if (k.primaryBranch() == null) {
                        up.setNull(i++, Types.INTEGER);
                    } else {
                        up.setInt(i++, k.primaryBranch() ? 1 : 0);
                    }
                    up.setString(i++, k.commitSource());
                    for (long v : new long[] {k.totalLinesAdded(), k.totalLinesDeleted(), k.tabLinesAdded(),
                            k.tabLinesDeleted(), k.composerLinesAdded(), k.composerLinesDeleted(),
                            k.nonAiLinesAdded(), k.nonAiLinesDeleted()}) {
                        up.setLong(i++, v);
                    }
                    up.setString(i++, text(k.commitTs()));
                    up.setString(i, text(k.createdAt()));
                    up.addBatch();
                }
                up.executeBatch();
            }
            if (markCovered) {
                markCovered(c, acc, Source.AI_CODE, from, to);
            }
            return null;
        });
    }

    @Override
    public List<AiCodeTotals> aiCodeTotals(String account) {
        return query("""
                SELECT email, COUNT(*), SUM(total_lines_added), SUM(tab_lines_added), SUM(composer_lines_added),
                       SUM(non_ai_lines_added)
                FROM ai_code_commit WHERE account_id = %s GROUP BY email ORDER BY email""".formatted(ACCOUNT),
                account, rs -> new AiCodeTotals(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)));
    }

    @Override
    public void saveAuditEvents(String account, List<AuditEvent> events, LocalDate from, LocalDate to,
                                boolean markCovered) {
        SqliteStore.checkRange(from, to);
        List<AuditEvent> list = List.copyOf(events);
        db.write(c -> {
            long acc = accountId(c, account);
            try (PreparedStatement up = c.prepareStatement(
                    "INSERT OR REPLACE INTO audit_event (account_id, event_id, day, event_type) VALUES (?, ?, ?, ?)")) {
                for (AuditEvent e : list) {
                    up.setLong(1, acc);
                    up.setString(2, e.eventId());
                    up.setLong(3, SqliteStore.utcDay(e.timestamp()));
                    up.setString(4, e.eventType());
                    up.addBatch();
                }
                up.executeBatch();
            }
            if (markCovered) {
                markCovered(c, acc, Source.AUDIT_LOGS, from, to);
            }
            return null;
        });
    }

    @Override
    public Map<String, Long> auditEventCounts(String account) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Long> e : query("""
                SELECT event_type, COUNT(*) FROM audit_event WHERE account_id = %s
                GROUP BY event_type ORDER BY event_type""".formatted(ACCOUNT),
                account, rs -> Map.entry(rs.getString(1), rs.getLong(2)))) {
            out.put(e.getKey(), e.getValue());
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private <T> List<T> query(String sql, String account, Database.RowMapper<T> mapper) {
        return db.listByAccount(sql, account, mapper);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
