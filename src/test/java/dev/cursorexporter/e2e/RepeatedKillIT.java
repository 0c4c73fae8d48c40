package dev.cursorexporter.e2e;

import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import dev.cursorexporter.testing.SqliteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar killed with SIGKILL at five random moments of a backfill (seeded: {@code -Dkill.seed=N} replays a
 * run), restarted on the same data directory each time: the SQLite file passes {@code PRAGMA integrity_check} after
 * every kill, and the run that is finally left alone ends with exact totals. A kill lands anywhere: in a page
 * staging transaction, a window merge, a metrics rebuild, between requests.
 */
class RepeatedKillIT {
    /** The core sources; the Enterprise ones are polled after them and are not waited for. */
    private static final Set<String> CORE = Set.of("members", "spend", "daily_usage", "usage_events");
    private static final String EVENTS = "/teams/filtered-usage-events";
    private static final String DAILY = "/teams/daily-usage-data";
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void killedFiveTimesAtRandomItStaysSoundAndEndsExact() throws Exception {
        long seed = Long.getLong("kill.seed", 20260501L);
        Random random = new Random(seed);
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(90).seed(41).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, 90);
            Path db = SqliteFiles.storeIn(dir.resolve("data"));

            List<String> kills = new ArrayList<>();
            for (int k = 0; k < KILLS; k++) {
                long delayMs = 100 + random.nextInt(1000);
                try (JarProcess exporter = JarProcess.start(env, dir.resolve("run" + k + ".log"))) {
                    long before = sim.requestCount(DAILY) + sim.requestCount(EVENTS);
                    // past start-up: the run is syncing, then a random moment of it
                    Http.await(Duration.ofSeconds(60), "run " + k + " syncing",
                            () -> sim.requestCount(DAILY) + sim.requestCount(EVENTS) > before);
                    Thread.sleep(delayMs);
                    exporter.kill();
                }
                kills.add("kill " + k + " at +" + delayMs + " ms, " + sim.requestCount(EVENTS) + " event pages so far");
                assertEquals(List.of("ok"), SqliteFiles.integrityCheck(db), "after " + kills + " (seed " + seed + ")");
            }

            Instant start = Instant.now();
            String url = "http://127.0.0.1:" + env.get("CURSOR_EXPORTER_PORT");
            long pagesBeforeLastRun = sim.requestCount(EVENTS);
            try (JarProcess exporter = JarProcess.start(env, dir.resolve("final.log"))) {
                Http.await(Duration.ofSeconds(30), "exporter up", () -> Http.isUp(url + "/healthz"));
                Exposition[] scrape = new Exposition[1];
                Http.await(Duration.ofSeconds(90), "all sources synced after the last restart", () -> {
                    scrape[0] = Exposition.parse(Http.get(url + "/metrics").body());
                    return scrape[0].samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                            .filter(s -> CORE.contains(s.labels().get("source"))
                                    // to the millisecond: a success of the killed run in the same second
                                    // as start must not count
                                    && s.value() >= start.toEpochMilli() / 1000.0)
                            .count() == CORE.size();
                });
                assertScrapeMatches(sim.totals(), scrape[0]);
                int exit = exporter.terminate(Duration.ofSeconds(15));
                assertTrue(exit == 0 || exit == 143, "exit " + exit);
            }
            assertTrue(sim.requestCount(EVENTS) > pagesBeforeLastRun, "the kills landed before the backfill ended: "
                    + kills);
            assertEquals(0, SqliteFiles.walBytes(db), "a clean stop checkpoints the write-ahead log away");
            assertEquals(List.of("ok"), SqliteFiles.integrityCheck(db), "seed " + seed + ": " + kills);
        }
    }
}
