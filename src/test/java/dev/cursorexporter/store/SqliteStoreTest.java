package dev.cursorexporter.store;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.SpendReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.cursorexporter.store.Fixtures.daily;
import static dev.cursorexporter.store.Fixtures.dailyDetailed;
import static dev.cursorexporter.store.Fixtures.member;
import static dev.cursorexporter.store.Fixtures.newShapeSpend;
import static dev.cursorexporter.store.Fixtures.oldShapeSpend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StoreContract} on an SQLite file, and what only the SQLite store does (its file, its URLs, WAL). */
class SqliteStoreTest extends StoreContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }

    // ---- opening and migrations ------------------------------------------------------------------------------

    @Test
    void migratesAFreshFileInWalModeAndReopensWithoutMigratingAgain() throws SQLException {
        store.saveMembers(ACME, List.of(member("a@x.io", "user_a", false)), T1);
        long migrations = count("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1");
        assertTrue(migrations >= 1, "migrated");
        store.close();

        store = SqliteStore.open(dir);
        assertEquals(migrations, count("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1"),
                "no migration runs twice");
        assertEquals(1, store.members(ACME).size());
        assertEquals("wal", pragma("journal_mode"));
        assertEquals("sqlite", store.kind());
        assertTrue(store.sizeBytes() > 0);
    }

    @Test
    void createsTheDataDirectory(@TempDir Path parent) {
        Path nested = parent.resolve("a/b/data");
        try (SqliteStore s = SqliteStore.open(nested)) {
            assertTrue(Files.exists(nested.resolve(SqliteStore.FILE_NAME)));
            assertEquals(List.of(), s.accounts());
        }
    }

    @Test
    void opensByUrlWithDriverParameters() {
        String url = "jdbc:sqlite:" + dir.resolve("other.db") + "?foreign_keys=on";
        try (SqliteStore s = SqliteStore.openUrl(url)) {
            s.saveMembers(ACME, List.of(member("a@x.io", null, false)), T1);
            assertEquals(1, s.members(ACME).size());
        }
        assertTrue(Files.exists(dir.resolve("other.db")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db/x | not an SQLite JDBC URL (expected jdbc:sqlite:<file>): jdbc:postgresql://db/x",
            "jdbc:sqlite::memory:   | in-memory SQLite is not supported, the store needs a file: jdbc:sqlite::memory:",
            "jdbc:sqlite:           | in-memory SQLite is not supported, the store needs a file: jdbc:sqlite:",
            "jdbc:sqlite:file:x?mode=memory | in-memory SQLite is not supported, the store needs a file: "
                    + "jdbc:sqlite:file:x?mode=memory",
    })
    void refusesUrlsItCannotServe(String url, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqliteStore.openUrl(url));
        assertEquals(message, e.getMessage());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private String pragma(String name) {
        return text("PRAGMA " + name);
    }
}
