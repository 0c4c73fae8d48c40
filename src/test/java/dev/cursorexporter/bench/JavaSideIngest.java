package dev.cursorexporter.bench;

import dev.cursorexporter.cursor.EventPages;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.store.SqliteStore;

import org.sqlite.SQLiteConfig;

import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Benchmark-only alternative design for event ingestion (issue 13 item 5, BENCHMARKS.md "Measured alternative"):
 * no event is handed to SQLite as a row. Each page is counted in Java, and the commit writes, in one transaction,
 * only one (day, content hash, multiplicity) row per distinct event and the rollup rows. It writes into a store
 * file migrated by the real store, so the rollup tables are the real ones and can be compared with what
 * {@code EventWindow.commit} wrote for the same pages ({@link #requireSameAs}).
 *
 * <p>It implements the merge ({@code commit}) only: a stored multiplicity is read back and only a rise is added to
 * the rollups, as {@code max(stored, fetched)} does in the store (with one difference: the rise is priced at the
 * fetched cost, where the store keeps the stored event's cost until a replacing read). The replacing commit
 * (restatements, REFERENCE.md Q21), which every complete read uses, cannot be written on these rows: on the last,
 * partly read day it must keep the stored events after the read, and a (day, hash, multiplicity) row has neither
 * their time nor their measures. Kept in memory until the commit, the window also costs heap in proportion to its
 * events, where the store's staging costs none.
 */
final class JavaSideIngest {

    /** What is kept per event. */
    enum Mode {
        /** The content hash and multiplicity per distinct event, as the store needs for idempotent re-reads. */
        IDENTITIES,
        /** Nothing per event, only rollups: no idempotence at all, the bound of not writing per event. */
        ROLLUPS_ONLY
    }

    /** The only account of a new file, as the store's "default" is in its own (compared by {@link #requireSameAs}). */
    private static final long ACCOUNT_ID = 1;
    private static final long MS_PER_DAY = 86_400_000L;
    /** Scale of the store's money columns (micro-cents, {@code Micros}). */
    private static final int MICROS = 6;

    /** The store's usage_events key with none of its other columns. */
    private static final String IDENTITY_TABLE = """
            CREATE TABLE usage_identity (
                account_id   INTEGER NOT NULL,
                day          INTEGER NOT NULL,
                hash         BLOB    NOT NULL,
                multiplicity INTEGER NOT NULL,
                PRIMARY KEY (account_id, day, hash)
            ) STRICT, WITHOUT ROWID""";

    /** Only called for a rise: the caller has read the stored multiplicity. */
    private static final String PUT_IDENTITY = """
            INSERT INTO usage_identity (account_id, day, hash, multiplicity) VALUES (?, ?, ?, ?)
            ON CONFLICT (account_id, day, hash) DO UPDATE SET multiplicity = excluded.multiplicity""";

    private static final String MEASURES =
            "requests, cost_ucents, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens";
    private static final String SUMS = "SUM(requests), SUM(cost_ucents), SUM(input_tokens), SUM(output_tokens), "
            + "SUM(cache_read_tokens), SUM(cache_write_tokens)";
    private static final String ADD_MEASURES = """
            requests = requests + excluded.requests, cost_ucents = cost_ucents + excluded.cost_ucents,
            input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
            cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
            cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens""";

    private static final String ADD_ROLLUP = "INSERT INTO usage_rollup (account_id, day, email, model, billing, actor, "
            + MEASURES + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (account_id, day, email, model, billing, actor) DO UPDATE SET " + ADD_MEASURES;
    private static final String ADD_TOTALS = "INSERT INTO usage_totals (account_id, email, model, billing, actor, "
            + MEASURES + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (account_id, email, model, billing, actor) DO UPDATE SET " + ADD_MEASURES;

    /** usage_rollup with each e-mail's team and location, unassigned e-mails under '' (as the store groups them). */
    private static final String ROLLUP_BY_GROUP = "(SELECT r.*, COALESCE(g.team, '') AS team, "
            + "COALESCE(g.location, '') AS location FROM usage_rollup r "
            + "LEFT JOIN directory_assignment g ON g.email = r.email)";

    /**
     * The tables the store derives from usage_rollup, recomputed per changed day the way the store does: only
     * usage_rollup itself moves to Java in this design.
     */
    private static final List<Derived> DERIVED = List.of(
            new Derived("usage_model_daily", "model", "usage_rollup"),
            new Derived("usage_user_daily", "email", "usage_rollup"),
            new Derived("usage_group_daily", "team, location, model, billing, actor", ROLLUP_BY_GROUP),
            new Derived("usage_team_daily", "team, location", "usage_group_daily"));

    /** The rollup tables both designs write, compared row for row. */
    private static final List<Compared> ROLLUPS = List.of(Compared.same("usage_rollup"), Compared.same("usage_totals"),
            Compared.same("usage_model_daily"), Compared.same("usage_user_daily"), Compared.same("usage_group_daily"),
            Compared.same("usage_team_daily"));
    /** What this design keeps per event, against the same columns of the store's events. */
    private static final Compared IDENTITIES = new Compared("usage_identity", "usage_events",
            "account_id, day, hash, multiplicity");

    /** A table of this design's file, the store's table that must hold the same rows, and the columns compared. */
    private record Compared(String mine, String store, String columns) {
        static Compared same(String table) {
            return new Compared(table, table, "*");
        }
    }

    /** One table summed per day from another, keyed by {@code columns} under (account, day). */
    private record Derived(String table, String columns, String source) {
        String clear() {
            return "DELETE FROM " + table + " WHERE account_id = ?1 AND day = ?2";
        }

        String fill() {
            return "INSERT INTO " + table + " (account_id, day, " + columns + ", " + MEASURES + ") SELECT account_id, "
                    + "day, " + columns + ", " + SUMS + " FROM " + source + " WHERE account_id = ?1 AND day = ?2"
                    + " GROUP BY " + columns;
        }
    }

    /** A distinct event of a day: its 128-bit content hash as two longs rather than 32 hex characters. */
    private record Identity(long day, long high, long low) {
        static Identity of(long day, String hex) {
            return new Identity(day, HexFormat.fromHexDigitsToLong(hex, 0, 16),
                    HexFormat.fromHexDigitsToLong(hex, 16, 32));
        }

        static Identity of(long day, byte[] hash) {
            ByteBuffer b = ByteBuffer.wrap(hash);
            return new Identity(day, b.getLong(), b.getLong());
        }

        byte[] hash() {
            return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
        }
    }

    private record RollupKey(long day, String email, String model, String billing, String actor) {
    }

    private record TotalsKey(String email, String model, String billing, String actor) {
    }

    /**
     * One distinct event of the window: its rollup key, its measures ({@link #measures}) and how often the window
     * returned it. Mutable because counting it is the per-event hot path.
     */
    private static final class Staged {
        private final RollupKey key;
        private final long[] measures;
        private long count;

        private Staged(RollupKey key, long[] measures) {
            this.key = key;
            this.measures = measures;
        }
    }

    private final Mode mode;
    private final Map<Identity, Staged> staged = new HashMap<>();
    private final Map<RollupKey, long[]> rollups = new HashMap<>();

    private JavaSideIngest(Mode mode) {
        this.mode = mode;
    }

    /**
     * Parses and ingests every page as one window into a new store file under {@code dir}; nanoseconds from the
     * first parse to the end of the commit (opening and migrating the file are outside, as for the store).
     */
    static long run(EventPages parser, List<String> pages, Path dir, Mode mode) {
        SqliteStore.open(dir).close(); // the real schema, migrated by the real store
        try (Connection c = connect(dir)) {
            try (Statement s = c.createStatement()) {
                s.execute(IDENTITY_TABLE);
                s.execute("INSERT INTO account (id, name) VALUES (" + ACCOUNT_ID + ", 'default')");
            }
            long start = System.nanoTime();
            JavaSideIngest window = new JavaSideIngest(mode);
            for (String page : pages) {
                window.add(parser.parse(page));
            }
            window.commit(c);
            return System.nanoTime() - start;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails unless every rollup table under {@code dir} holds exactly the rows the store wrote under
     * {@code storeDir} for the same pages, and (for {@link Mode#IDENTITIES}) usage_identity exactly the store's
     * (day, hash, multiplicity). Returns the number of rows compared.
     */
    static long requireSameAs(Path dir, Path storeDir, Mode mode) {
        List<Compared> compared = new ArrayList<>(ROLLUPS);
        if (mode == Mode.IDENTITIES) {
            compared.add(IDENTITIES);
        }
        try (Connection c = connect(dir); Statement s = c.createStatement()) {
            s.execute("ATTACH DATABASE '" + storeDir.resolve(SqliteStore.FILE_NAME) + "' AS store");
            long rows = 0;
            for (Compared t : compared) {
                String mine = "SELECT " + t.columns() + " FROM main." + t.mine();
                String theirs = "SELECT " + t.columns() + " FROM store." + t.store();
                long differing = count(s, "SELECT COUNT(*) FROM (" + mine + " EXCEPT " + theirs + ")")
                        + count(s, "SELECT COUNT(*) FROM (" + theirs + " EXCEPT " + mine + ")");
                long n = count(s, "SELECT COUNT(*) FROM main." + t.mine());
                if (differing > 0 || n == 0) {
                    throw new IllegalStateException(mode + ": " + t.mine() + " has " + n + " rows, " + differing
                            + " differing from the store's " + t.store());
                }
                rows += n;
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(List<UsageEvent> page) {
        for (UsageEvent e : page) {
            long day = Math.floorDiv(e.timestamp().toEpochMilli(), MS_PER_DAY);
            RollupKey key = new RollupKey(day, email(e.userKey()), e.model() == null ? "" : e.model(),
                    e.billing().label(), e.actor().label());
            if (mode == Mode.IDENTITIES) {
                // Identical hashes have identical stored fields, so the first one's key and measures stand for all.
                staged.computeIfAbsent(Identity.of(day, e.contentHash()), id -> new Staged(key, measures(e)))
                        .count++;
            } else {
                addScaled(rollups, key, measures(e), 1);
            }
        }
    }

    private void commit(Connection c) throws SQLException {
        c.setAutoCommit(false);
        if (mode == Mode.IDENTITIES) {
            putIdentities(c);
        }
        putRollups(c);
        c.commit();
    }

    /**
     * Writes each distinct event whose multiplicity rose and adds the rise to the rollups: the store's
     * {@code max(stored, fetched)} merge. In hash-map order: sorting by the key first made the inserts about
     * 40 ms faster and cost about 80 ms.
     */
    private void putIdentities(Connection c) throws SQLException {
        Map<Identity, Long> stored = storedMultiplicities(c);
        try (PreparedStatement put = c.prepareStatement(PUT_IDENTITY)) {
            for (Map.Entry<Identity, Staged> e : staged.entrySet()) {
                Staged s = e.getValue();
                long before = stored.getOrDefault(e.getKey(), 0L);
                if (s.count <= before) {
                    continue;
                }
                put.setLong(1, ACCOUNT_ID);
                put.setLong(2, e.getKey().day());
                put.setBytes(3, e.getKey().hash());
                put.setLong(4, s.count);
                put.addBatch();
                addScaled(rollups, s.key, s.measures, s.count - before);
            }
            put.executeBatch();
        }
    }

    /** What the file already holds for the window's days (nothing in the benchmark; read as a merge must). */
    private Map<Identity, Long> storedMultiplicities(Connection c) throws SQLException {
        NavigableSet<Long> days = new TreeSet<>();
        staged.keySet().forEach(id -> days.add(id.day()));
        Map<Identity, Long> stored = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT hash, multiplicity FROM usage_identity WHERE account_id = ? AND day = ?")) {
            for (long day : days) {
                q.setLong(1, ACCOUNT_ID);
                q.setLong(2, day);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stored.put(Identity.of(day, rs.getBytes(1)), rs.getLong(2));
                    }
                }
            }
        }
        return stored;
    }

    /**
     * Adds the rollup deltas to usage_rollup and, summed over the days first (12,648 rows instead of 30,622 in the
     * 7-day benchmark), to usage_totals; then recomputes the derived tables of each changed day.
     */
    private void putRollups(Connection c) throws SQLException {
        NavigableSet<Long> days = new TreeSet<>();
        Map<TotalsKey, long[]> allDays = new HashMap<>();
        try (PreparedStatement rollup = c.prepareStatement(ADD_ROLLUP);
             PreparedStatement totals = c.prepareStatement(ADD_TOTALS)) {
            for (Map.Entry<RollupKey, long[]> e : rollups.entrySet()) {
                RollupKey k = e.getKey();
                bind(rollup, e.getValue(), ACCOUNT_ID, k.day(), k.email(), k.model(), k.billing(), k.actor());
                addScaled(allDays, new TotalsKey(k.email(), k.model(), k.billing(), k.actor()), e.getValue(), 1);
                days.add(k.day());
            }
            for (Map.Entry<TotalsKey, long[]> e : allDays.entrySet()) {
                TotalsKey k = e.getKey();
                bind(totals, e.getValue(), ACCOUNT_ID, k.email(), k.model(), k.billing(), k.actor());
            }
            rollup.executeBatch();
            totals.executeBatch();
        }
        for (Derived d : DERIVED) {
            try (PreparedStatement clear = c.prepareStatement(d.clear());
                 PreparedStatement fill = c.prepareStatement(d.fill())) {
                for (long day : days) {
                    for (PreparedStatement s : List.of(clear, fill)) {
                        s.setLong(1, ACCOUNT_ID);
                        s.setLong(2, day);
                        s.executeUpdate();
                    }
                }
            }
        }
    }

    /** Binds {@code keys} (Long or String), then the six measures, and adds the row to the batch. */
    private static void bind(PreparedStatement s, long[] measures, Object... keys) throws SQLException {
        int i = 1;
        for (Object k : keys) {
            s.setObject(i++, k);
        }
        for (long m : measures) {
            s.setLong(i++, m);
        }
        s.addBatch();
    }

    private static <K> void addScaled(Map<K, long[]> sums, K key, long[] measures, long factor) {
        long[] sum = sums.computeIfAbsent(key, k -> new long[measures.length]);
        for (int i = 0; i < measures.length; i++) {
            sum[i] += factor * measures[i];
        }
    }

    /** One event's contribution in the order of {@link #MEASURES}, as the store converts it. */
    private static long[] measures(UsageEvent e) {
        TokenUsage t = e.tokenUsage() == null ? TokenUsage.NONE : e.tokenUsage();
        long cost = e.costCents().setScale(MICROS, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
        return new long[] {1, cost, t.inputTokens(), t.outputTokens(), t.cacheReadTokens(), t.cacheWriteTokens()};
    }

    /** As the store keys e-mails ({@code SqliteStore.email}, package-private there). */
    private static String email(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A connection with the store's per-connection settings ({@code SqliteDatabase}, package-private there): WAL,
     * {@code synchronous=NORMAL}, immediate transactions, a 4 MiB page cache, temporary b-trees in a file.
     */
    private static Connection connect(Path dir) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-4_096);
        config.setJournalSizeLimit(64 * 1024 * 1024);
        config.setTempStore(SQLiteConfig.TempStore.FILE);
        return config.createConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
    }
}
