package dev.cursorexporter.store;

import dev.cursorexporter.cursor.Source;
import dev.cursorexporter.cursor.TokenUsage;
import dev.cursorexporter.cursor.UsageEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An {@link EventWindow} staged in the {@code event_staging} table: each page is one small transaction appending
 * its events, so memory stays bounded however large the window; {@link #commit} counts them per content hash and
 * merges them in one transaction. Not meant to be shared between threads, but safe if it is.
 */
final class SqliteEventWindow implements EventWindow {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventWindow.class);
    private static final long MS_PER_DAY = 86_400_000L;

    private static final String STAGE = """
            INSERT INTO event_staging (window_id, day, seq, hash, ts_ms, email, model, kind, billing, max_mode,
                                       cost_ucents, input_tokens, output_tokens, cache_read_tokens,
                                       cache_write_tokens)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * One staged day counted per content hash and merged as {@code max(stored, fetched)}; the update count says
     * whether the day changed. Identical hashes have identical stored fields, so any row of a group will do.
     */
    private static final String MERGE_DAY = """
            INSERT INTO usage_events (account_id, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents,
                                      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                                      multiplicity)
            SELECT ?, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents, input_tokens,
                   output_tokens, cache_read_tokens, cache_write_tokens, COUNT(*)
            FROM event_staging WHERE window_id = ? AND day = ? GROUP BY hash
            ON CONFLICT (account_id, day, hash) DO UPDATE SET multiplicity = excluded.multiplicity
            WHERE excluded.multiplicity > usage_events.multiplicity""";

    /** Adds (sign 1) or removes (sign -1) one day's rollup rows to the all-days totals. */
    private static final String TOTALS_DAY = """
            INSERT INTO usage_totals (account_id, email, model, billing, requests, cost_ucents, input_tokens,
                                      output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, email, model, billing, ?1 * requests, ?1 * cost_ucents, ?1 * input_tokens,
                   ?1 * output_tokens, ?1 * cache_read_tokens, ?1 * cache_write_tokens
            FROM usage_rollup WHERE account_id = ?2 AND day = ?3
            ON CONFLICT (account_id, email, model, billing) DO UPDATE SET
                requests           = requests           + excluded.requests,
                cost_ucents        = cost_ucents        + excluded.cost_ucents,
                input_tokens       = input_tokens       + excluded.input_tokens,
                output_tokens      = output_tokens      + excluded.output_tokens,
                cache_read_tokens  = cache_read_tokens  + excluded.cache_read_tokens,
                cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens""";

    private static final String ROLLUP_DAY = """
            INSERT INTO usage_rollup (account_id, day, email, model, billing, requests, cost_ucents, input_tokens,
                                      output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, email, model, billing, SUM(multiplicity), SUM(cost_ucents * multiplicity),
                   SUM(input_tokens * multiplicity), SUM(output_tokens * multiplicity),
                   SUM(cache_read_tokens * multiplicity), SUM(cache_write_tokens * multiplicity)
            FROM usage_events WHERE account_id = ? AND day = ?
            GROUP BY email, model, billing""";

    private static final String MODEL_DAY = """
            INSERT INTO usage_model_daily (account_id, day, model, requests, cost_ucents, input_tokens, output_tokens,
                                           cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, model, SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens),
                   SUM(cache_read_tokens), SUM(cache_write_tokens)
            FROM usage_rollup WHERE account_id = ? AND day = ?
            GROUP BY model""";

    private enum State { OPEN, COMMITTED, CLOSED }

    private final SqliteDatabase db;
    private final String account;
    private final LocalDate from;
    private final LocalDate to;
    private final long id;
    private State state = State.OPEN;
    /** Arrival order of staged events: appending keeps each page's transaction to a few b-tree pages. */
    private long seq;
    /** Days with staged events; a window spans at most a few dozen. */
    private final NavigableSet<Long> stagedDays = new TreeSet<>();

    private SqliteEventWindow(SqliteDatabase db, String account, LocalDate from, LocalDate to, long id) {
        this.db = db;
        this.account = account;
        this.from = from;
        this.to = to;
        this.id = id;
    }

    static SqliteEventWindow open(SqliteDatabase db, String account, LocalDate from, LocalDate to) {
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
                    ins.setString(i++, SqliteStore.email(e.userEmail()));
                    ins.setString(i++, e.model() == null ? "" : e.model());
                    ins.setString(i++, e.kind() == null ? "" : e.kind());
                    ins.setString(i++, e.billing().label());
                    ins.setInt(i++, e.maxMode() ? 1 : 0);
                    ins.setLong(i++, Micros.of(e.costCents()));
                    ins.setLong(i++, t.inputTokens());
                    ins.setLong(i++, t.outputTokens());
                    ins.setLong(i++, t.cacheReadTokens());
                    ins.setLong(i, t.cacheWriteTokens());
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
        checkOpen();
        db.write(c -> {
            if (!windowExists(c)) {
                throw new IllegalStateException("event window " + id + " was discarded (the store was reopened)");
            }
            long acc = SqliteStore.accountId(c, account);
            try (PreparedStatement merge = c.prepareStatement(MERGE_DAY);
                 PreparedStatement totals = c.prepareStatement(TOTALS_DAY);
                 PreparedStatement clearRollup = c.prepareStatement(
                         "DELETE FROM usage_rollup WHERE account_id = ? AND day = ?");
                 PreparedStatement fillRollup = c.prepareStatement(ROLLUP_DAY);
                 PreparedStatement clearModels = c.prepareStatement(
                         "DELETE FROM usage_model_daily WHERE account_id = ? AND day = ?");
                 PreparedStatement fillModels = c.prepareStatement(MODEL_DAY)) {
                for (long day : stagedDays) {
                    // Re-reading the look-back (or a window already stored) changes nothing and writes nothing.
                    if (run(merge, acc, id, day) == 0) {
                        continue;
                    }
                    // Recomputed rather than incremented: the rollups stay a pure function of usage_events.
                    run(totals, -1, acc, day);
                    run(clearRollup, acc, day);
                    run(fillRollup, acc, day);
                    run(totals, 1, acc, day);
                    run(clearModels, acc, day);
                    run(fillModels, acc, day);
                }
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
