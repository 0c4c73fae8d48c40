package dev.cursorexporter;

import dev.cursorexporter.store.DataDirLock;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code migrate-store} on the command line ({@link Main} → {@link MigrateStoreCommand}): exit codes, messages that
 * name the flag or variable, and the target's password in no line it prints.
 */
class MigrateStoreCommandTest {
    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "migrate-store";
        System.arraycopy(args, 0, full, 1, args.length);
        return Main.run(full, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private Map<String, String> env(String url, String password) {
        return Map.of("CURSOR_EXPORTER_DATA_DIR", dataDir.toString(), "CURSOR_EXPORTER_STORE_URL", url,
                "CURSOR_EXPORTER_STORE_PASSWORD", password);
    }

    private void aStore() {
        try (SqliteStore store = SqliteStore.open(dataDir)) {
            store.saveMembers("default", java.util.List.of(new dev.cursorexporter.model.Member("u1", "ana@acme.com",
                    "Ana", "member", false)), java.time.Instant.parse("2026-11-20T10:00:00Z"));
        }
    }

    @Test
    void helpDescribesTheCommandAndExitsZero() {
        assertEquals(0, run(Map.of(), "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--replace") && help.contains("CURSOR_EXPORTER_STORE_URL")
                && help.contains("--from"), help);
    }

    @Test
    void anUnknownOptionOrABadBatchSizeIsAUsageError() {
        assertEquals(2, run(Map.of(), "--frm", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cursor-exporter migrate-store: Unknown options: '--frm', 'x'"),
                printed());
        err.reset();
        assertEquals(2, run(Map.of(), "--batch-size", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--batch-size must be a whole number"), printed());
        err.reset();
        assertEquals(2, run(Map.of(), "--from"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Missing required parameter for option '--from'"), printed());
        err.reset();
        assertEquals(2, run(Map.of(), "--from", "jdbc:postgresql://db/cursor"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cursor-exporter migrate-store: --from takes a data "
                + "directory or a jdbc:sqlite: URL, not 'jdbc:postgresql://db/cursor'"), printed());
    }

    @Test
    void withoutAPostgresqlTargetTheConfigurationIsInvalid() {
        aStore();
        assertEquals(1, run(Map.of("CURSOR_EXPORTER_DATA_DIR", dataDir.toString())));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "CURSOR_EXPORTER_STORE_URL: migrate-store copies into PostgreSQL"), printed());
    }

    @Test
    void aMissingSourceIsRefusedNamingIt() {
        String url = PostgresServer.get().freshDatabase();
        assertEquals(3, run(env(url, PostgresServer.PASSWORD)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("there is no SQLite store at "
                + dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath()), printed());
    }

    @Test
    void aDataDirectoryInUseIsRefused() {
        aStore();
        String url = PostgresServer.get().freshDatabase();
        try (DataDirLock exporter = DataDirLock.acquire(dataDir)) {
            assertEquals(3, run(env(url, PostgresServer.PASSWORD)));
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("another exporter is already using the data "
                + "directory"), printed());
    }

    @Test
    void thePasswordIsInNoLineItPrintsRightOrWrong() throws Exception {
        aStore();
        String url = PostgresServer.get().freshDatabase();
        assertEquals(0, run(env(url, PostgresServer.PASSWORD), "--from", "jdbc:sqlite:"
                + dataDir.resolve(SqliteStore.FILE_NAME)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("verified: "), printed());
        assertNoPassword(PostgresServer.PASSWORD);

        out.reset();
        err.reset();
        String wrong = "wrong-Secret-0815";
        Path file = dataDir.resolve("pw");
        Files.writeString(file, wrong + "\n");
        assertEquals(3, run(Map.of("CURSOR_EXPORTER_DATA_DIR", dataDir.toString(), "CURSOR_EXPORTER_STORE_URL", url,
                "CURSOR_EXPORTER_STORE_PASSWORD_FILE", file.toString()), "--replace"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("password authentication failed"), printed());
        assertNoPassword(wrong);
    }

    @Test
    void aFigureThatDiffersAfterTheCopyIsPrintedAndExitsThree() {
        aStore();
        String url = PostgresServer.get().freshDatabase();
        int code = MigrateStoreCommand.run(new String[0], env(url, PostgresServer.PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                target -> {
                    try (java.sql.Statement s = target.createStatement()) {
                        s.executeUpdate("DELETE FROM members");
                    }
                });
        assertEquals(3, code, printed());
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.matches("(?s).*members\\s+rows\\s+1\\s+0\\s+MISMATCH.*"), table);
        assertTrue(table.contains("MISMATCH: 2 of "), table); // its rows and its other integers (account id, removed)
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the copy differs from the source"), printed());
    }

    private void assertNoPassword(String password) {
        String text = printed();
        assertFalse(text.contains(password), text);
        assertFalse(text.contains(password.substring(3, password.length() - 3)), text);
        assertFalse(text.contains(Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))),
                text);
    }
}
