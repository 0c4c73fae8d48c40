package dev.cursorexporter.bench;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.store.SqliteToPostgres;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.PostgresServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Store growth per member-year (issue 15, README "Sizing"): a backfill of {@code members} × {@code days} from the
 * simulator (Enterprise on, rate limits off) into SQLite by the exporter in this JVM; the file's size as the exporter
 * leaves it and after {@code VACUUM}; then the same store copied to the tests' throw-away PostgreSQL by
 * {@code migrate-store}'s class, {@code VACUUM ANALYZE}, and the sum of {@code pg_total_relation_size} over the store's
 * tables and {@code pg_database_size} (with an empty migrated database's size beside it).
 */
final class StoreSizing {

    void run(int members, int days, Path work) throws Exception {
        Path dataDir = work.resolve("sizing-" + members);
        Instant started = Instant.now();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(members).days(days).seed(1).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<BudgetFamily, Integer> limits = new EnumMap<>(BudgetFamily.class);
            for (BudgetFamily f : BudgetFamily.values()) {
                limits.put(f, 1000);
            }
            // backfill days - 1: that many complete days plus today are exactly the simulator's history
            ExporterConfig config = ExporterHarness.withRateLimits(
                    ExporterHarness.config(sim, dataDir, days - 1, UserLabelMode.EMAIL), limits);
            try (ExporterHarness exporter = ExporterHarness.start(config, Clock.systemUTC())) {
                exporter.awaitAllSourcesSince(started.getEpochSecond(), Duration.ofMinutes(60));
                // a long backfill yields between sources: each has succeeded long before its history is all stored
                while (true) {
                    List<Exposition.Sample> ratios = exporter.scrape().samples(
                            "cursor_exporter_backfill_progress_ratio");
                    if (!ratios.isEmpty() && ratios.stream().allMatch(r -> r.value() >= 1.0)
                            && enterpriseCaughtUp(dataDir.resolve(SqliteStore.FILE_NAME))) {
                        break;
                    }
                    Thread.sleep(5_000);
                }
            }
        }
        double synced = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        Path db = dataDir.resolve(SqliteStore.FILE_NAME);
        long sqliteAsLeft = Files.size(db) + sizeOr0(Path.of(db + "-wal"));
        long events;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            events = single(s, "SELECT COALESCE(SUM(multiplicity), 0) FROM usage_events");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        long sqliteCheckpointed = Files.size(db) + sizeOr0(Path.of(db + "-wal"));
        Path vacuumed = work.resolve("sizing-" + members + "-vacuumed.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("VACUUM INTO '" + vacuumed + "'");
        }
        long sqliteVacuumed = Files.size(vacuumed);
        Files.delete(vacuumed);

        PostgresServer server = PostgresServer.get();
        String empty = server.freshDatabase();
        String url = server.freshDatabase();
        long copyStarted = System.nanoTime();
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        SqliteToPostgres.Result result = new SqliteToPostgres(new SqliteToPostgres.Options(db, url,
                Optional.of(new Secret(PostgresServer.PASSWORD)), false, 1000),
                new PrintStream(table, true, StandardCharsets.UTF_8)).run();
        double copySeconds = (System.nanoTime() - copyStarted) / 1e9;
        if (!result.verified()) {
            throw new IllegalStateException("the copy differs:\n" + table.toString(StandardCharsets.UTF_8));
        }
        // an empty database migrated the same way, for the fixed part
        new SqliteToPostgres(new SqliteToPostgres.Options(emptyStore(work), empty,
                Optional.of(new Secret(PostgresServer.PASSWORD)), false, 1000),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
        long pgTables = postgres(url, """
                SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c
                WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace""");
        long pgDatabase = postgres(url, "SELECT pg_database_size(current_database())");
        long pgEmpty = postgres(empty, "SELECT pg_database_size(current_database())");

        double memberYears = members * (days / 365.0);
        System.out.printf("RESULT sizing %d members x %d days: %,d usage events, synced in %.0f s, copied to "
                + "PostgreSQL in %.0f s (%,d rows)%n", members, days, events, synced, copySeconds, result.rowsCopied());
        System.out.printf("RESULT sizing SQLite: %.1f MB as the exporter left it, %.1f MB after a WAL checkpoint, "
                        + "%.1f MB after VACUUM: %.2f MB per member-year (checkpointed)%n", sqliteAsLeft / 1e6,
                sqliteCheckpointed / 1e6, sqliteVacuumed / 1e6, sqliteCheckpointed / 1e6 / memberYears);
        System.out.printf("RESULT sizing PostgreSQL after VACUUM ANALYZE: tables with indexes and TOAST %.1f MB, "
                        + "pg_database_size %.1f MB (an empty migrated database: %.1f MB): %.2f MB per member-year "
                        + "(tables)%n", pgTables / 1e6, pgDatabase / 1e6, pgEmpty / 1e6,
                pgTables / 1e6 / memberYears);
    }

    /**
     * The backfill ratio counts daily usage and usage events only: the Enterprise sources (analytics, AI-code
     * commits, audit events) are caught up when every source in the coverage has as many days as the others.
     */
    private static boolean enterpriseCaughtUp(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(n), MAX(n) FROM (SELECT source, COUNT(*) AS n "
                     + "FROM coverage GROUP BY source)")) {
            return rs.next() && rs.getInt(1) >= 5 && rs.getInt(2) == rs.getInt(3);
        } catch (SQLException e) {
            return false; // busy: ask again
        }
    }

    /** A migrated SQLite store with nothing in it. */
    private static Path emptyStore(Path work) {
        Path dir = work.resolve("sizing-empty");
        SqliteStore.open(dir).close();
        return dir.resolve(SqliteStore.FILE_NAME);
    }

    private static long postgres(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
            return single(s, sql);
        }
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long sizeOr0(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
