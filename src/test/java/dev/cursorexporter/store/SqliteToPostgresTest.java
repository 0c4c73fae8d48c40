package dev.cursorexporter.store;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.model.OtelLogRecord;
import dev.cursorexporter.model.OtelTokens;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.EnterpriseMode;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.RemovedMembers;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SqliteToPostgres} on a real SQLite store (synced from the simulator with Enterprise, plus OTLP data) and the
 * tests' throw-away PostgreSQL: every row of every table arrives exactly, sequences and triggers are as the store
 * needs them, and what must be refused is refused.
 */
class SqliteToPostgresTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Secret PASSWORD = new Secret(PostgresServer.PASSWORD);

    /** A synced store, made once and copied into each test's data directory. */
    private static Path template;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void syncAStore(@TempDir Path dir) {
        PostgresServer.get(); // skipped here (not in CI) when PostgreSQL is not installed, before the sync
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(10).days(20).seed(3)
                .profile(Profile.DOCS_LATEST).removedMembers(RemovedMembers.LISTED).enterprise(EnterpriseMode.ON)
                .live(false).clock(CLOCK).build())) {
            ExporterConfig config = ExporterHarness.config(sim, dir, 20, UserLabelMode.EMAIL);
            try (ExporterHarness exporter = ExporterHarness.start(config, CLOCK)) {
                exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(90));
            }
        }
        try (SqliteStore store = SqliteStore.open(dir)) {
            OtelIdentity ana = new OtelIdentity("ana@acme.com", "");
            LocalDate day = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
            store.otel().apply(new OtelBatch("metrics", List.of(
                    new OtelIncrement(OtelFamily.TOKENS, ana, List.of("desktop", "gpt-5", "input"), 1234, day),
                    new OtelIncrement(OtelFamily.COST, ana, List.of("desktop", "gpt-5"), 2_500_000, day)),
                    List.of()), NOW);
            store.otel().apply(new OtelBatch("logs", List.of(), List.of(
                    new OtelLogRecord("e1", OtelLogRecord.API_REQUEST, ana, "cli", "gpt-5", "unknown", "u1", "", "",
                            new OtelTokens(10, 20, 30, 40)),
                    new OtelLogRecord("e2", OtelLogRecord.API_CORRECTION, ana, "cli", "unknown", "unknown", "u1",
                            "not_billed_errored", "", OtelTokens.NONE))), NOW);
        }
        template = dir.resolve(SqliteStore.FILE_NAME);
    }

    private Path source() throws IOException {
        Path file = dataDir.resolve(SqliteStore.FILE_NAME);
        Files.copy(template, file);
        return file;
    }

    private static SqliteToPostgres.Options options(Path source, String url, boolean replace) {
        return new SqliteToPostgres.Options(source, url, Optional.of(PASSWORD), replace, 7);
    }

    @Test
    void everyRowOfEveryTableArrivesExactlyAndTheTotalsAgree() throws Exception {
        Path source = source();
        String url = PostgresStores.freshDatabase();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SqliteToPostgres.Result result = new SqliteToPostgres(options(source, url, false),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertTrue(result.verified(), printed.toString(StandardCharsets.UTF_8));
        Map<String, List<String>> fromSqlite;
        Map<String, List<String>> fromPostgres;
        try (Connection pg = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + source)) {
            Map<String, List<String>> columns = postgresColumns(pg);
            fromSqlite = dump(sqlite, columns);
            fromPostgres = dump(pg, columns);
        }
        assertEquals(fromSqlite.keySet(), fromPostgres.keySet());
        for (String table : fromSqlite.keySet()) {
            assertEquals(fromSqlite.get(table), fromPostgres.get(table), table);
        }
        long filled = fromSqlite.values().stream().filter(rows -> !rows.isEmpty()).count();
        assertTrue(filled >= 25, "tables with rows: " + filled + " of " + fromSqlite.size());
        for (String t : List.of("usage_events", "daily_usage", "activity_totals", "usage_totals", "billing_group",
                "analytics_daily", "ai_code_commit", "otel_counter", "otel_api_request", "otel_cost_daily")) {
            assertFalse(fromSqlite.get(t).isEmpty(), t + " has rows to copy");
        }
        assertEquals(fromSqlite.values().stream().mapToLong(List::size).sum(), result.rowsCopied());
        String table = printed.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("usage_rollup") && table.contains("cost_ucents") && table.contains("verified:"),
                table);
    }

    @Test
    void theCopiedStoreWorksOnPostgresNewIdsFollowTheCopiedOnesAndTriggersAreOnAgain() throws Exception {
        String url = PostgresStores.freshDatabase();
        new SqliteToPostgres(options(source(), url, false), quiet()).run();
        try (Connection pg = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = pg.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal "
                    + "AND tgenabled <> 'O'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "every trigger enabled again");
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal")) {
                rs.next();
                assertTrue(rs.getInt(1) >= 2, "the store's triggers exist");
            }
        }
        try (SqliteStore store = PostgresStores.open(url)) {
            store.saveMembers("second", List.of(Fixtures.member("bo@acme.com", "u9", false)), NOW);
            assertEquals(List.of("bo@acme.com"), store.members("second").stream().map(StoredMember::email).toList());
        }
        try (Connection pg = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = pg.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, id FROM account ORDER BY id")) {
            List<String> accounts = new ArrayList<>();
            while (rs.next()) {
                accounts.add(rs.getString(1) + "=" + rs.getLong(2));
            }
            assertEquals(List.of("default=1", "second=2"), accounts);
        }
    }

    @Test
    void aRowMissingInTheTargetIsReportedAsAMismatch() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SqliteToPostgres.Result result = new SqliteToPostgres(
                options(source(), PostgresStores.freshDatabase(), false),
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                target -> {
                    try (Statement s = target.createStatement()) {
                        assertEquals(1, s.executeUpdate("DELETE FROM usage_user_daily WHERE ctid = "
                                + "(SELECT ctid FROM usage_user_daily WHERE cost_ucents > 0 LIMIT 1)"));
                    }
                }).run();

        assertFalse(result.verified());
        List<String> differing = result.mismatches().stream().map(c -> c.table() + " " + c.measure()).toList();
        assertTrue(differing.contains("usage_user_daily rows"), differing.toString());
        assertTrue(differing.contains("usage_user_daily cost_ucents"), differing.toString());
        assertTrue(differing.stream().allMatch(d -> d.startsWith("usage_user_daily ")), differing.toString());
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("MISMATCH: "), text);
    }

    @Test
    void aSourceInUseByAnExporterIsRefusedAndNothingIsCopied() throws Exception {
        Path source = source();
        String url = PostgresStores.freshDatabase();
        try (DataDirLock running = DataDirLock.acquire(dataDir)) {
            StoreException e = assertThrows(StoreException.class,
                    () -> new SqliteToPostgres(options(source, url, false), quiet()).run());
            assertTrue(e.getMessage().contains("another exporter is already using the data directory"),
                    e.getMessage());
        }
        assertEquals(0, count(url, "account"));
    }

    @Test
    void aTargetHoldingAStoreIsRefusedUnlessReplaceWhichCopiesAgainWithoutDoubling() throws Exception {
        Path source = source();
        String url = PostgresStores.freshDatabase();
        new SqliteToPostgres(options(source, url, false), quiet()).run();
        long events = count(url, "usage_events");

        StoreException e = assertThrows(StoreException.class,
                () -> new SqliteToPostgres(options(source, url, false), quiet()).run());
        assertTrue(e.getMessage().contains("already holds a store") && e.getMessage().contains("--replace"),
                e.getMessage());
        assertEquals(events, count(url, "usage_events"), "nothing changed");

        assertTrue(new SqliteToPostgres(options(source, url, true), quiet()).run().verified());
        assertEquals(events, count(url, "usage_events"), "replaced, not added");
    }

    @Test
    void aBareDatabaseIsMigratedFirst() throws Exception {
        String url = PostgresServer.get().freshDatabase(); // no schema at all
        assertTrue(new SqliteToPostgres(options(source(), url, false), quiet()).run().verified());
        assertTrue(count(url, "usage_events") > 0);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection pg = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, List<String>> postgresColumns(Connection pg) throws SQLException {
        Map<String, List<String>> columns = new TreeMap<>();
        try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT c.table_name, c.column_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                  AND c.table_name <> 'flyway_schema_history'
                ORDER BY c.table_name, c.ordinal_position""")) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return columns;
    }

    /** Every row of every table as text (numbers as integers, bytes as hex), sorted. */
    private static Map<String, List<String>> dump(Connection c, Map<String, List<String>> columns)
            throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        for (Map.Entry<String, List<String>> t : columns.entrySet()) {
            List<String> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + String.join(", ", t.getValue()) + " FROM " + t.getKey())) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= t.getValue().size(); i++) {
                        Object v = rs.getObject(i);
                        row.append(v instanceof byte[] b ? HexFormat.of().formatHex(b)
                                : v instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(v)).append('|');
                    }
                    rows.add(row.toString());
                }
            }
            rows.sort(null);
            tables.put(t.getKey(), rows);
        }
        return tables;
    }
}
