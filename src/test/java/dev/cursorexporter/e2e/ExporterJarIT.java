package dev.cursorexporter.e2e;

import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The built jar as a user runs it: command line, a live run against the simulator, kill -9, promtool. */
class ExporterJarIT {
    private static final String SECRET_KEY = "crsr_jar_it_secret_0123456789";

    @TempDir
    Path dir;

    @Test
    void checkConfigNamesEveryProblemAndNeverTheKey() throws IOException {
        Path log = dir.resolve("check.log");
        int code = JarProcess.run(Map.of("CURSOR_API_KEY", SECRET_KEY, "CURSOR_EXPORTER_BACKFILL_DAYS", "400",
                "CURSOR_EXPORTER_PORT", "http"), log, Duration.ofSeconds(60), "check-config");
        String out = Files.readString(log);
        assertEquals(1, code, out);
        assertTrue(out.contains("CURSOR_EXPORTER_BACKFILL_DAYS: must be an integer from 1 to 365, got '400'"), out);
        assertTrue(out.contains("CURSOR_EXPORTER_PORT: must be an integer from 1 to 65535, got 'http'"), out);
        assertFalse(out.contains(SECRET_KEY), "the key never appears");

        Path ok = dir.resolve("ok.log");
        assertEquals(0, JarProcess.run(Map.of("CURSOR_API_KEY", SECRET_KEY), ok, Duration.ofSeconds(60),
                "check-config"));
        String okOut = Files.readString(ok);
        assertTrue(okOut.startsWith("configuration OK"), okOut);
        assertFalse(okOut.contains(SECRET_KEY), "the key never appears");

        Path serve = dir.resolve("serve.log");
        assertEquals(1, JarProcess.run(Map.of("CURSOR_EXPORTER_BACKFILL_DAYS", "0"), serve, Duration.ofSeconds(60)),
                "serve refuses to start on invalid configuration");
        assertEquals(2, JarProcess.run(Map.of(), dir.resolve("usage.log"), Duration.ofSeconds(60), "frobnicate"));
    }

    @Test
    void killedMidBackfillAndRestartedItEndsWithExactTotalsAndPassesPromtool() throws Exception {
        Instant now = Instant.now();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(40).days(120).seed(11)
                .live(false).clock(Clock.systemUTC()).rateLimits(false).apiKey(SECRET_KEY).build())) {
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, 150);
            String port = env.get("CURSOR_EXPORTER_PORT");
            Path log = dir.resolve("exporter.log");

            try (JarProcess first = JarProcess.start(env, log)) {
                Http.await(Duration.ofSeconds(60), "event pages being fetched",
                        () -> sim.requestCount("/teams/filtered-usage-events") >= 3);
                first.kill();
            }
            long pagesBeforeKill = sim.requestCount("/teams/filtered-usage-events");

            String url = "http://127.0.0.1:" + port;
            try (JarProcess second = JarProcess.start(env, log)) {
                Http.await(Duration.ofSeconds(30), "exporter up", () -> Http.isUp(url + "/healthz"));
                Exposition[] scrape = new Exposition[1];
                Http.await(Duration.ofSeconds(90), "all sources synced after the restart", () -> {
                    scrape[0] = Exposition.parse(Http.get(url + "/metrics").body());
                    return scrape[0].samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                            .filter(s -> s.value() >= now.getEpochSecond()).count() == Source.values().length;
                });
                assertScrapeMatches(sim.totals(), scrape[0]);
                assertTrue(sim.requestCount("/teams/filtered-usage-events") > pagesBeforeKill);

                String text = Http.get(url + "/metrics").body();
                assertFalse(text.contains(SECRET_KEY));
                promtoolCheckMetrics(text);

                int exit = second.terminate(Duration.ofSeconds(20));
                assertTrue(exit == 0 || exit == 143, "SIGTERM stops it cleanly, exit " + exit);
            }
            assertFalse(Files.readString(log).contains(SECRET_KEY), "the key never appears in the log");
        }
    }

    /** {@code promtool check metrics} on a real scrape; required in CI, skipped elsewhere when absent. */
    static void promtoolCheckMetrics(String scrape) throws IOException, InterruptedException {
        boolean available = new ProcessBuilder("sh", "-c", "command -v promtool").start().waitFor() == 0;
        assumeTrue(available || "true".equals(System.getenv("CI")), "promtool not installed");
        Process p = new ProcessBuilder(List.of("promtool", "check", "metrics")).redirectErrorStream(true).start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
    }
}
