package dev.cursorexporter.query;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.store.DailyActivity;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.SpendSnapshot;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** However many panels ask at once, only a bounded number of answers is computed at the same time. */
class ConcurrentComputationsTest {
    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);

    @TempDir
    Path dir;

    @Test
    void atMostTwoComputationsRunTogetherAndTheOthersWait() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        DailyQueries blocking = new DailyQueries() {
            @Override
            public void dailyUsageCost(DailyQuery query, Consumer<? super DailyUsageCost> sink) {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
            }

            @Override
            public void dailyActivity(DailyQuery query, Consumer<? super DailyActivity> sink) {
            }

            @Override
            public List<SpendSnapshot> spendSnapshots(String account, LocalDate from, LocalDate to) {
                return List.of();
            }

            @Override
            public Map<String, LocalDate> lastActiveDays(String account) {
                return Map.of();
            }
        };
        try (SqliteStore store = SqliteStore.open(dir)) {
            DatasourceQueries queries = new DatasourceQueries(store, blocking, () -> Directory.EMPTY,
                    new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), Clock.systemUTC(), 1_000, 1_000);
            List<Thread> panels = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                // Different questions, so the cache cannot merge them.
                SeriesQuery q = new SeriesQuery(D1, D1.plusDays(i), 1, List.of(Dimension.MODEL), List.of(), false);
                Thread t = new Thread(() -> queries.series(q), "panel-" + i);
                t.start();
                panels.add(t);
            }
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((running.get() < DatasourceQueries.CONCURRENT_COMPUTATIONS
                        || panels.stream().filter(ConcurrentComputationsTest::parked).count() < 5)
                        && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // two in the store (on the latch), three waiting for a permit
                }
                assertEquals(DatasourceQueries.CONCURRENT_COMPUTATIONS, running.get());
            } finally {
                release.countDown();
            }
            for (Thread t : panels) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertEquals(0, running.get());
            assertEquals(DatasourceQueries.CONCURRENT_COMPUTATIONS, mostAtOnce.get());
        }
    }

    private static boolean parked(Thread t) {
        return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING;
    }
}
