package dev.cursorexporter.bench;

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opt-in measurement (CI skips it): the built jar, with the Dockerfile's JVM flags and the heap a 256 MiB container
 * gives it, backfills a 1,000-member team against the in-test simulator with every rate limit off; then prints
 * resident memory (VmRSS, peak VmHWM), the heap in use and the backfill time.
 *
 * <pre>./mvnw -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=MemoryFootprintIT \
 *     -Dmeasure.memory=true [-Dmeasure.days=90] [-Dmeasure.users=1000]</pre>
 */
class MemoryFootprintIT {
    /** The core sources; the Enterprise ones are polled after them and are not waited for. */
    private static final Set<String> CORE = Set.of("members", "spend", "daily_usage", "usage_events");
    /** What the Dockerfile sets, plus the memory a 256 MiB container limit reports to the JVM. */
    static final String CONTAINER_FLAGS = "-XX:MaxRAMPercentage=45 -XX:MinRAMPercentage=45"
            + " -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m"
            + " -Xss512k -XX:MaxRAM=256m";
    /** The Dockerfile also caps glibc's malloc arenas, which otherwise grow per thread outside the heap. */
    static final String MALLOC_ARENA_MAX = "2";

    @TempDir
    Path dir;

    @Test
    void backfillOfAThousandMembersFitsIn256MiB() throws Exception {
        assumeTrue(Boolean.getBoolean("measure.memory"), "opt-in: -Dmeasure.memory=true");
        int users = Integer.getInteger("measure.users", 1000);
        int days = Integer.getInteger("measure.days", 30);
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(users).days(days).seed(7).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, days);
            env.put("JAVA_TOOL_OPTIONS", System.getProperty("measure.flags", CONTAINER_FLAGS));
            env.put("MALLOC_ARENA_MAX", MALLOC_ARENA_MAX);
            int port = Integer.parseInt(env.get("CURSOR_EXPORTER_PORT"));
            Path log = dir.resolve("exporter.log");
            String url = "http://127.0.0.1:" + port;
            Instant start = Instant.now();
            try (JarProcess exporter = JarProcess.start(env, log)) {
                Http.await(Duration.ofMinutes(20), "the backfill of " + users + " members x " + days + " days", () -> {
                    if (!exporter.isAlive()) {
                        throw new AssertionError("the exporter died (OOM?):\n" + exporter.output());
                    }
                    if (!Http.isUp(url + "/healthz")) {
                        return false;
                    }
                    Exposition scrape = Exposition.parse(Http.get(url + "/metrics").body());
                    return scrape.samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                            .filter(s -> CORE.contains(s.labels().get("source"))
                                    && s.value() >= start.getEpochSecond())
                            .count() == CORE.size();
                });
                Duration backfill = Duration.between(start, Instant.now());
                // a scrape and a datasource query on top, as a running exporter would serve them
                int scrapeBytes = Http.get(url + "/metrics").body().length();
                String status = Files.readString(Path.of("/proc/" + exporter.pid() + "/status"));
                String heap = jcmd(exporter.pid(), "GC.heap_info");
                long dbBytes = Files.size(dir.resolve("data").resolve("cursor-exporter.db"));
                System.out.printf("%n=== memory footprint: %d members x %d days, flags: %s%n", users, days,
                        env.get("JAVA_TOOL_OPTIONS"));
                System.out.printf("backfill to all sources synced: %d s; events pages: %d; scrape %d bytes; "
                        + "store %d MiB%n", backfill.toSeconds(), sim.requestCount("/teams/filtered-usage-events"),
                        scrapeBytes, dbBytes >> 20);
                System.out.println(line(status, "VmRSS") + "   " + line(status, "VmHWM") + "   "
                        + line(status, "Threads"));
                System.out.println(heap);
                assertTrue(exporter.isAlive(), "still running");
                exporter.terminate(Duration.ofSeconds(15));
            }
        }
    }

    private static String line(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).findFirst().orElse(key + ": ?")
                .replaceAll("\\s+", " ");
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out.strip();
    }
}
