package dev.cursorexporter.e2e;

import dev.cursorexporter.model.Source;

import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: the built jar, in a 256 MiB JVM with the Dockerfile's flags, against a simulator that adds hostile
 * rows to every page (negative, 1e999999999, malformed, outside the window, dated 2100). The exporter stays up,
 * /metrics is 200 and passes promtool, every total equals the simulator's to the cent (the hostile rows come on top
 * of the real ones), each refusal is counted by source and reason, and a restart on the same store is healthy.
 */
class HostileRowsJarIT {
    @TempDir
    Path dir;

    @Test
    void hostileRowsAreRefusedAndTheTotalsStayExactIn256MiB() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(40).seed(13).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            sim.faults().hostileRows(true);
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, 45); // more than the 40 days held: all of it
            env.put("JAVA_TOOL_OPTIONS", dockerfileJvmFlags() + " -XX:MaxRAM=256m");
            String metrics = "http://127.0.0.1:" + env.get("CURSOR_EXPORTER_PORT") + "/metrics";
            for (int run = 1; run <= 2; run++) {
                double since = Instant.now().toEpochMilli() / 1000.0;
                Path log = dir.resolve("run" + run + ".log");
                try (JarProcess jar = JarProcess.start(env, log)) {
                    Exposition[] last = new Exposition[1];
                    Http.await(Duration.ofSeconds(90), "every source synced (run " + run + ")", () -> {
                        if (!Http.isUp(metrics)) {
                            return false;
                        }
                        last[0] = Exposition.parse(Http.get(metrics).body());
                        return last[0].samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                                .filter(s -> s.value() >= since).count() == Source.values().length;
                    });
                    String body = Http.get(metrics).body();
                    ExporterJarIT.promtoolCheckMetrics(body);
                    Exposition scrape = Exposition.parse(body);
                    assertScrapeMatches(sim.totals(), scrape);
                    // after the restart only the look-back days are read again: fewer pages, not every kind
                    assertTrue(scrape.sum("cursor_exporter_rejected_rows_total", l -> true) >= 1, "refusals counted");
                    for (List<String> expected : run == 2 ? List.<List<String>>of() : List.of(List.of("usage_events", "negative"),
                            List.of("usage_events", "too_large"), List.of("usage_events", "malformed"),
                            List.of("usage_events", "outside_window"), List.of("daily_usage", "negative"),
                            List.of("daily_usage", "future_day"), List.of("spend", "negative"))) {
                        assertTrue(scrape.sum("cursor_exporter_rejected_rows_total", l -> expected.get(0)
                                .equals(l.get("source")) && expected.get(1).equals(l.get("reason"))) >= 1,
                                "refusals counted: " + expected);
                    }
                    assertEquals(Source.values().length, scrape.sum("cursor_exporter_source_up", l -> true));
                    String out = Files.readString(log);
                    assertTrue(out.contains("refused") && out.contains("cursor_exporter_rejected_rows_total"), out);
                    // "Picked up JAVA_TOOL_OPTIONS: ... ExitOnOutOfMemoryError" is in every log: look for the error itself
                    assertTrue(!out.contains("java.lang.OutOfMemoryError") && !out.contains(sim.apiKey()), "clean log");
                }
            }
        }
    }

    /**
     * A 48 MiB answer (the first call, members) in the same 256 MiB JVM: refused unread, only that poll fails, the
     * other sources sync, and members is fresh again after its 30-second back-off.
     */
    @Test
    void anOversizedAnswerFailsOnlyThatPollAndTheSourceRecovers() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(20).seed(14).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            sim.faults().oversizeNext(1, 48 * 1024 * 1024);
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, 25);
            env.put("JAVA_TOOL_OPTIONS", dockerfileJvmFlags() + " -XX:MaxRAM=256m");
            String metrics = "http://127.0.0.1:" + env.get("CURSOR_EXPORTER_PORT") + "/metrics";
            double since = Instant.now().toEpochMilli() / 1000.0;
            Path log = dir.resolve("oversized.log");
            try (JarProcess jar = JarProcess.start(env, log)) {
                Http.await(Duration.ofSeconds(120), "every source synced after the oversized answer", () -> {
                    if (!Http.isUp(metrics)) {
                        return false;
                    }
                    return Exposition.parse(Http.get(metrics).body())
                            .samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                            .filter(s -> s.value() >= since).count() == Source.values().length;
                });
                Exposition scrape = Exposition.parse(Http.get(metrics).body());
                assertScrapeMatches(sim.totals(), scrape);
                String out = Files.readString(log);
                assertTrue(out.contains("GET /teams/members: answer too large ("), out);
                assertTrue(out.contains("members: next try in 30 s"), out);
                assertTrue(!out.contains("java.lang.OutOfMemoryError"), out);
            }
        }
    }

    /** The JVM flags the Dockerfile sets, so this test runs the exporter as the container does. */
    private static String dockerfileJvmFlags() throws Exception {
        Matcher m = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(m.find(), "JAVA_TOOL_OPTIONS in the Dockerfile");
        return m.group(1);
    }
}
