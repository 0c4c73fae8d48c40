package dev.cursorexporter.store;

import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 6: each way the store can fail says what happened and what to do, instead of one cause-free line
 * (a full disk used to read "cannot commit - no transaction is active"). Run as root in CI, so file permissions
 * cannot make a directory read-only here: read-only is shown with SQLite's own read-only mode.
 */
class StoreFailureMessagesTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @TempDir
    Path dir;

    @Test
    void aFullDiskSaysSo() {
        // max_page_count makes SQLite answer SQLITE_FULL exactly as a full disk does
        Path file = dir.resolve("small.db");
        try (SqliteStore store = SqliteStore.openUrl("jdbc:sqlite:" + file + "?max_page_count=120")) {
            StoreException e = assertThrows(StoreException.class, () -> {
                for (int w = 0; w < 1_000; w++) {
                    try (EventWindow window = store.openEventWindow("acme", DAY, DAY)) {
                        window.add(events(500, w));
                        window.commit(true);
                    }
                }
            });
            assertTrue(e.getMessage().startsWith("the disk holding the store " + file + " is full: free space there"),
                    e.getMessage());
        }
    }

    @Test
    void aReadOnlyStoreSaysSo() {
        Path file = dir.resolve("ro.db");
        SqliteStore.openUrl("jdbc:sqlite:" + file).close();
        try (SqliteStore store = SqliteStore.openUrl("jdbc:sqlite:file:" + file + "?mode=ro")) {
            StoreException e = assertThrows(StoreException.class,
                    () -> store.saveAuthRefusal("acme", dev.cursorexporter.model.Source.MEMBERS,
                            new AuthRefusal(401, "/teams/members", "refused", Instant.EPOCH)));
            assertTrue(e.getMessage().startsWith("the store " + file + " is read-only for this process"),
                    e.getMessage());
        } catch (StoreException atOpen) {
            // the migration check at open may already need to write
            assertTrue(atOpen.getMessage().contains("is read-only for this process"), atOpen.getMessage());
        }
    }

    @Test
    void aFileThatIsNotADatabaseSaysHowToRecover() throws Exception {
        Files.writeString(dir.resolve(SqliteStore.FILE_NAME), "this is not an SQLite file, it is a note ".repeat(200));
        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(dir));
        assertTrue(e.getMessage().startsWith("the store " + dir.resolve(SqliteStore.FILE_NAME) + " is not a valid "
                + "SQLite database or is damaged: stop the exporter, move the file aside"), e.getMessage());
    }

    @Test
    void aTruncatedFileSaysHowToRecover() throws Exception {
        Path file = filledStore();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(dir));
        assertTrue(e.getMessage().contains("is not a valid SQLite database or is damaged"), e.getMessage());
    }

    @Test
    void damageInTheMiddleOfTheFileIsFoundAtStart() throws Exception {
        Path file = filledStore();
        long pages;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            pages = raf.length() / 4096;
            byte[] garbage = new byte[4096];
            java.util.Arrays.fill(garbage, (byte) 0x5a);
            for (long p = pages / 3; p < pages / 3 + 3; p++) {
                raf.seek(p * 4096);
                raf.write(garbage);
            }
        }
        assertTrue(pages > 10, "a store of several pages: " + pages);
        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(dir));
        assertTrue(e.getMessage().contains("is not a valid SQLite database or is damaged"), e.getMessage());
    }

    @Test
    void aSecondExporterOnTheSameDataDirIsRefused() {
        try (DataDirLock first = DataDirLock.acquire(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> DataDirLock.acquire(dir));
            assertEquals("another exporter is already using the data directory " + dir + " (it holds "
                    + dir.resolve(DataDirLock.FILE_NAME) + "): stop it first, or give this one its own "
                    + "CURSOR_EXPORTER_DATA_DIR", e.getMessage());
        }
        DataDirLock.acquire(dir).close(); // released with the first
    }

    @Test
    void stagingLeftByAFailedCommitIsCleanedUpAtTheNextWindowWithoutARestart() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            EventWindow abandoned = store.openEventWindow("acme", DAY, DAY);
            abandoned.add(events(50, 0));
            // not committed and not closed: as when the commit and the discard both failed (a full disk)
            try (EventWindow next = store.openEventWindow("acme", DAY, DAY)) {
                next.add(events(7, 1));
                assertEquals(7, staged(), "only the new window's rows are staged");
                next.commit(true);
            }
        }
    }

    /** A store with a few hundred events, closed, checkpointed into the main file. */
    private Path filledStore() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            for (int w = 0; w < 4; w++) {
                try (EventWindow window = store.openEventWindow("acme", DAY.minusDays(w), DAY.minusDays(w))) {
                    window.add(events(300, w));
                    window.commit(true);
                }
            }
        }
        Path file = dir.resolve(SqliteStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return file;
    }

    private long staged() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM event_staging")) {
            return rs.getLong(1);
        }
    }

    private static List<UsageEvent> events(int n, int salt) {
        List<UsageEvent> out = new ArrayList<>();
        Instant start = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        for (int i = 0; i < n; i++) {
            out.add(new UsageEvent(start.plusMillis(salt * 100_000L + i), "user" + (i % 17) + "@example.com",
                    "model-" + (i % 5), "Usage-based", false, BigDecimal.ZERO,
                    new TokenUsage(i, i, i, i, BigDecimal.valueOf(i, 2)), BigDecimal.valueOf(i, 2), null, false,
                    "conversation-" + i));
        }
        return out;
    }
}
