package dev.cursorexporter.store;

import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingClass;
import dev.cursorexporter.model.BillingGroups;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@link Store} on an embedded SQLite file (see {@link SqliteDatabase} for durability and concurrency, and
 * {@code db/migration} for the schema). Every write method is one transaction.
 *
 * <p>One process per database file: opening the store discards event windows left staged by a previous process
 * (a crash leaves them behind), so a second live instance on the same file would discard the first one's windows.
 */
public final class SqliteStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    /** File name of the database inside the data directory. */
    public static final String FILE_NAME = "cursor-exporter.db";

    /** Subquery resolving the account name parameter; unknown accounts match nothing. */
    static final String ACCOUNT = "(SELECT id FROM account WHERE name = ?)";
    /** {@link #ACCOUNT} as parameter 1, for statements that name the account more than once. */
    private static final String ACCOUNT_1 = "(SELECT id FROM account WHERE name = ?1)";
    /** The counter epoch of the account in parameter 1 (NULL when none). */
    private static final String EPOCH_1 = "(SELECT day FROM counter_epoch WHERE account_id = " + ACCOUNT_1 + ")";

    private final Database db;
    private final DailyQueries queries;
    private final EnterpriseStore enterprise;
    private final OtelStore otel;
    private final UserLabelSalts userLabelSalts;

    private SqliteStore(Database db) {
        this.db = db;
        this.queries = new SqliteDailyQueries(db);
        this.enterprise = new SqliteEnterprise(db);
        this.otel = new SqliteOtel(db);
        this.userLabelSalts = new SqliteUserLabelSalts(db);
    }

    /** Opens (creating and migrating when needed) {@code dataDir/cursor-exporter.db}; creates {@code dataDir}. */
    public static SqliteStore open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        return openUrl(SqliteDatabase.URL_PREFIX + dataDir.resolve(FILE_NAME));
    }

    /**
     * Opens the store at a {@code jdbc:sqlite:<file>} URL (URL parameters are passed to the driver).
     *
     * @throws IllegalArgumentException for other URLs and in-memory databases
     * @throws StoreException           when the file cannot be opened or migrated
     */
    public static SqliteStore openUrl(String jdbcUrl) {
        SqliteDatabase db = SqliteDatabase.open(jdbcUrl);
        try {
            discardStagedWindows(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new SqliteStore(db);
    }

    /**
     * Opens (migrating when needed) the store on a PostgreSQL server (issue 15): the same store, its SQLite statements
     * translated for PostgreSQL ({@link PostgresSql}) where they differ, or in a PostgreSQL form of their own
     * ({@link Dialect}).
     *
     * <p>Unlike SQLite, opening leaves the staged event windows alone: several replicas share the database, and a
     * replica starting must not discard the window the account's poller is fetching. Windows a dead poller left
     * staged are discarded by the next poller of that account when it opens its first window
     * ({@link SqliteEventWindow}), and can never commit.
     *
     * @param jdbcUrl  a {@code jdbc:postgresql://} URL without a password
     * @param password the password, asked of the secret at every new connection
     * @throws StoreException when the server cannot be reached, refuses the login, or the migration fails
     */
    public static SqliteStore openPostgres(String jdbcUrl, Optional<dev.cursorexporter.model.Secret> password) {
        return new SqliteStore(PostgresDatabase.open(jdbcUrl, password));
    }

    /** Windows still staged at open were never committed by the process that left them (crash, kill -9). */
    private static void discardStagedWindows(Database db) {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM event_staging");
                s.executeUpdate("DELETE FROM event_window");
            }
            return null;
        });
    }

    @Override
    public String kind() {
        return db.dialect().kind();
    }

    @Override
    public long sizeBytes() {
        return db.sizeBytes();
    }

    // ---- writes -------------------------------------------------------------------------------------------

    @Override
    public void saveMembers(String account, List<Member> members, Instant fetchedAt) {
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        List<Member> list = List.copyOf(members);
        db.write(c -> {
            long acc = accountId(c, account);
            try (PreparedStatement all = c.prepareStatement("UPDATE members SET removed = 1 WHERE account_id = ?")) {
                all.setLong(1, acc);
                all.executeUpdate();
            }
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT INTO members (account_id, email, user_id, name, role, removed, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, email) DO UPDATE SET
                        user_id   = COALESCE(excluded.user_id, user_id),
                        name      = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END,
                        role      = CASE WHEN excluded.role <> '' THEN excluded.role ELSE role END,
                        removed   = excluded.removed,
                        last_seen = excluded.last_seen""")) {
                String seen = fetchedAt.toString();
                for (Member m : list) {
                    up.setLong(1, acc);
                    up.setString(2, email(m.email()));
                    up.setString(3, blankToNull(m.userId()));
                    up.setString(4, orEmpty(m.name()));
                    up.setString(5, orEmpty(m.role()));
                    up.setInt(6, m.removed() ? 1 : 0);
                    up.setString(7, seen);
                    up.addBatch();
                }
                up.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void saveSpend(String account, SpendReport report, Instant fetchedAt) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        long day = utcDay(fetchedAt);
        String cycleStart = report.cycleStart() == null ? null : report.cycleStart().toString();
        db.write(c -> {
            long acc = accountId(c, account);
            deleteWhere(c, "DELETE FROM spend_current WHERE account_id = ?", acc);
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM spend_daily WHERE account_id = ? AND day = ?")) {
                del.setLong(1, acc);
                del.setLong(2, day);
                del.executeUpdate();
            }
            try (PreparedStatement cur = c.prepareStatement("""
                    INSERT OR REPLACE INTO spend_current
                        (account_id, email, user_id, cycle_spend_ucents, on_demand_ucents, limit_udollars)
                    VALUES (?, ?, ?, ?, ?, ?)""");
                 PreparedStatement snap = c.prepareStatement("""
                    INSERT OR REPLACE INTO spend_daily
                        (account_id, day, email, user_id, cycle_start, cycle_spend_ucents, on_demand_ucents,
                         limit_udollars, fetched_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (MemberSpend raw : report.members()) {
                    MemberSpend m = withSpendDefault(raw);
                    String email = email(m.email());
                    long cycle = Micros.of(m.cycleSpendCents());
                    long onDemand = Micros.of(m.onDemandSpendCents());
                    Long limit = Micros.ofNullable(m.effectiveLimitDollars());

                    cur.setLong(1, acc);
                    cur.setString(2, email);
                    cur.setString(3, blankToNull(m.userId()));
                    cur.setLong(4, cycle);
                    cur.setLong(5, onDemand);
                    setNullableLong(cur, 6, limit);
                    cur.addBatch();

                    snap.setLong(1, acc);
                    snap.setLong(2, day);
                    snap.setString(3, email);
                    snap.setString(4, blankToNull(m.userId()));
                    snap.setString(5, cycleStart);
                    snap.setLong(6, cycle);
                    snap.setLong(7, onDemand);
                    setNullableLong(snap, 8, limit);
                    snap.setString(9, fetchedAt.toString());
                    snap.addBatch();
                }
                cur.executeBatch();
                snap.executeBatch();
            }
            try (PreparedStatement cyc = c.prepareStatement("""
                    INSERT INTO spend_cycle (account_id, cycle_start, fetched_at) VALUES (?, ?, ?)
                    ON CONFLICT (account_id) DO UPDATE SET
                        cycle_start = excluded.cycle_start, fetched_at = excluded.fetched_at""")) {
                cyc.setLong(1, acc);
                cyc.setString(2, cycleStart);
                cyc.setString(3, fetchedAt.toString());
                cyc.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void saveDailyUsage(String account, List<DailyUsageRow> rows, LocalDate from, LocalDate to,
                               boolean markCovered) {
        checkRange(from, to);
        List<DailyUsageRow> list = List.copyOf(rows);
        db.write(c -> {
            long acc = accountId(c, account);
            try (PreparedStatement up = c.prepareStatement(DailyUsageColumns.UPSERT)) {
                for (DailyUsageRow r : list) {
                    int i = 1;
                    up.setLong(i++, acc);
                    up.setLong(i++, r.day().toEpochDay());
                    up.setString(i++, email(r.email()));
                    up.setString(i++, blankToNull(r.userId()));
                    up.setInt(i++, r.active() ? 1 : 0);
                    for (long v : DailyUsageColumns.numbers(r)) {
                        up.setLong(i++, v);
                    }
                    up.setString(i++, orEmpty(r.mostUsedModel()));
                    up.setString(i, orEmpty(r.clientVersion()));
                    up.addBatch();
                }
                up.executeBatch();
            }
            TreeSet<Long> days = new TreeSet<>();
            list.forEach(r -> days.add(r.day().toEpochDay()));
            SqliteGroupRollups.activityDays(c, days);
            SqliteMonthlyRollups.activityMonths(c, acc, days);
            if (markCovered) {
                markCovered(c, acc, Source.DAILY_USAGE, from, to);
            }
            return null;
        });
    }

    @Override
    public int assignGroups(Function<String, GroupAssignment> assignment) {
        Objects.requireNonNull(assignment, "assignment");
        SqliteGroupRollups.Change change = db.write(c -> SqliteGroupRollups.assign(c, assignment));
        if (change.emails() > 0) {
            LOG.info("directory: {} e-mail(s) assigned a new team or location; regrouped {} account-day(s) of usage "
                    + "and {} day(s) of activity (assignment version {})", change.emails(), change.usageDays(),
                    change.activityDays(), change.version());
        }
        return change.emails();
    }

    @Override
    public long assignmentVersion() {
        return db.read(SqliteGroupRollups::version);
    }

    @Override
    public EventWindow openEventWindow(String account, LocalDate from, LocalDate to) {
        Objects.requireNonNull(account, "account");
        checkRange(from, to);
        return SqliteEventWindow.open(db, account, from, to);
    }

    @Override
    public Set<LocalDate> coveredDays(String account, Source source) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT day FROM coverage WHERE account_id = " + ACCOUNT + " AND source = ?")) {
                q.setString(1, account);
                q.setString(2, source.label());
                TreeSet<LocalDate> days = new TreeSet<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        days.add(LocalDate.ofEpochDay(rs.getLong(1)));
                    }
                }
                return Collections.unmodifiableSortedSet(days);
            }
        });
    }

    @Override
    public void saveSourceState(String account, Source source, SourceState state) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(state, "state");
        db.write(c -> {
            long acc = accountId(c, account);
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT INTO source_state (account_id, source, last_success, last_error, last_error_at)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, source) DO UPDATE SET
                        last_success = excluded.last_success, last_error = excluded.last_error,
                        last_error_at = excluded.last_error_at""")) {
                up.setLong(1, acc);
                up.setString(2, source.label());
                up.setString(3, text(state.lastSuccess()));
                up.setString(4, state.lastError());
                up.setString(5, text(state.lastErrorAt()));
                up.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void saveAuthRefusal(String account, Source source, AuthRefusal refusal) {
        Objects.requireNonNull(source, "source");
        db.write(c -> {
            long acc = accountId(c, account);
            if (refusal == null) {
                try (PreparedStatement del = c.prepareStatement(
                        "DELETE FROM auth_refusal WHERE account_id = ? AND source = ?")) {
                    del.setLong(1, acc);
                    del.setString(2, source.label());
                    del.executeUpdate();
                }
                return null;
            }
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT INTO auth_refusal (account_id, source, status, endpoint, reason, at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (account_id, source) DO UPDATE SET status = excluded.status,
                        endpoint = excluded.endpoint, reason = excluded.reason, at = excluded.at""")) {
                up.setLong(1, acc);
                up.setString(2, source.label());
                up.setInt(3, refusal.status());
                up.setString(4, refusal.endpoint());
                up.setString(5, refusal.message());
                up.setString(6, refusal.at().toString());
                up.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<Source, AuthRefusal> authRefusals(String account) {
        return db.read(c -> {
            Map<Source, AuthRefusal> out = new EnumMap<>(Source.class);
            try (PreparedStatement q = c.prepareStatement("SELECT source, status, endpoint, reason, at"
                    + " FROM auth_refusal WHERE account_id = " + ACCOUNT)) {
                q.setString(1, account);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        Source source = sourceOf(rs.getString(1));
                        if (source != null) {
                            out.put(source, new AuthRefusal(rs.getInt(2), rs.getString(3), rs.getString(4),
                                    Instant.parse(rs.getString(5))));
                        }
                    }
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    /** Every {@link Source}, {@link SourceState#NEVER} for those never saved. */
    @Override
    public Map<Source, SourceState> sourceStates(String account) {
        return db.read(c -> {
            Map<Source, SourceState> states = new EnumMap<>(Source.class);
            for (Source s : Source.values()) {
                states.put(s, SourceState.NEVER);
            }
            try (PreparedStatement q = c.prepareStatement("SELECT source, last_success, last_error, last_error_at"
                    + " FROM source_state WHERE account_id = " + ACCOUNT)) {
                q.setString(1, account);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        Source source = sourceOf(rs.getString(1));
                        if (source != null) {
                            states.put(source, new SourceState(instant(rs.getString(2)), rs.getString(3),
                                    instant(rs.getString(4))));
                        }
                    }
                }
            }
            return Collections.unmodifiableMap(states);
        });
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    @Override
    public List<StoredMember> members(String account) {
        return list("SELECT email, user_id, name, role, removed, last_seen FROM members WHERE account_id = "
                + ACCOUNT + " ORDER BY email", account, rs -> new StoredMember(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getInt(5) != 0, instant(rs.getString(6))));
    }

    @Override
    public List<StoredSpend> currentSpend(String account) {
        return list("SELECT email, user_id, cycle_spend_ucents, on_demand_ucents, limit_udollars FROM spend_current"
                + " WHERE account_id = " + ACCOUNT + " ORDER BY email", account, rs -> {
            long limit = rs.getLong(5);
            boolean noLimit = rs.wasNull();
            return new StoredSpend(rs.getString(1), rs.getString(2), Micros.toDecimal(rs.getLong(3)),
                    Micros.toDecimal(rs.getLong(4)), noLimit ? null : Micros.toDecimal(limit));
        });
    }

    @Override
    public Optional<Instant> cycleStart(String account) {
        List<Optional<Instant>> found = list("SELECT cycle_start FROM spend_cycle WHERE account_id = " + ACCOUNT,
                account, rs -> Optional.ofNullable(instant(rs.getString(1))));
        return found.isEmpty() ? Optional.empty() : found.get(0);
    }

    /**
     * The all-days totals minus the days before the counter epoch, plus what restatements withdrew on or after it.
     * Days before the epoch exist only after a backfill was extended, so the subtraction reads nothing in the usual
     * case; a missing epoch compares as NULL, subtracting nothing and adding every withdrawn day.
     */
    @Override
    public void usageTotals(String account, Consumer<? super UsageTotals> sink) {
        db.forEachByAccount(usageSums(COUNTED_SINCE_EPOCH), account, SqliteStore::usageTotalsRow, sink);
    }

    @Override
    public void usageWithdrawn(String account, Consumer<? super UsageTotals> sink) {
        db.forEachByAccount(usageSums(WITHDRAWN_SINCE_EPOCH), account, SqliteStore::usageTotalsRow, sink);
    }

    @Override
    public List<UsageRank> usageCostByEmail(String account) {
        return list(usageRanks("email", usageSums(COUNTED_SINCE_EPOCH)), account, SqliteStore::usageRankRow);
    }

    @Override
    public void usageCostByModel(String account, Consumer<? super UsageRank> sink) {
        db.forEachByAccount(usageRanks("model", usageSums(COUNTED_SINCE_EPOCH)), account, SqliteStore::usageRankRow,
                sink);
    }

    /** usage_rollup-based totals of the account in parameter 1: all days minus those before the counter epoch. */
    private static final String COUNTED_SINCE_EPOCH = """
            SELECT t.email, t.model, t.billing, t.actor, t.requests - COALESCE(p.requests, 0) AS requests,
                   t.cost_ucents - COALESCE(p.cost_ucents, 0) AS cost_ucents,
                   t.input_tokens - COALESCE(p.input_tokens, 0) AS input_tokens,
                   t.output_tokens - COALESCE(p.output_tokens, 0) AS output_tokens,
                   t.cache_read_tokens - COALESCE(p.cache_read_tokens, 0) AS cache_read_tokens,
                   t.cache_write_tokens - COALESCE(p.cache_write_tokens, 0) AS cache_write_tokens
            FROM usage_totals t
            LEFT JOIN (SELECT email, model, billing, actor, SUM(requests) AS requests,
                              SUM(cost_ucents) AS cost_ucents,
                              SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
                              SUM(cache_read_tokens) AS cache_read_tokens,
                              SUM(cache_write_tokens) AS cache_write_tokens
                       FROM usage_rollup
                       WHERE account_id = %1$s AND day < %2$s
                       GROUP BY email, model, billing, actor) p
                   ON p.email = t.email AND p.model = t.model AND p.billing = t.billing AND p.actor = t.actor
            WHERE t.account_id = %1$s
            UNION ALL
            %3$s""".formatted(ACCOUNT_1, EPOCH_1, withdrawnSinceEpoch());

    /** usage_withdrawn rows of the account in parameter 1 on or after its counter epoch (all when none). */
    private static final String WITHDRAWN_SINCE_EPOCH = withdrawnSinceEpoch();

    private static String withdrawnSinceEpoch() {
        return """
                SELECT email, model, billing, actor, requests, cost_ucents, input_tokens, output_tokens,
                       cache_read_tokens, cache_write_tokens
                FROM usage_withdrawn
                WHERE account_id = %1$s AND (%2$s IS NULL OR day >= %2$s)""".formatted(ACCOUNT_1, EPOCH_1);
    }

    /** Sums the rows of {@code rows} (the columns of {@link UsageTotals}) per key; keys with nothing positive are left out. */
    private static String usageSums(String rows) {
        return """
                SELECT email, model, billing, actor, SUM(requests) AS requests, SUM(cost_ucents) AS cost_ucents,
                       SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens)
                FROM (%s) AS usage_rows
                GROUP BY email, model, billing, actor
                HAVING SUM(requests) > 0 OR SUM(cost_ucents) > 0 OR SUM(input_tokens) > 0 OR SUM(output_tokens) > 0
                       OR SUM(cache_read_tokens) > 0 OR SUM(cache_write_tokens) > 0
                ORDER BY email, model, billing, actor""".formatted(rows);
    }

    /**
     * Cost, requests, rows and distinct (model, actor) pairs of the {@link #usageSums} rows {@code sums} per
     * {@code column}, largest cost first (ties: more requests, then the name). The rows are the series of
     * {@code cursor_usage_requests}, the pairs a quarter of those of {@code cursor_usage_tokens}: both carry the
     * actor, so a user whose agents spend too brings more series.
     */
    private static String usageRanks(String column, String sums) {
        return """
                SELECT %1$s, SUM(cost_ucents) AS cost, SUM(requests) AS requests, COUNT(*),
                       COUNT(DISTINCT model || char(31) || actor)
                FROM (%2$s) AS usage_sums
                GROUP BY %1$s
                ORDER BY cost DESC, requests DESC, %1$s""".formatted(column, sums);
    }

    private static UsageTotals usageTotalsRow(ResultSet rs) throws SQLException {
        return new UsageTotals(rs.getString(1), rs.getString(2), billingOf(rs.getString(3)), rs.getLong(5),
                Micros.toDecimal(rs.getLong(6)), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                Actor.fromLabel(rs.getString(4)));
    }

    private static UsageRank usageRankRow(ResultSet rs) throws SQLException {
        return new UsageRank(rs.getString(1), Micros.toDecimal(rs.getLong(2)), rs.getLong(3), rs.getLong(4),
                rs.getLong(5));
    }

    /** Like {@link #usageTotals}: the all-days sums minus the days before the counter epoch. */
    @Override
    public List<ActivityTotals> activityTotals(String account) {
        return list("""
                SELECT t.email, t.lines_added - COALESCE(p.lines_added, 0),
                       t.accepted_lines_added - COALESCE(p.accepted_lines_added, 0),
                       t.tabs_shown - COALESCE(p.tabs_shown, 0), t.tabs_accepted - COALESCE(p.tabs_accepted, 0),
                       t.chat_requests - COALESCE(p.chat_requests, 0),
                       t.composer_requests - COALESCE(p.composer_requests, 0),
                       t.agent_requests - COALESCE(p.agent_requests, 0), t.cmdk_usages - COALESCE(p.cmdk_usages, 0),
                       t.bugbot_usages - COALESCE(p.bugbot_usages, 0)
                FROM activity_totals t
                LEFT JOIN (SELECT email, SUM(total_lines_added) AS lines_added,
                                  SUM(accepted_lines_added) AS accepted_lines_added,
                                  SUM(total_tabs_shown) AS tabs_shown, SUM(total_tabs_accepted) AS tabs_accepted,
                                  SUM(chat_requests) AS chat_requests, SUM(composer_requests) AS composer_requests,
                                  SUM(agent_requests) AS agent_requests, SUM(cmdk_usages) AS cmdk_usages,
                                  SUM(bugbot_usages) AS bugbot_usages
                           FROM daily_usage
                           WHERE account_id = %1$s AND day < %2$s
                           GROUP BY email) p
                       ON p.email = t.email
                WHERE t.account_id = %1$s ORDER BY t.email""".formatted(ACCOUNT_1, EPOCH_1), account,
                rs -> new ActivityTotals(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                        rs.getLong(10)));
    }

    @Override
    public LocalDate startCounterEpoch(String account, LocalDate firstBackfillDay) {
        Objects.requireNonNull(firstBackfillDay, "firstBackfillDay");
        return db.write(c -> {
            long acc = accountId(c, account);
            // "WHERE true": SQLite's parser needs it between INSERT ... SELECT and ON CONFLICT.
            try (PreparedStatement ins = c.prepareStatement("""
                    INSERT INTO counter_epoch (account_id, day, recorded_at)
                    SELECT ?1, MIN(day), ?3 FROM (
                        SELECT ?2 AS day
                        UNION ALL SELECT MIN(day) FROM usage_rollup WHERE account_id = ?1
                        UNION ALL SELECT MIN(day) FROM daily_usage WHERE account_id = ?1) AS first_days WHERE true
                    ON CONFLICT (account_id) DO NOTHING""")) {
                ins.setLong(1, acc);
                ins.setLong(2, firstBackfillDay.toEpochDay());
                ins.setString(3, Instant.now().toString());
                ins.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("SELECT day FROM counter_epoch WHERE account_id = ?")) {
                q.setLong(1, acc);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return LocalDate.ofEpochDay(rs.getLong(1));
                }
            }
        });
    }

    @Override
    public Optional<LocalDate> counterEpoch(String account) {
        List<LocalDate> found = list("SELECT day FROM counter_epoch WHERE account_id = " + ACCOUNT, account,
                rs -> LocalDate.ofEpochDay(rs.getLong(1)));
        return found.stream().findFirst();
    }

    @Override
    public List<UserCostSums> userCostSums(String account, List<UserCostSums.Range> ranges, Set<LocalDate> days) {
        Objects.requireNonNull(account, "account");
        List<UserCostSums.Range> rs = List.copyOf(ranges);
        List<Long> dayList = days.stream().map(LocalDate::toEpochDay).sorted().toList();
        if (rs.isEmpty() || dayList.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT email");
        for (int i = 0; i < rs.size(); i++) {
            sql.append(", SUM(CASE WHEN day BETWEEN ? AND ? THEN cost_ucents ELSE 0 END)");
        }
        sql.append(" FROM usage_rollup WHERE account_id = ").append(ACCOUNT).append(" AND day IN (")
                .append(String.join(", ", Collections.nCopies(dayList.size(), "?")))
                .append(") GROUP BY email ORDER BY email");
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (UserCostSums.Range r : rs) {
                    q.setLong(p++, r.from().toEpochDay());
                    q.setLong(p++, r.to().toEpochDay());
                }
                q.setString(p++, account);
                for (long day : dayList) {
                    q.setLong(p++, day);
                }
                List<UserCostSums> out = new ArrayList<>();
                try (ResultSet row = q.executeQuery()) {
                    while (row.next()) {
                        List<BigDecimal> costs = new ArrayList<>(rs.size());
                        for (int i = 0; i < rs.size(); i++) {
                            costs.add(Micros.toDecimal(row.getLong(i + 2)));
                        }
                        out.add(new UserCostSums(row.getString(1), costs));
                    }
                }
                return List.copyOf(out);
            }
        });
    }

    @Override
    public Optional<LocalDate> newestDailyUsageDay(String account) {
        List<Optional<LocalDate>> found = list("SELECT MAX(day) FROM daily_usage WHERE account_id = " + ACCOUNT,
                account, rs -> {
                    long day = rs.getLong(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(day));
                });
        return found.get(0);
    }

    @Override
    public Set<String> activeUsers(String account, LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT email FROM daily_usage WHERE account_id = "
                    + ACCOUNT + " AND day BETWEEN ? AND ? AND active = 1")) {
                q.setString(1, account);
                q.setLong(2, from.toEpochDay());
                q.setLong(3, to.toEpochDay());
                TreeSet<String> emails = new TreeSet<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        emails.add(rs.getString(1));
                    }
                }
                return Collections.unmodifiableSortedSet(emails);
            }
        });
    }

    @Override
    public List<String> accounts() {
        return db.read(c -> {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM account ORDER BY name")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return List.copyOf(names);
        });
    }

    @Override
    public EnterpriseStore enterprise() {
        return enterprise;
    }

    @Override
    public OtelStore otel() {
        return otel;
    }

    @Override
    public UserLabelSalts userLabelSalts() {
        return userLabelSalts;
    }

    @Override
    public DailyQueries daily() {
        return queries;
    }

    @Override
    public void close() {
        db.close();
    }

    /** The database under the store (tests of the store run plain SQL on it). */
    Database database() {
        return db;
    }

    /** Rows left in the event staging area (tests: a crash or an uncommitted window must not leave any). */
    long stagedEventRows() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM event_staging)"
                         + " + (SELECT COUNT(*) FROM event_window)")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private <T> List<T> list(String sql, String account, Database.RowMapper<T> mapper) {
        return db.listByAccount(sql, account, mapper);
    }

    /** Id of {@code account}, created on first write: account names are stored once, not in every row. */
    static long accountId(Connection c, String account) throws SQLException {
        Objects.requireNonNull(account, "account");
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO account (name) VALUES (?) ON CONFLICT DO NOTHING")) {
            ins.setString(1, account);
            ins.executeUpdate();
        }
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM account WHERE name = ?")) {
            q.setString(1, account);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void markCovered(Connection c, long accountId, Source source, LocalDate from, LocalDate to)
            throws SQLException {
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT OR IGNORE INTO coverage (account_id, source, day) VALUES (?, ?, ?)")) {
            for (long day = from.toEpochDay(); day <= to.toEpochDay(); day++) {
                ins.setLong(1, accountId);
                ins.setString(2, source.label());
                ins.setLong(3, day);
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    private static void deleteWhere(Connection c, String sql, long accountId) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(sql)) {
            del.setLong(1, accountId);
            del.executeUpdate();
        }
    }

    static void checkRange(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }

    /** Lower-cased e-mail; a missing one (events of removed members) is "". */
    static String email(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    static long utcDay(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }

    private static MemberSpend withSpendDefault(MemberSpend m) {
        if (m.spendCents() != null) {
            return m;
        }
        // A parser that let spendCents through as null must not break the whole report: absent spend is 0.
        return new MemberSpend(m.userId(), m.email(), m.name(), m.role(), BigDecimal.ZERO,
                m.overallSpendCents(), m.includedSpendCents(), m.monthlyLimitDollars(),
                m.hardLimitOverrideDollars(), m.effectivePerUserLimitDollars());
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static Source sourceOf(String label) {
        for (Source s : Source.values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return null; // written by a newer version; ignored rather than failing the whole status
    }

    static BillingClass billingOf(String label) {
        for (BillingClass b : BillingClass.values()) {
            if (b.label().equals(label)) {
                return b;
            }
        }
        return BillingClass.OTHER;
    }
}
