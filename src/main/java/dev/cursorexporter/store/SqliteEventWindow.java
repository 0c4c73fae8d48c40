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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An {@link EventWindow} staged in the {@code event_staging} table: each page is one small transaction counting
 * events per content hash, so memory stays bounded however large the window; {@link #commit} merges it in one
 * transaction. Not meant to be shared between threads, but safe if it is.
 */
final class SqliteEventWindow implements EventWindow {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventWindow.class);
    private static final long MS_PER_DAY = 86_400_000L;

    private static final String STAGE = """
            INSERT INTO event_staging (window_id, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents,
                                       input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT (window_id, day, hash) DO UPDATE SET count = count + 1""";

    /** Staged days whose merge changes anything; evaluated before the merge. */
    private static final String CHANGED_DAYS = """
            SELECT DISTINCT s.day FROM event_staging s
            LEFT JOIN usage_events e ON e.account_id = ? AND e.day = s.day AND e.hash = s.hash
            WHERE s.window_id = ? AND (e.multiplicity IS NULL OR e.multiplicity < s.count)
            ORDER BY s.day""";

    private static final String MERGE = """
            INSERT INTO usage_events (account_id, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents,
                                      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                                      multiplicity)
            SELECT ?, day, hash, ts_ms, email, model, kind, billing, max_mode, cost_ucents, input_tokens,
                   output_tokens, cache_read_tokens, cache_write_tokens, count
            FROM event_staging WHERE window_id = ? AND day = ?
            ON CONFLICT (account_id, day, hash) DO UPDATE SET multiplicity = excluded.multiplicity
            WHERE excluded.multiplicity > usage_events.multiplicity""";

    private static final String ROLLUP_DAY = """
            INSERT INTO usage_rollup (account_id, day, email, model, billing, requests, cost_ucents, input_tokens,
                                      output_tokens, cache_read_tokens, cache_write_tokens)
            SELECT account_id, day, email, model, billing, SUM(multiplicity), SUM(cost_ucents * multiplicity),
                   SUM(input_tokens * multiplicity), SUM(output_tokens * multiplicity),
                   SUM(cache_read_tokens * multiplicity), SUM(cache_write_tokens * multiplicity)
            FROM usage_events WHERE account_id = ? AND day = ?
            GROUP BY email, model, billing""";

    private enum State { OPEN, COMMITTED, CLOSED }

    private final SqliteDatabase db;
    private final String account;
    private final LocalDate from;
    private final LocalDate to;
    private final long id;
    private State state = State.OPEN;

    private SqliteEventWindow(SqliteDatabase db, String account, LocalDate from, LocalDate to, long id) {
        this.db = db;
        this.account = account;
        this.from = from;
        this.to = to;
        this.id = id;
    }

    static SqliteEventWindow open(SqliteDatabase db, String account, LocalDate from, LocalDate to) {
        long id = db.write(c -> {
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
                    int i = 1;
                    ins.setLong(i++, id);
                    ins.setLong(i++, Math.floorDiv(ts, MS_PER_DAY));
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
            // Only days where something changes are merged and re-rolled: re-reading the look-back (or a
            // window already stored) then costs one lookup per event and writes nothing.
            List<Long> changedDays = changedDays(c, acc);
            try (PreparedStatement merge = c.prepareStatement(MERGE);
                 PreparedStatement clear = c.prepareStatement(
                         "DELETE FROM usage_rollup WHERE account_id = ? AND day = ?");
                 PreparedStatement fill = c.prepareStatement(ROLLUP_DAY)) {
                for (long day : changedDays) {
                    merge.setLong(1, acc);
                    merge.setLong(2, id);
                    merge.setLong(3, day);
                    merge.executeUpdate();
                    // Recomputed rather than incremented: the rollup stays a pure function of usage_events.
                    clear.setLong(1, acc);
                    clear.setLong(2, day);
                    clear.executeUpdate();
                    fill.setLong(1, acc);
                    fill.setLong(2, day);
                    fill.executeUpdate();
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

    private List<Long> changedDays(Connection c, long acc) throws SQLException {
        List<Long> days = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(CHANGED_DAYS)) {
            q.setLong(1, acc);
            q.setLong(2, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getLong(1));
                }
            }
        }
        return days;
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
