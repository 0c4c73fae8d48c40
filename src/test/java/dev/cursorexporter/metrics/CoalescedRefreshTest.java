package dev.cursorexporter.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoalescedRefreshTest {

    @Test
    void manyRequestsWithinTheGapAreOneRebuildAndNeverWaitForIt() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch built = new CountDownLatch(1);
        try (CoalescedRefresh refresh = new CoalescedRefresh(() -> {
            builds.incrementAndGet();
            built.countDown();
        }, Duration.ofMillis(200))) {
            long started = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                refresh.request();
            }
            assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(150), "requests return at once");
            assertEquals(0, builds.get(), "nothing before the gap");
            assertTrue(built.await(5, TimeUnit.SECONDS));
            Thread.sleep(400);
            assertEquals(1, builds.get());
        }
    }

    @Test
    void aRequestDuringABuildGetsAnotherBuild() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch inBuild = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        try (CoalescedRefresh refresh = new CoalescedRefresh(() -> {
            if (builds.incrementAndGet() == 1) {
                inBuild.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            second.countDown();
        }, Duration.ofMillis(20))) {
            refresh.request();
            assertTrue(inBuild.await(5, TimeUnit.SECONDS));
            refresh.request(); // data stored while the first build reads the store
            release.countDown();
            assertTrue(second.await(5, TimeUnit.SECONDS), "the data stored during the build is built too");
            assertEquals(2, builds.get());
        }
    }
}
