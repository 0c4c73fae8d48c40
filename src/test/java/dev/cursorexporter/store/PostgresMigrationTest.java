package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;
import dev.cursorexporter.testing.PostgresServer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL migrations ({@code db/postgresql}) are the SQLite ones ({@code db/migration}) translated: a fresh
 * PostgreSQL database migrated to the latest version has the same history (versions and descriptions) and the same
 * tables with the same columns as a fresh SQLite store.
 */
class PostgresMigrationTest {

    @TempDir
    Path dir;

    @Test
    void aFreshDatabaseMigratesToTheSameVersionsTablesAndColumnsAsSqlite() throws SQLException {
        String pgUrl = PostgresServer.get().freshDatabase();
        String sqliteUrl = "jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME);
        try (SqliteStore sqlite = SqliteStore.open(dir);
             SqliteStore pg = SqliteStore.openPostgres(pgUrl, Optional.of(new Secret(PostgresServer.PASSWORD)))) {
            assertEquals("sqlite", sqlite.kind());
            assertEquals("postgresql", pg.kind());
            assertTrue(pg.sizeBytes() > 0);
        }

        List<String> sqliteHistory = history(sqliteUrl, null, Dialect.SQLITE);
        List<String> pgHistory = history(pgUrl, PostgresServer.PASSWORD, Dialect.POSTGRESQL);
        assertEquals(14, sqliteHistory.size(), sqliteHistory.toString());
        assertEquals(sqliteHistory, pgHistory);

        Map<String, TreeSet<String>> sqliteTables = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(sqliteUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
                     + " WHERE m.type = 'table' AND m.name NOT IN ('flyway_schema_history', 'sqlite_sequence')")) {
            while (rs.next()) {
                sqliteTables.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
            }
        }
        Map<String, TreeSet<String>> pgTables = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(pgUrl, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'")) {
            while (rs.next()) {
                pgTables.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
            }
        }
        assertTrue(sqliteTables.size() > 30, sqliteTables.keySet().toString());
        assertEquals(sqliteTables, pgTables);
    }

    @Test
    void reopeningAMigratedDatabaseChangesNothingAndAWrongPasswordIsRefusedWithoutShowingIt() {
        String url = PostgresServer.get().freshDatabase();
        Secret password = new Secret(PostgresServer.PASSWORD);
        try (SqliteStore store = SqliteStore.openPostgres(url, Optional.of(password))) {
            assertEquals(List.of(), store.accounts());
        }
        try (SqliteStore again = SqliteStore.openPostgres(url, Optional.of(password))) {
            assertEquals(List.of(), again.accounts());
        }
        StoreException refused = assertThrows(StoreException.class, () -> SqliteStore.openPostgres(
                url, Optional.of(new Secret("wrong-Secret-42"))));
        assertTrue(refused.getMessage().startsWith("cannot connect to the PostgreSQL store "
                + url.substring(0, url.indexOf('?')) + " ("),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("password authentication failed"), refused.getMessage());
        assertFalse(refused.getMessage().contains("Secret"), refused.getMessage());
    }

    private static List<String> history(String url, String password, Dialect dialect) {
        Flyway flyway = Flyway.configure().dataSource(url, password == null ? null : PostgresServer.USER, password)
                .locations(dialect.migrations()).load();
        return Arrays.stream(flyway.info().applied()).map(PostgresMigrationTest::versionAndDescription).toList();
    }

    private static String versionAndDescription(MigrationInfo info) {
        return info.getVersion() + " " + info.getDescription() + " " + info.getState();
    }
}
