package dev.cursorexporter.directory;

import dev.cursorexporter.model.DirectoryRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reload on change without a restart; bad rows skipped with line numbers; an unreadable file keeps the last one. */
class DirectoryReloaderTest {
    @TempDir
    Path tmp;

    private final List<String> loads = new ArrayList<>();
    private int changes;

    private Path write(Path file, String csv, int secondsLater) throws IOException {
        Files.writeString(file, csv);
        // explicit modification times: two writes within one file-system tick must still look different
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-03-01T00:00:00Z").plusSeconds(secondsLater)));
        return file;
    }

    private DirectoryReloader start(Path file) throws IOException {
        DirectoryReloader r = new DirectoryReloader(Optional.of(file),
                List.of(DirectoryRule.domain("acme.com", Optional.of("Acme"), Optional.empty())),
                LayeredDirectory.NO_BILLING_GROUPS);
        // an hour between checks: the test calls checkNow itself
        r.start(Duration.ofHours(1), (result, entries, problems) -> loads.add(result + " " + entries + " " + problems),
                () -> changes++);
        return r;
    }

    @Test
    void aChangedFileIsAppliedWithoutARestartAndBadRowsAreSkipped() throws IOException {
        Path file = write(tmp.resolve("d.csv"), "email,team,location\nana@acme.com,Platform,Berlin\n", 0);
        try (DirectoryReloader r = start(file)) {
            assertEquals(new Assignment("Platform", "Berlin"), r.current().lookup("ana@acme.com"));
            assertFalse(r.checkNow(), "unchanged file");

            write(file, "email,team,location\nana@acme.com,Payments,London\nnot-an-email,X,Y\n,Z,Z\nbo@x.org,Data,Paris\n", 10);
            assertTrue(r.checkNow());
            assertEquals(new Assignment("Payments", "London"), r.current().lookup("ana@acme.com"));
            assertEquals(new Assignment("Data", "Paris"), r.current().lookup("bo@x.org"), "rows after bad ones apply");
            assertEquals(List.of("success 1 0", "success 2 2"), loads);
            assertEquals(1, changes);

            write(file, "email,team,location\n", 20);
            assertTrue(r.checkNow());
            assertEquals(new Assignment("Acme", Assignment.DEFAULT_LOCATION), r.current().lookup("ana@acme.com"),
                    "with the row gone, the rule applies");
        }
    }

    @Test
    void anUnreadableFileKeepsThePreviousDirectoryAndCountsAnError() throws IOException {
        Path file = write(tmp.resolve("d.csv"), "email,team,location\nana@acme.com,Platform,Berlin\n", 0);
        try (DirectoryReloader r = start(file)) {
            Files.write(file, new byte[] {'e', 'm', (byte) 0xC3, (byte) 0x28, '\n'});
            assertFalse(r.checkNow());
            assertEquals(new Assignment("Platform", "Berlin"), r.current().lookup("ana@acme.com"));
            Files.delete(file);
            assertFalse(r.checkNow());
            assertEquals(new Assignment("Platform", "Berlin"), r.current().lookup("ana@acme.com"));
            assertEquals(List.of("success 1 0", "error 1 0", "error 1 0"), loads);
            assertEquals(0, changes);

            write(file, "email,team,location\nana@acme.com,Back,Home\n", 30);
            assertTrue(r.checkNow(), "recovers when the file is fixed");
            assertEquals(new Assignment("Back", "Home"), r.current().lookup("ana@acme.com"));
        }
    }

    @Test
    void aMissingFileAtStartIsAnError() {
        IOException e = assertThrows(IOException.class, () -> start(tmp.resolve("absent.csv")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void reconfigureSwapsFileAndRulesOnlyWhenTheNewFileCanBeReadAndChecksAFileConfiguredLater() throws Exception {
        try (DirectoryReloader r = new DirectoryReloader(Optional.empty(), List.of(), LayeredDirectory.NO_BILLING_GROUPS)) {
            r.start(Duration.ofMillis(50), (result, entries, problems) -> loads.add(result + " " + entries), () -> changes++);
            assertEquals(new Assignment("unassigned", "unknown"), r.current().lookup("ana@acme.com"));

            IOException missing = assertThrows(IOException.class, () -> r.reconfigure(
                    Optional.of(tmp.resolve("missing.csv")), List.of(), LayeredDirectory.NO_BILLING_GROUPS));
            assertTrue(missing.getMessage().contains("missing.csv"), missing.getMessage());
            assertEquals(new Assignment("unassigned", "unknown"), r.current().lookup("ana@acme.com"));

            Path file = write(tmp.resolve("later.csv"), "email,team,location\nana@acme.com,Platform,Berlin\n", 0);
            r.reconfigure(Optional.of(file),
                    List.of(DirectoryRule.domain("acme.com", Optional.empty(), Optional.of("Remote"))),
                    LayeredDirectory.NO_BILLING_GROUPS);
            assertEquals(new Assignment("Platform", "Berlin"), r.current().lookup("ana@acme.com"));
            assertEquals(new Assignment("unassigned", "Remote"), r.current().lookup("bo@acme.com"), "the new rule");
            assertEquals(List.of("success 1"), loads);

            // the file configured by the reload is now checked on the schedule like one configured at start
            write(file, "email,team,location\nana@acme.com,Payments,London\n", 10);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!r.current().lookup("ana@acme.com").team().equals("Payments") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(new Assignment("Payments", "London"), r.current().lookup("ana@acme.com"));
            assertEquals(1, changes);
        }
    }
}
