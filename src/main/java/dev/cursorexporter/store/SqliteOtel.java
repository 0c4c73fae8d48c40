package dev.cursorexporter.store;

import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.model.OtelLogRecord;
import dev.cursorexporter.model.OtelTokens;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link OtelStore} on the SQLite file (tables of V12, and V14's estimated cost per day). One request is one
 * transaction, so a request is counted whole or not at all, and what was answered 200 survives {@code kill -9} (see
 * {@link SqliteDatabase}).
 *
 * <p>Every label value and identity passes a per-dimension bound before it is stored ({@link #LIMITS}): the first
 * values seen are admitted up to the dimension's limit, later new ones are stored as {@value #OTHER}. So neither the
 * store nor the snapshot grows without bound whatever a sender (holding the token) sends.
 */
final class SqliteOtel implements OtelStore {
    static final String OTHER = "other";
    /**
     * Log records' event ids, and api.request tokens waiting for a correction, are kept this long: Cursor retries
     * logs for about 7 days, so a retry of an older record is counted again only after 8.
     */
    static final Duration WINDOW = Duration.ofDays(8);
    /** Pruning deletes through an index on the time; once in this long is enough. */
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    /** Longer label values are cut: no model, tool or server name comes near it. */
    static final int MAX_VALUE_CHARS = 128;
    /** Distinct values admitted per dimension; the fixed enumerations of the wire reference fit with room. */
    static final Map<String, Integer> LIMITS = Map.ofEntries(
            Map.entry("email", 50_000), Map.entry("account_id", 50_000),
            Map.entry("model", 200), Map.entry("tool", 500), Map.entry("mcp_server", 200), Map.entry("event", 200),
            Map.entry("surface", 32), Map.entry("tool_kind", 32), Map.entry("status", 32),
            Map.entry("token_type", 32), Map.entry("kind", 32), Map.entry("outcome", 32));
    private static final char SEPARATOR = '\u001f';

    private final Database db;
    /** When ids were last pruned (of this process; the first request after a start prunes). */
    private volatile Instant lastPrune = Instant.EPOCH;

    SqliteOtel(Database db) {
        this.db = db;
    }

    @Override
    public int apply(OtelBatch batch, Instant receivedAt) {
        long now = receivedAt.toEpochMilli();
        boolean prune = receivedAt.isAfter(lastPrune.plus(PRUNE_EVERY));
        int duplicates = db.write(c -> {
            try (Writer w = new Writer(c)) {
                return applyIn(c, w, batch, now, prune);
            }
        });
        if (prune) {
            lastPrune = receivedAt;
        }
        return duplicates;
    }

    private static int applyIn(Connection c, Writer w, OtelBatch batch, long now, boolean prune)
            throws SQLException {
        // first, so that a retry older than the window is judged against the window, not against a stale id
        if (prune) {
            long before = now - WINDOW.toMillis();
            for (String table : List.of("otel_seen_event", "otel_api_request", "otel_correction")) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE received_ms < ?")) {
                    s.setLong(1, before);
                    s.executeUpdate();
                }
            }
        }
        for (OtelIncrement i : batch.increments()) {
            w.add(i.family(), i.who(), i.labels(), i.value());
            if (i.family() == OtelFamily.COST) {
                w.costOfDay(i.day(), i.who(), i.value());
            }
        }
        int dups = 0;
        for (OtelLogRecord r : batch.logs()) {
            if (!w.firstSighting(r.eventId(), now)) {
                dups++;
                continue;
            }
            w.add(OtelFamily.LOG_EVENTS, r.who(), List.of(r.surface(), r.event()), 1);
            if (!r.outcome().isEmpty()) {
                w.add(OtelFamily.EVENT_OUTCOMES, r.who(), List.of(r.surface(), r.event(), r.outcome()), 1);
            }
            switch (r.event()) {
                case OtelLogRecord.MCP_AUTH_ERROR ->
                        w.add(OtelFamily.MCP_AUTH_ERRORS, OtelIdentity.NOBODY, List.of(r.mcpServer()), 1);
                case OtelLogRecord.API_REQUEST -> w.request(r, now);
                case OtelLogRecord.API_CORRECTION -> w.correction(r, now);
                default -> { }
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO otel_receipt (signal, received_ms) "
                + "VALUES (?, ?) ON CONFLICT (signal) DO UPDATE SET received_ms = MAX(received_ms, "
                + "excluded.received_ms)")) {
            s.setString(1, batch.signal());
            s.setLong(2, now);
            s.executeUpdate();
        }
        return dups;
    }

    /** The statements of one transaction, prepared once each. */
    private static final class Writer implements AutoCloseable {
        private final Connection c;
        private final PreparedStatement add;
        private final PreparedStatement known;
        private final PreparedStatement count;
        private final PreparedStatement admit;
        private final PreparedStatement seen;
        private final PreparedStatement costOfDay;
        /** Bounded values of this transaction: a batch repeats the same few many times. */
        private final Map<String, String> admitted = new HashMap<>();

        Writer(Connection c) throws SQLException {
            this.c = c;
            this.add = c.prepareStatement("INSERT INTO otel_counter (family, email, account_id, labels, value) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (family, email, account_id, labels) DO UPDATE SET "
                    + "value = value + excluded.value");
            this.known = c.prepareStatement("SELECT 1 FROM otel_label_value WHERE dimension = ? AND value = ?");
            this.count = c.prepareStatement("SELECT COUNT(*) FROM otel_label_value WHERE dimension = ?");
            this.admit = c.prepareStatement("INSERT INTO otel_label_value (dimension, value) VALUES (?, ?)");
            this.seen = c.prepareStatement("INSERT OR IGNORE INTO otel_seen_event (event_id, received_ms) "
                    + "VALUES (?, ?)");
            this.costOfDay = c.prepareStatement("INSERT INTO otel_cost_daily (day, email, account_id, micro_usd) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (day, email, account_id) DO UPDATE SET "
                    + "micro_usd = micro_usd + excluded.micro_usd");
        }

        /**
         * Adds a cost delta to its identity's UTC day, with the identity bounded as the counter's is, so the days of
         * an identity always add up to what its counters received since V14.
         */
        void costOfDay(LocalDate day, OtelIdentity who, long microUsd) throws SQLException {
            if (microUsd == 0) {
                return;
            }
            costOfDay.setLong(1, day.toEpochDay());
            costOfDay.setString(2, bounded("email", who.email()));
            costOfDay.setString(3, bounded("account_id", who.accountId()));
            costOfDay.setLong(4, microUsd);
            costOfDay.executeUpdate();
        }

        void add(OtelFamily family, OtelIdentity who, List<String> labels, long value) throws SQLException {
            if (value == 0) {
                return;
            }
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    joined.append(SEPARATOR);
                }
                joined.append(bounded(family.dimensions().get(i), labels.get(i)));
            }
            add.setString(1, family.key());
            add.setString(2, bounded("email", who.email()));
            add.setString(3, bounded("account_id", who.accountId()));
            add.setString(4, joined.toString());
            add.setLong(5, value);
            add.executeUpdate();
        }

        /** {@code value} when admitted in its dimension (now or before), else {@value #OTHER}; "" stays "". */
        String bounded(String dimension, String raw) throws SQLException {
            String value = raw.replace(SEPARATOR, ' ');
            if (value.length() > MAX_VALUE_CHARS) {
                value = value.substring(0, MAX_VALUE_CHARS);
            }
            if (value.isEmpty() || value.equals(OTHER)) {
                return value;
            }
            String key = dimension + SEPARATOR + value;
            String cached = admitted.get(key);
            if (cached != null) {
                return cached;
            }
            String result = admit(dimension, value) ? value : OTHER;
            admitted.put(key, result);
            return result;
        }

        private boolean admit(String dimension, String value) throws SQLException {
            known.setString(1, dimension);
            known.setString(2, value);
            try (ResultSet rs = known.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
            count.setString(1, dimension);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= LIMITS.getOrDefault(dimension, 32)) {
                    return false;
                }
            }
            admit.setString(1, dimension);
            admit.setString(2, value);
            admit.executeUpdate();
            return true;
        }

        /** Records the event id; false when it was already there (a retry). */
        boolean firstSighting(String eventId, long now) throws SQLException {
            seen.setString(1, eventId);
            seen.setLong(2, now);
            return seen.executeUpdate() == 1;
        }

        /** Keeps an api.request's tokens by usage event id, and applies a correction that came first. */
        void request(OtelLogRecord r, long now) throws SQLException {
            if (r.usageEventId().isEmpty()) {
                return;
            }
            OtelTokens t = r.tokens();
            String surface = bounded("surface", r.surface());
            String model = bounded("model", r.model());
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT OR IGNORE INTO otel_api_request (usage_event_id, received_ms, email, account_id, surface,
                        model, input, output, cache_read, cache_write) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                s.setString(1, r.usageEventId());
                s.setLong(2, now);
                s.setString(3, bounded("email", r.who().email()));
                s.setString(4, bounded("account_id", r.who().accountId()));
                s.setString(5, surface);
                s.setString(6, model);
                s.setLong(7, t.input());
                s.setLong(8, t.output());
                s.setLong(9, t.cacheRead());
                s.setLong(10, t.cacheWrite());
                if (s.executeUpdate() == 0) {
                    return; // the same usage event under another event id: counted for corrections once
                }
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT kind FROM otel_correction WHERE usage_event_id = ? AND applied = 0")) {
                q.setString(1, r.usageEventId());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        corrected(r.usageEventId(), rs.getString(1), r.who(), surface, model, t);
                    }
                }
            }
        }

        /** Keeps a correction by the usage event it corrects, and applies it to that request if already seen. */
        void correction(OtelLogRecord r, long now) throws SQLException {
            if (r.usageEventId().isEmpty()) {
                return;
            }
            String kind = bounded("kind", r.correctionKind().isEmpty() ? "unspecified" : r.correctionKind());
            try (PreparedStatement s = c.prepareStatement("INSERT OR IGNORE INTO otel_correction (usage_event_id, "
                    + "received_ms, kind, applied) VALUES (?, ?, ?, 0)")) {
                s.setString(1, r.usageEventId());
                s.setLong(2, now);
                s.setString(3, kind);
                if (s.executeUpdate() == 0) {
                    return; // a second correction of the same usage event corrects nothing more
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT email, account_id, surface, model, input, output, "
                    + "cache_read, cache_write FROM otel_api_request WHERE usage_event_id = ?")) {
                q.setString(1, r.usageEventId());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        corrected(r.usageEventId(), kind, new OtelIdentity(rs.getString(1), rs.getString(2)),
                                rs.getString(3), rs.getString(4), new OtelTokens(rs.getLong(5), rs.getLong(6),
                                        rs.getLong(7), rs.getLong(8)));
                    }
                }
            }
        }

        private void corrected(String usageEventId, String kind, OtelIdentity who, String surface, String model,
                               OtelTokens tokens) throws SQLException {
            add(OtelFamily.CORRECTED_REQUESTS, who, List.of(surface, model, kind), 1);
            long[] byType = tokens.byType();
            for (int i = 0; i < byType.length; i++) {
                add(OtelFamily.CORRECTED_TOKENS, who, List.of(surface, model, kind, OtelTokens.TYPES.get(i)),
                        byType[i]);
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE otel_correction SET applied = 1 WHERE usage_event_id = ?")) {
                s.setString(1, usageEventId);
                s.executeUpdate();
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement s : List.of(add, known, count, admit, seen, costOfDay)) {
                s.close();
            }
        }
    }

    @Override
    public void counters(Consumer<? super OtelCounter> sink) {
        db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT family, email, account_id, labels, value FROM otel_counter");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    OtelFamily family = OtelFamily.ofKey(rs.getString(1));
                    List<String> labels = split(rs.getString(4), family.dimensions().size());
                    sink.accept(new OtelCounter(family, new OtelIdentity(rs.getString(2), rs.getString(3)), labels,
                            rs.getLong(5)));
                }
            }
            return null;
        });
    }

    private static List<String> split(String joined, int size) {
        List<String> out = new ArrayList<>(Arrays.asList(joined.split(String.valueOf(SEPARATOR), -1)));
        while (out.size() < size) { // a family that gained a dimension reads its old rows with ""
            out.add("");
        }
        return List.copyOf(out.subList(0, size));
    }

    @Override
    public void dailyCost(LocalDate from, LocalDate to, Consumer<? super OtelDailyCost> sink) {
        SqliteStore.checkRange(from, to);
        db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT day, email, account_id, micro_usd "
                    + "FROM otel_cost_daily WHERE day BETWEEN ? AND ? ORDER BY day, email, account_id")) {
                q.setLong(1, from.toEpochDay());
                q.setLong(2, to.toEpochDay());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new OtelDailyCost(LocalDate.ofEpochDay(rs.getLong(1)),
                                new OtelIdentity(rs.getString(2), rs.getString(3)), rs.getLong(4)));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Optional<LocalDate> newestCostDay() {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT MAX(day) FROM otel_cost_daily");
                 ResultSet rs = q.executeQuery()) {
                rs.next(); // an aggregate always has its row; NULL when the table is empty
                long day = rs.getLong(1);
                return rs.wasNull() ? Optional.<LocalDate>empty() : Optional.of(LocalDate.ofEpochDay(day));
            }
        });
    }

    @Override
    public Map<String, Instant> lastReceived() {
        return db.read(c -> {
            Map<String, Instant> out = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT signal, received_ms FROM otel_receipt");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
            return Map.copyOf(out);
        });
    }
}
