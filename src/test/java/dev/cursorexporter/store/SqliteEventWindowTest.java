package dev.cursorexporter.store;

import dev.cursorexporter.model.BillingClass;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link EventWindowContract} on an SQLite file, and the time a large window takes to commit there. */
class SqliteEventWindowTest extends EventWindowContract {

    @TempDir
    Path dir;

    @Override
    protected SqliteStore openStore() {
        return SqliteStore.open(dir);
    }

    @Test
    void onSqliteOpeningTheFileAlreadyDiscardsWhatACrashLeftStaged() {
        EventWindow abandoned = store.openEventWindow(ACME, D1, D1);
        abandoned.add(List.of(event(at(D1, 1, 0, 0, 0), "a@x.io", "m", "1")));
        store = openStore(); // one process per file (the data-directory lock): nobody else's window to keep
        assertEquals(0, store.stagedEventRows());
        assertThrows(IllegalStateException.class, () -> abandoned.commit(true));
    }

    @Test
    void commitOfALargeWindowTakesSeconds() {
        Random random = new Random(7);
        int events = Integer.getInteger("store.bench.events", 100_000);
        List<UsageEvent> page = new ArrayList<>();
        long started = System.nanoTime();
        long commitStarted;
        try (EventWindow w = store.openEventWindow(ACME, D1, D1.plusDays(29))) {
            for (int i = 0; i < events; i++) {
                LocalDate day = D1.plusDays(random.nextInt(30));
                page.add(event(at(day, random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000)),
                        "user" + random.nextInt(1000) + "@x.io", "gpt-5.2", "1.25"));
                if (page.size() == 1000) {
                    w.add(page);
                    page.clear();
                }
            }
            w.add(page);
            commitStarted = System.nanoTime();
            w.commit(true);
        }
        long done = System.nanoTime();
        System.out.printf("[store] %d events: staged in %d ms, committed in %d ms%n", events,
                (commitStarted - started) / 1_000_000, (done - commitStarted) / 1_000_000);
        long requests = store.usageTotals(ACME).stream().mapToLong(UsageTotals::requests).sum();
        assertEquals(events, requests);
    }
}
