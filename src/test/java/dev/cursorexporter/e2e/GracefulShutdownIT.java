package dev.cursorexporter.e2e;

import dev.cursorexporter.simulator.FaultOptions;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import dev.cursorexporter.testing.SqliteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to the built jar: it stops within the documented bound (10 s of its own, plus JVM exit), logs how it
 * stopped, leaves a sound SQLite file with its write-ahead log checkpointed away, and a restart ends exact.
 */
class GracefulShutdownIT {
    /** The core sources; the Enterprise ones are polled after them and are not waited for. */
    private static final Set<String> CORE = Set.of("members", "spend", "daily_usage", "usage_events");
    private static final String EVENTS = "/teams/filtered-usage-events";
    /** The exporter's own bound is 10 s; JVM start-up of the hook and exit add a little. */
    private static final Duration BOUND = Duration.ofSeconds(12);

    @TempDir
    Path dir;

    @Test
    void sigtermMidBackfillStopsAtACheckpointAndARestartEndsExact() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(10).days(90).seed(31).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = env(sim);
            Path db = SqliteFiles.storeIn(dir.resolve("data"));

            Path log1 = dir.resolve("run1.log");
            try (JarProcess first = JarProcess.start(env, log1)) {
                Http.await(Duration.ofSeconds(60), "event pages being fetched", () -> sim.requestCount(EVENTS) >= 4);
                long pagesAtTerm = sim.requestCount(EVENTS);
                long t0 = System.nanoTime();
                int exit = first.terminate(BOUND);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                String out = Files.readString(log1);
                assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + out);
                assertTrue(took.compareTo(BOUND) < 0, "stopped in " + took.toMillis() + " ms");
                assertTrue(out.contains("stopping: HTTP server"), out);
                assertTrue(out.contains("stopped for shutdown"), "the running job stopped at a checkpoint:\n" + out);
                assertTrue(out.contains("sync stopped at a checkpoint, store closed"), out);
                assertTrue(sim.requestCount(EVENTS) < pagesAtTerm + 3, "it did not go on with the backfill");
            }
            assertStoreSound(db);

            runToExactTotals(sim, env, dir.resolve("run2.log"));
            assertStoreSound(db);
        }
    }

    @Test
    void sigtermWhileACallHangsCancelsItWithinTheBound() throws Exception {
        // a held-back answer longer than the 7 s grace: only cancelling the call stops it in time
        FaultOptions slow = FaultOptions.NONE.withSlowDelay(Duration.ofSeconds(12));
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(8).days(90).seed(32).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).faults(slow).build())) {
            Map<String, String> env = env(sim);
            Path log = dir.resolve("hang.log");
            try (JarProcess exporter = JarProcess.start(env, log)) {
                Http.await(Duration.ofSeconds(60), "event pages being fetched", () -> sim.requestCount(EVENTS) >= 3);
                sim.faults().slowNext(1);
                Thread.sleep(1500); // the next page is asked for within milliseconds, and now hangs
                long t0 = System.nanoTime();
                int exit = exporter.terminate(BOUND);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                String out = Files.readString(log);
                assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + out);
                assertTrue(took.compareTo(BOUND) < 0, "stopped in " + took.toMillis() + " ms");
                assertTrue(out.contains("cancelling its in-flight call"), out);
                assertTrue(out.contains("sync abandoned mid-call, store closed"), out);
            }
            assertStoreSound(SqliteFiles.storeIn(dir.resolve("data")));
            runToExactTotals(sim, env, dir.resolve("after-hang.log"));
        }
    }

    private static void assertStoreSound(Path db) {
        assertEquals(0, SqliteFiles.walBytes(db), "the write-ahead log was checkpointed into the file on close");
        assertEquals(List.of("ok"), SqliteFiles.integrityCheck(db));
    }

    private void runToExactTotals(Simulator sim, Map<String, String> env, Path log) throws IOException {
        Instant start = Instant.now();
        String url = "http://127.0.0.1:" + env.get("CURSOR_EXPORTER_PORT");
        try (JarProcess exporter = JarProcess.start(env, log)) {
            Http.await(Duration.ofSeconds(30), "exporter up", () -> Http.isUp(url + "/healthz"));
            Exposition[] scrape = new Exposition[1];
            try {
                Http.await(Duration.ofSeconds(90), "all sources synced after the restart", () -> {
                    scrape[0] = Exposition.parse(Http.get(url + "/metrics").body());
                    return scrape[0].samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                            .filter(s -> CORE.contains(s.labels().get("source"))
                                    && s.value() >= start.toEpochMilli() / 1000.0)
                            .count() == CORE.size();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + exporter.output(), e);
            }
            assertScrapeMatches(sim.totals(), scrape[0]);
            int exit = exporter.terminate(BOUND);
            assertTrue(exit == 0 || exit == 143, "exit " + exit);
        }
    }

    private Map<String, String> env(Simulator sim) throws IOException {
        return JarProcess.simulatorEnv(sim, dir, 90);
    }
}
