package dev.cursorexporter.store;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An {@link EventWindow} staged in the {@code event_staging} table: each page is one small transaction appending
 * its events, so memory stays bounded however large the window; {@link #commit} and {@link #commitReplacing} count
 * them per content hash and merge or replace them in one transaction. Not meant to be shared between threads, but
 * safe if it is.
 */
final class SqliteEventWindow implements EventWindow {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventWindow.class);
    private static final long MS_PER_DAY = 86_400_000L;

    private static final String STAGE = """
            INSERT INTO event_staging (window_id, day, seq, hash, ts_ms, email, model, kind, billing, max_mode,
                                       cost_ucents, input_tokens, output_tokens, cache_read_tokens,
                                       cache_write_tokens, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * One staged day counted per content hash. Identical hashes have identical stored fields: any row will do. (The
     * hash leaves out the caller fields, {@link UsageEvent#contentHash}: two events equal in everything else but
     * spent by different actors in the same millisecond are one hash, counted twice, filed under one actor.)
     */
    private static final String STAGED_DAY = """
            INSERT INTO usage_events (account_id, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents,
                                      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, actor,
                                      multiplicity)
            SELECT ?, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents, input_tokens,
                   output_tokens, cache_read_tokens, cache_write_tokens, actor, COUNT(*)
            FROM event_staging WHERE window_id = ? AND day = ? GROUP BY hash
            """;

    /**
     * {@link #STAGED_DAY} where a query may not name a column that it neither groups nor aggregates (PostgreSQL): the
     * first row staged of each hash, and how many rows have it.
     */
    private static final String STAGED_DAY_POSTGRESQL = """
            INSERT INTO usage_events (account_id, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents,
                                      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, actor,
                                      multiplicity)
            SELECT ?, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents, input_tokens,
                   output_tokens, cache_read_tokens, cache_write_tokens, actor, n
            FROM (SELECT s.*, COUNT(*) OVER (PARTITION BY hash) AS n,
                         ROW_NUMBER() OVER (PARTITION BY hash ORDER BY seq) AS r
                  FROM event_staging s WHERE window_id = ? AND day = ?) AS staged
            WHERE r = 1
            """;

    /** Merged as {@code max(stored, fetched)}; the update count says whether the day changed. */
    private static final String MERGE_CONFLICT = """
            ON CONFLICT (account_id, day, hash) DO UPDATE SET multiplicity = excluded.multiplicity
            WHERE excluded.multiplicity > usage_events.multiplicity""";

    /**
     * Replaced: the fetched version is the truth, its multiplicity lower or higher, and its cost. The hash leaves
     * out {@code chargedCents} and {@code cursorTokenFee} (a field Cursor adds later must not make a stored event
     * new), so a fee or charge restated alone arrives under the stored hash. It leaves out the caller fields too,
     * so an event stored before they were read (as a person's, V13) is filed under its actor, and a service
     * account's under {@code sa:<name>}, here; the withdrawal then records what left {@code human}. Merging
     * does not re-file: it records no withdrawal, and the counter it lowers would go down.
     */
    private static final String REPLACE_CONFLICT = """
            ON CONFLICT (account_id, day, hash) DO UPDATE SET multiplicity = excluded.multiplicity,
                                                              cost_ucents = excluded.cost_ucents,
                                                              email = excluded.email,
                                                              actor = excluded.actor
            WHERE excluded.multiplicity <> usage_events.multiplicity
               OR excluded.cost_ucents <> usage_events.cost_ucents
               OR excluded.email <> usage_events.email
               OR excluded.actor <> usage_events.actor""";

    /** The day's stored events inside the read (ms bounds) that the complete re-read no longer returns. */
    private static final String DROP_SUPERSEDED = """
            DELETE FROM usage_events
            WHERE account_id = ?1 AND day = ?2 AND ts_ms BETWEEN ?3 AND ?4
              AND hash NOT IN (SELECT hash FROM event_staging WHERE window_id = ?5 AND day = ?2)""";

    /** The SET list of an upsert that adds the excluded row's measures to the stored ones. */
    private static final String ADD_EVERY_MEASURE = """
                requests           = requests           + excluded.requests,
                cost_ucents        = cost_ucents        + excluded.cost_ucents,
                input_tokens       = input_tokens       + excluded.input_tokens,
                output_tokens      = output_tokens      + excluded.output_tokens,
                cache_read_tokens  = cache_read_tokens  + excluded.cache_read_tokens,
                cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens""";

    /** Adds a withdrawn row to what the key already holds. */
    private static final String ADD_WITHDRAWN = """
            ON CONFLICT (account_id, day, email, model, billing, actor) DO UPDATE SET
            """ + ADD_EVERY_MEASURE;

    /**
     * Before the day's rollup is recomputed, what the replaced events lower goes to usage_withdrawn, per measure
     * ({@code max(0, old - new)}) and at the grain of the counter it feeds: requests per (e-mail, model, billing),
     * cost and tokens per (e-mail, model), because their counters have no billing label and an event that only
     * moves between billing classes must not raise them. Every grain includes the actor, which all three counters
     * carry, so the counters stay monotone per actor too. Counter = stored + withdrawn then rises by
     * {@code max(0, new - old)} for every key, so every sum of keys is monotone too. Cost and tokens are filed
     * under one billing class the key had (any will do: nothing reads them per billing class).
     */
    private static final String WITHDRAW_REQUESTS = """
            INSERT INTO usage_withdrawn (account_id, day, email, model, billing, actor, requests, cost_ucents,
                                         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT o.account_id, o.day, o.email, o.model, o.billing, o.actor,
                   MAX(0, o.requests - COALESCE(n.requests, 0)), 0, 0, 0, 0, 0
            FROM usage_rollup o
            LEFT JOIN (SELECT email, model, billing, actor, SUM(multiplicity) AS requests
                       FROM usage_events WHERE account_id = ?1 AND day = ?2
                       GROUP BY email, model, billing, actor) n
                   ON n.email = o.email AND n.model = o.model AND n.billing = o.billing AND n.actor = o.actor
            WHERE o.account_id = ?1 AND o.day = ?2 AND o.requests > COALESCE(n.requests, 0)
            """ + ADD_WITHDRAWN;

    private static final String WITHDRAW_COST_AND_TOKENS = """
            INSERT INTO usage_withdrawn (account_id, day, email, model, billing, actor, requests, cost_ucents,
                                         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT * FROM (
                SELECT o.account_id, o.day, o.email, o.model, o.billing, o.actor, 0 AS requests,
                       MAX(0, o.cost_ucents - COALESCE(n.cost_ucents, 0)) AS cost_ucents,
                       MAX(0, o.input_tokens - COALESCE(n.input_tokens, 0)) AS input_tokens,
                       MAX(0, o.output_tokens - COALESCE(n.output_tokens, 0)) AS output_tokens,
                       MAX(0, o.cache_read_tokens - COALESCE(n.cache_read_tokens, 0)) AS cache_read_tokens,
                       MAX(0, o.cache_write_tokens - COALESCE(n.cache_write_tokens, 0)) AS cache_write_tokens
                FROM (SELECT account_id, day, email, model, actor, MIN(billing) AS billing,
                             SUM(cost_ucents) AS cost_ucents,
                             SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
                             SUM(cache_read_tokens) AS cache_read_tokens,
                             SUM(cache_write_tokens) AS cache_write_tokens
                      FROM usage_rollup WHERE account_id = ?1 AND day = ?2
                      GROUP BY account_id, day, email, model, actor) o
                LEFT JOIN (SELECT email, model, actor, SUM(cost_ucents * multiplicity) AS cost_ucents,
                                  SUM(input_tokens * multiplicity) AS input_tokens,
                                  SUM(output_tokens * multiplicity) AS output_tokens,
                                  SUM(cache_read_tokens * multiplicity) AS cache_read_tokens,
                                  SUM(cache_write_tokens * multiplicity) AS cache_write_tokens
                           FROM usage_events WHERE account_id = ?1 AND day = ?2
                           GROUP BY email, model, actor) n
                       ON n.email = o.email AND n.model = o.model AND n.actor = o.actor) AS w
            WHERE cost_ucents + input_tokens + output_tokens + cache_read_tokens + cache_write_tokens > 0
            """ + ADD_WITHDRAWN;

    /** Adds (sign 1) or removes (sign -1) one day's rollup rows to the all-days totals. */
    private static final String TOTALS_DAY = """
            INSERT INTO usage_totals (account_id, email, model, billing, actor, requests, cost_ucents, input_tokens,
                                      output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, email, model, billing, actor, ?1 * requests, ?1 * cost_ucents, ?1 * input_tokens,
                   ?1 * output_tokens, ?1 * cache_read_tokens, ?1 * cache_write_tokens
            FROM usage_rollup WHERE account_id = ?2 AND day = ?3
            ON CONFLICT (account_id, email, model, billing, actor) DO UPDATE SET
            """ + ADD_EVERY_MEASURE;

    private static final String ROLLUP_DAY = """
            INSERT INTO usage_rollup (account_id, day, email, model, billing, actor, requests, cost_ucents,
                                      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, email, model, billing, actor, SUM(multiplicity), SUM(cost_ucents * multiplicity),
                   SUM(input_tokens * multiplicity), SUM(output_tokens * multiplicity),
                   SUM(cache_read_tokens * multiplicity), SUM(cache_write_tokens * multiplicity)
            FROM usage_events WHERE account_id = ? AND day = ?
            GROUP BY account_id, day, email, model, billing, actor""";

    private static final String MODEL_DAY = """
            INSERT INTO usage_model_daily (account_id, day, model, requests, cost_ucents, input_tokens, output_tokens,
                                           cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, model, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens),
                   SUM(cache_read_tokens), SUM(cache_write_tokens)
            FROM usage_rollup WHERE account_id = ? AND day = ?
            GROUP BY account_id, day, model""";

    private static final String USER_DAY = """
            INSERT INTO usage_user_daily (account_id, day, email, requests, cost_ucents, input_tokens, output_tokens,
                                          cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, email, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens),
                   SUM(cache_read_tokens), SUM(cache_write_tokens)
            FROM usage_rollup WHERE account_id = ? AND day = ?
            GROUP BY account_id, day, email""";

    private enum State { OPEN, COMMITTED, CLOSED }

    private final Database db;
    private final String account;
    private final LocalDate from;
    private final LocalDate to;
    private final long id;
    private State state = State.OPEN;
    /** Arrival order of staged events: appending keeps each page's transaction to a few b-tree pages. */
    private long seq;
    /** Days with staged events; a window spans at most a few dozen. */
    private final NavigableSet<Long> stagedDays = new TreeSet<>();

    private SqliteEventWindow(Database db, String account, LocalDate from, LocalDate to, long id) {
        this.db = db;
        this.account = account;
        this.from = from;
        this.to = to;
        this.id = id;
    }

    static SqliteEventWindow open(Database db, String account, LocalDate from, LocalDate to) {
        long id = db.write(c -> {
            // An account's windows are opened one after the other on its sync thread, so any window of this
            // account still staged now was left by a commit or discard that failed (a full disk): clean it up
            // here rather than at the next start.
            try (PreparedStatement staged = c.prepareStatement("DELETE FROM event_staging WHERE window_id IN "
                    + "(SELECT id FROM event_window WHERE account = ?)");
                 PreparedStatement windows = c.prepareStatement("DELETE FROM event_window WHERE account = ?")) {
                staged.setString(1, account);
                windows.setString(1, account);
                int rows = staged.executeUpdate();
                if (windows.executeUpdate() > 0) {
                    LOG.info("{}: discarded {} staged event(s) of a window whose commit had failed", account, rows);
                }
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO event_window (account, from_day, to_day, opened_at) VALUES (?, ?, ?, ?)"
                            + " RETURNING id")) {
                ins.setString(1, account);
                ins.setLong(2, from.toEpochDay());
                ins.setLong(3, to.toEpochDay());
                ins.setString(4, Instant.now().toString());
                try (ResultSet rs = ins.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new SqliteEventWindow(db, account, from, to, id);
    }

    @Override
    public synchronized void add(List<UsageEvent> page) {
        checkOpen();
        if (page.isEmpty()) {
            return;
        }
        HexFormat hex = HexFormat.of();
        db.write(c -> {
            try (PreparedStatement ins = c.prepareStatement(STAGE)) {
                for (UsageEvent e : page) {
                    Objects.requireNonNull(e.timestamp(), "usage event timestamp");
                    long ts = e.timestamp().toEpochMilli();
                    TokenUsage t = e.tokenUsage() == null ? TokenUsage.NONE : e.tokenUsage();
                    long day = Math.floorDiv(ts, MS_PER_DAY);
                    int i = 1;
                    ins.setLong(i++, id);
                    ins.setLong(i++, day);
                    ins.setLong(i++, seq++);
                    ins.setBytes(i++, hex.parseHex(e.contentHash()));
                    ins.setLong(i++, ts);
                    ins.setString(i++, SqliteStore.email(e.userKey()));
                    ins.setString(i++, e.model() == null ? "" : e.model());
                    ins.setString(i++, e.kind() == null ? "" : e.kind());
                    ins.setString(i++, e.billing().label());
                    ins.setInt(i++, e.maxMode() ? 1 : 0);
                    ins.setLong(i++, Micros.of(e.costCents()));
                    ins.setLong(i++, t.inputTokens());
                    ins.setLong(i++, t.outputTokens());
                    ins.setLong(i++, t.cacheReadTokens());
                    ins.setLong(i++, t.cacheWriteTokens());
                    ins.setString(i, e.actor().label());
                    ins.addBatch();
                    stagedDays.add(day);
                }
                ins.executeBatch();
            }
            return null;
        });
    }

    @Override
    public synchronized void commit(boolean markCovered) {
        write(null, markCovered);
    }

    @Override
    public synchronized void commitReplacing(Instant readUpTo, boolean markCovered) {
        Objects.requireNonNull(readUpTo, "readUpTo");
        write(readUpTo, markCovered);
    }

    /** Merges ({@code readUpTo} null) or replaces the window's days, then recomputes what changed. */
    private void write(Instant readUpTo, boolean markCovered) {
        checkOpen();
        boolean replacing = readUpTo != null;
        long fromMs = from.toEpochDay() * MS_PER_DAY;
        long toMs = replacing ? Math.min(readUpTo.toEpochMilli(), (to.toEpochDay() + 1) * MS_PER_DAY - 1) : 0;
        // Merging touches only the days with fetched events; replacing also the days where nothing came back.
        NavigableSet<Long> days = new TreeSet<>(stagedDays);
        if (replacing) {
            for (long d = from.toEpochDay(); d <= Math.floorDiv(toMs, MS_PER_DAY); d++) {
                days.add(d);
            }
        }
        db.write(c -> {
            if (!windowExists(c)) {
                throw new IllegalStateException("event window " + id + " was discarded (the store was reopened)");
            }
            long acc = SqliteStore.accountId(c, account);
            try (PreparedStatement merge = c.prepareStatement(
                    (db.dialect() == Dialect.POSTGRESQL ? STAGED_DAY_POSTGRESQL : STAGED_DAY)
                            + (replacing ? REPLACE_CONFLICT : MERGE_CONFLICT));
                 PreparedStatement drop = c.prepareStatement(DROP_SUPERSEDED);
                 PreparedStatement withdrawRequests = c.prepareStatement(WITHDRAW_REQUESTS);
                 PreparedStatement withdrawCost = c.prepareStatement(WITHDRAW_COST_AND_TOKENS);
                 PreparedStatement totals = c.prepareStatement(TOTALS_DAY);
                 PreparedStatement clearRollup = c.prepareStatement(
                         "DELETE FROM usage_rollup WHERE account_id = ? AND day = ?");
                 PreparedStatement fillRollup = c.prepareStatement(ROLLUP_DAY);
                 PreparedStatement clearModels = c.prepareStatement(
                         "DELETE FROM usage_model_daily WHERE account_id = ? AND day = ?");
                 PreparedStatement fillModels = c.prepareStatement(MODEL_DAY);
                 PreparedStatement clearUsers = c.prepareStatement(
                         "DELETE FROM usage_user_daily WHERE account_id = ? AND day = ?");
                 PreparedStatement fillUsers = c.prepareStatement(USER_DAY);
                 SqliteGroupRollups.UsageDay groups = new SqliteGroupRollups.UsageDay(c)) {
                List<Long> changedDays = new ArrayList<>();
                for (long day : days) {
                    int changed = replacing ? run(drop, acc, day, fromMs, toMs, id) : 0;
                    changed += run(merge, acc, id, day);
                    // Re-reading the look-back (or a window already stored) changes nothing and writes nothing.
                    if (changed == 0) {
                        continue;
                    }
                    if (replacing) {
                        run(withdrawRequests, acc, day);
                        run(withdrawCost, acc, day);
                    }
                    // Recomputed rather than incremented: the rollups stay a pure function of usage_events.
                    run(totals, -1, acc, day);
                    run(clearRollup, acc, day);
                    run(fillRollup, acc, day);
                    run(totals, 1, acc, day);
                    run(clearModels, acc, day);
                    run(fillModels, acc, day);
                    run(clearUsers, acc, day);
                    run(fillUsers, acc, day);
                    groups.recompute(acc, day);
                    changedDays.add(day);
                }
                SqliteMonthlyRollups.usageMonths(c, acc, changedDays);
            }
            if (markCovered) {
                SqliteStore.markCovered(c, acc, Source.USAGE_EVENTS, from, to);
            }
            discard(c);
            return null;
        });
        state = State.COMMITTED;
    }

    /** Discards the staged events unless committed. Best effort: a failure leaves them for the next open. */
    @Override
    public synchronized void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSED;
        try {
            db.write(c -> {
                discard(c);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not discard event window {} now; it is discarded at the next start: {}",
                            id, e.toString());
        }
    }

    private static int run(PreparedStatement statement, long... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            statement.setLong(i + 1, params[i]);
        }
        return statement.executeUpdate();
    }

    private boolean windowExists(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM event_window WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void discard(Connection c) throws SQLException {
        try (PreparedStatement staged = c.prepareStatement("DELETE FROM event_staging WHERE window_id = ?");
             PreparedStatement window = c.prepareStatement("DELETE FROM event_window WHERE id = ?")) {
            staged.setLong(1, id);
            staged.executeUpdate();
            window.setLong(1, id);
            window.executeUpdate();
        }
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("event window " + id + " is " + state.name().toLowerCase(Locale.ROOT));
        }
    }
}
