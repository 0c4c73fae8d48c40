package dev.cursorexporter.cursor;

import dev.cursorexporter.model.BudgetFamily;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pacer on a fake clock whose sleeper moves time forward instead of sleeping. */
class RateBudgetTest {
    private static final long MINUTE_NS = Duration.ofMinutes(1).toNanos();
    /** one minute plus the 5 % margin */
    private static final long WINDOW_NS = MINUTE_NS + MINUTE_NS / 20;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> sendTimes = new ArrayList<>();

    private RateBudget budget(Map<BudgetFamily, Integer> limits) {
        return new RateBudget(limits, Duration.ofMinutes(1), now::get, d -> now.addAndGet(d.toNanos()));
    }

    private void send(RateBudget budget, String path) throws InterruptedException {
        budget.acquire(path);
        sendTimes.add(now.get());
    }

    @Test
    void theFirstNRequestsGoAtOnceAndTheNextWaitsAFullWindowAfterTheFirst() throws InterruptedException {
        RateBudget budget = budget(Map.of(BudgetFamily.ADMIN, 3));
        long start = now.get();
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, budget.acquire("/teams/spend"));
        }
        assertEquals(start, now.get(), "no wait within the budget");
        Duration waited = budget.acquire("/teams/members");
        assertEquals(Duration.ofNanos(WINDOW_NS), waited);
        assertEquals(start + WINDOW_NS, now.get());
    }

    @Test
    void noIntervalOfAWindowEverHoldsMoreThanTheBudget() throws InterruptedException {
        RateBudget budget = budget(Map.of(BudgetFamily.USAGE_EVENTS, 54));
        for (int i = 0; i < 500; i++) {
            send(budget, "/teams/filtered-usage-events");
            if (i % 7 == 0) {
                now.addAndGet(MINUTE_NS / 13); // irregular work between requests
            }
        }
        for (int i = 54; i < sendTimes.size(); i++) {
            assertTrue(sendTimes.get(i) - sendTimes.get(i - 54) >= WINDOW_NS,
                    "request " + i + " is within a window of request " + (i - 54));
        }
        // and it is not slower than it must be: 500 requests at 54 per window need about 500/54 windows
        long elapsed = sendTimes.get(sendTimes.size() - 1) - sendTimes.get(0);
        assertTrue(elapsed <= (500 / 54 + 1) * WINDOW_NS, "elapsed " + elapsed);
    }

    @Test
    void againstAnyAlignedFixedWindowTheCountStaysAtTheBudget() throws InterruptedException {
        RateBudget budget = budget(Map.of(BudgetFamily.ADMIN, 18));
        for (int i = 0; i < 200; i++) {
            send(budget, "/teams/daily-usage-data");
        }
        // Cursor counts per fixed minute; try every alignment in 1-second steps
        for (long offset = 0; offset < MINUTE_NS; offset += 1_000_000_000L) {
            Map<Long, Integer> perWindow = new java.util.HashMap<>();
            for (long t : sendTimes) {
                perWindow.merge(Math.floorDiv(t - offset, MINUTE_NS), 1, Integer::sum);
            }
            long fixedOffset = offset;
            perWindow.forEach((w, n) -> assertTrue(n <= 18, n + " requests in window " + w + " at offset "
                    + fixedOffset));
        }
    }

    @Test
    void familiesHaveSeparateBudgetsAndAdminEndpointsShareOne() throws InterruptedException {
        RateBudget budget = budget(Map.of(BudgetFamily.ADMIN, 2, BudgetFamily.USAGE_EVENTS, 2));
        long start = now.get();
        budget.acquire("/teams/members");
        budget.acquire("/teams/spend");
        budget.acquire("/teams/filtered-usage-events");
        budget.acquire("/teams/filtered-usage-events");
        assertEquals(start, now.get(), "two of each went at once");
        assertEquals(Duration.ofNanos(WINDOW_NS), budget.acquire("/teams/daily-usage-data"),
                "daily usage shares the admin budget with members and spend");
    }

    @Test
    void aiCodeTrackingEndpointsEachHaveTheirOwnBudget() throws InterruptedException {
        RateBudget budget = budget(Map.of(BudgetFamily.AI_CODE, 1));
        long start = now.get();
        budget.acquire("/analytics/ai-code/commits");
        budget.acquire("/analytics/ai-code/changes");
        assertEquals(start, now.get());
        assertTrue(budget.acquire("/analytics/ai-code/commits").compareTo(Duration.ZERO) > 0);
    }

    @Test
    void aFamilyWithoutALimitIsNotPaced() throws InterruptedException {
        RateBudget budget = budget(Map.of(BudgetFamily.ADMIN, 1));
        long start = now.get();
        for (int i = 0; i < 100; i++) {
            budget.acquire("/analytics/team/dau");
        }
        assertEquals(start, now.get());
        assertEquals(0, budget.limit(BudgetFamily.ANALYTICS_TEAM));
        for (int i = 0; i < 100; i++) {
            RateBudget.unlimited().acquire("/teams/members");
        }
    }

    @Test
    void concurrentCallersNeverExceedTheBudget() throws Exception {
        // Real time, a tiny window: 5 per 200 ms across 4 threads. What is checked is the send time each caller
        // was granted (the time the budget read, plus the wait it imposed), not when the thread happened to be
        // scheduled again afterwards: on a loaded machine that can be much later and says nothing about the budget.
        ThreadLocal<Long> lastRead = new ThreadLocal<>();
        LongSupplier time = () -> {
            long now = System.nanoTime();
            lastRead.set(now);
            return now;
        };
        RateBudget budget = new RateBudget(Map.of(BudgetFamily.ADMIN, 5), Duration.ofMillis(200), time,
                Sleeper.SYSTEM);
        List<Long> granted = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    try {
                        Duration wait = budget.acquire("/teams/members");
                        granted.add(lastRead.get() + wait.toNanos());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<Long> sorted = new ArrayList<>(granted);
        sorted.sort(null);
        assertEquals(20, sorted.size());
        for (int i = 5; i < sorted.size(); i++) {
            assertTrue(sorted.get(i) - sorted.get(i - 5) >= Duration.ofMillis(200).toNanos(),
                    "six requests granted within 200 ms at " + i);
        }
    }

    @Test
    void familiesMapFromPathsAndKeys() {
        assertEquals(BudgetFamily.ADMIN, BudgetFamily.of("/teams/members"));
        assertEquals(BudgetFamily.ADMIN, BudgetFamily.of("/teams/groups"));
        assertEquals(BudgetFamily.USAGE_EVENTS, BudgetFamily.of("/teams/filtered-usage-events"));
        assertEquals(BudgetFamily.ANALYTICS_TEAM, BudgetFamily.of("/analytics/team/dau"));
        assertEquals(BudgetFamily.ANALYTICS_BY_USER, BudgetFamily.of("/analytics/by-user/models"));
        assertEquals(BudgetFamily.AI_CODE, BudgetFamily.of("/analytics/ai-code/commits"));
        Map<BudgetFamily, Integer> expected = new EnumMap<>(BudgetFamily.class);
        expected.putAll(Map.of(BudgetFamily.ADMIN, 18, BudgetFamily.USAGE_EVENTS, 54, BudgetFamily.ANALYTICS_TEAM, 90,
                BudgetFamily.ANALYTICS_BY_USER, 45, BudgetFamily.AI_CODE, 18));
        assertEquals(expected, BudgetFamily.defaultLimits());
        assertEquals(BudgetFamily.ANALYTICS_BY_USER, BudgetFamily.fromKey("analytics_by_user").orElseThrow());
        assertTrue(BudgetFamily.fromKey("ADMIN").isEmpty());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> budget(Map.of(BudgetFamily.ADMIN, 0)));
        assertThrows(IllegalArgumentException.class,
                () -> new RateBudget(Map.of(), Duration.ZERO, now::get, d -> { }));
    }
}
