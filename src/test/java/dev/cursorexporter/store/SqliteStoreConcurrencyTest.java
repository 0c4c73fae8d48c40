package dev.cursorexporter.store;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.UsageEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.cursorexporter.store.Fixtures.at;
import static dev.cursorexporter.store.Fixtures.daily;
import static dev.cursorexporter.store.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteStoreConcurrencyTest {

    private static final LocalDate D1 = LocalDate.of(2026, 1, 1);
    private static final int WINDOWS = 20;
    private static final int EVENTS = 300;

    @TempDir
    Path dir;

    @Test
    void readersOnlyEverSeeWholeCommitsWhileWritersRun() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (SqliteStore store = SqliteStore.open(dir)) {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    long last = 0;
                    while (writing.get() || reads == 0) {
                        long requests = store.usageTotals("acme").stream().mapToLong(UsageTotals::requests).sum();
                        int covered = store.coveredDays("acme", Source.USAGE_EVENTS).size();
                        // Events and their coverage are committed together; reads never go backwards.
                        assertEquals(0, requests % EVENTS, "partial window visible");
                        assertTrue(requests >= last);
                        assertTrue(covered * (long) EVENTS <= store.usageTotals("acme").stream()
                                .mapToLong(UsageTotals::requests).sum());
                        last = requests;
                        reads++;
                    }
                    return reads;
                }));
            }
            // A second writer thread competes for the single SQLite writer.
            Future<?> dailyWriter = pool.submit(() -> {
                for (int n = 0; n < WINDOWS; n++) {
                    LocalDate day = D1.plusDays(n);
                    store.saveDailyUsage("acme", List.of(daily(day, "u@x.io", true, n)), day, day, true);
                }
            });
            for (int n = 0; n < WINDOWS; n++) {
                LocalDate day = D1.plusDays(n);
                try (EventWindow w = store.openEventWindow("acme", day, day)) {
                    List<UsageEvent> page = new ArrayList<>();
                    for (int i = 0; i < EVENTS; i++) {
                        page.add(event(at(day, 0, 0, 0, 0).plusSeconds(i), "u@x.io", "m", "1"));
                    }
                    w.add(page.subList(0, EVENTS / 2));
                    w.add(page.subList(EVENTS / 2, EVENTS));
                    w.commit(true);
                }
            }
            dailyWriter.get(60, TimeUnit.SECONDS);
            writing.set(false);
            for (Future<Integer> reader : readers) {
                assertTrue(reader.get(60, TimeUnit.SECONDS) > 0);
            }
            assertEquals((long) WINDOWS * EVENTS, store.usageTotals("acme").get(0).requests());
            assertEquals(WINDOWS, store.coveredDays("acme", Source.DAILY_USAGE).size());
        } finally {
            pool.shutdownNow();
        }
    }
}
