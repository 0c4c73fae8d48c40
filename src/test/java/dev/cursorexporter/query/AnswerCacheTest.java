package dev.cursorexporter.query;

import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.testing.ForwardingDailyQueries;
import dev.cursorexporter.store.DailyQueries;
import dev.cursorexporter.store.DailyQuery;
import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the answer cache keeps: small answers stay however large the answers asked between them, an answer over its
 * share of the cache is served but not kept, and panels asking the same question at once share one computation.
 */
class AnswerCacheTest {
    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    private static final int USERS = 30;
    private static final int DAYS = 10;
    /** An eighth of it is 25 rows: the per-model answer (10 rows) is kept, the per-user one (300 rows) is not. */
    private static final long CACHE_ROWS = 200;

    @TempDir
    Path dir;
    private SqliteStore store;
    private final AtomicInteger computations = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private DatasourceQueries queries;

    @BeforeEach
    void fill() {
        store = SqliteStore.open(dir);
        List<UsageEvent> events = new ArrayList<>();
        for (int day = 0; day < DAYS; day++) {
            Instant at = D1.plusDays(day).atTime(10, 0).toInstant(ZoneOffset.UTC);
            for (int u = 0; u < USERS; u++) {
                events.add(new UsageEvent(at.plusSeconds(u), "u" + u + "@x.io", "gpt-5", "Usage-based", false,
                        BigDecimal.ZERO, TokenUsage.NONE, BigDecimal.ONE, null, false, null));
            }
        }
        try (EventWindow window = store.openEventWindow("default", D1, D1.plusDays(DAYS - 1))) {
            window.add(events);
            window.commit(true);
        }
        DailyQueries counting = new ForwardingDailyQueries(store.daily()) {
            @Override
            public void dailyUsageCost(DailyQuery query, Consumer<? super DailyUsageCost> sink) {
                computations.incrementAndGet();
                try {
                    assertTrue(hold.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.dailyUsageCost(query, sink);
            }
        };
        queries = new DatasourceQueries(store, counting, () -> Directory.EMPTY,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), Clock.systemUTC(), 100_000, CACHE_ROWS);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static SeriesQuery byDay(Dimension by) {
        return new SeriesQuery(D1, D1.plusDays(DAYS - 1), 1, List.of(by), List.of(), false);
    }

    @Test
    void aLargeAnswerIsServedButNotKeptAndTheSmallOnesStay() {
        List<SeriesRow> small = queries.series(byDay(Dimension.MODEL));
        assertEquals(DAYS, small.size());
        assertEquals(1, computations.get());

        for (int i = 0; i < 3; i++) {
            assertEquals(USERS * DAYS, queries.series(byDay(Dimension.USER)).size());
        }
        assertEquals(4, computations.get(), "the per-user answer, over an eighth of the cache, is computed each time");

        assertSame(small, queries.series(byDay(Dimension.MODEL)), "the small answer was not pushed out");
        assertEquals(4, computations.get());
    }

    @Test
    void panelsAskingTheSameQuestionAtOnceShareOneComputation() throws Exception {
        hold = new CountDownLatch(1);
        ExecutorService panels = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<SeriesRow>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // the per-user answer is not kept, so only sharing the running computation saves the other three
                answers.add(panels.submit(() -> queries.series(byDay(Dimension.USER))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (computations.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Thread.sleep(200); // the other three reach the cache meanwhile
            hold.countDown();
            List<SeriesRow> first = answers.get(0).get(30, TimeUnit.SECONDS);
            for (Future<List<SeriesRow>> answer : answers) {
                assertSame(first, answer.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, computations.get());
        } finally {
            hold.countDown();
            panels.shutdownNow();
        }
    }
}
