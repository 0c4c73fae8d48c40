package dev.cursorexporter.e2e;

import dev.cursorexporter.model.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.simulator.RecordedRequest;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar killed with SIGKILL twice in the middle of a 150-day backfill of 15 members and restarted on the same data
 * directory: the totals come out exact, and no window stored before a kill is fetched again after it (the look-back
 * days aside). Proof from the simulator's request log: the client moves to the next window only after committing
 * the current one, so every window followed by another request of its source in the same run was committed.
 */
class KillRestartIT {
    private static final String EVENTS = "/teams/filtered-usage-events";
    private static final String DAILY = "/teams/daily-usage-data";
    private static final Set<String> API_PATHS = Set.of("/teams/members", "/teams/spend", DAILY, EVENTS);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final int DAYS = 150;
    private static final int USERS = 15;

    @TempDir
    Path dataDir;

    /** A day window as requested: UTC days from..to. */
    private record Window(String path, LocalDate from, LocalDate to) {
        boolean overlaps(Window o) {
            return path.equals(o.path) && !to.isBefore(o.from) && !o.to.isBefore(from);
        }
    }

    @Test
    void killedTwiceMidBackfillItResumesWithoutRefetchingAndEndsExact() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(USERS).days(DAYS).seed(21).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Path directory = dataDir.resolve("directory.csv");
            Files.writeString(directory, sim.directoryCsv());
            LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(sim.totals().nowMs()), ZoneOffset.UTC);
            LocalDate lookbackStart = today.minusDays(2);
            List<List<RecordedRequest>> runs = new ArrayList<>();

            // run 1: killed after a few event pages; run 2: killed after many more; run 3: completes
            int start = 0;
            for (long killAfterEventPages : new long[] {4, 14}) {
                Process exporter = startExporter(sim, directory, "run" + runs.size());
                long target = sim.requestCount(EVENTS) + killAfterEventPages;
                awaitOrDie(exporter, () -> sim.requestCount(EVENTS) >= target, "event pages before the kill");
                exporter.destroyForcibly();
                assertTrue(exporter.waitFor(30, TimeUnit.SECONDS), "the killed exporter is gone");
                List<RecordedRequest> all = sim.requests();
                runs.add(List.copyOf(all.subList(start, all.size())));
                start = all.size();
            }
            Instant lastStart = Instant.now();
            Process exporter = startExporter(sim, directory, "run" + runs.size());
            try {
                Exposition scrape = awaitSynced(exporter, lastStart);
                assertScrapeMatches(sim.totals(), scrape);
            } finally {
                exporter.destroyForcibly();
                exporter.waitFor(30, TimeUnit.SECONDS);
            }
            List<RecordedRequest> all = sim.requests();
            runs.add(List.copyOf(all.subList(start, all.size())));

            long totalEventPages = sim.requestCount(EVENTS);
            for (int run = 0; run < 2; run++) {
                long pages = runs.get(run).stream().filter(r -> r.path().equals(EVENTS)).count();
                assertTrue(pages > 0 && pages < totalEventPages / 2, "run " + run + " was killed mid-backfill: "
                        + pages + " of " + totalEventPages + " event pages");
            }
            for (int run = 0; run < runs.size() - 1; run++) {
                List<Window> committed = committedFinalWindows(runs.get(run), lookbackStart);
                if (run == 1) {
                    assertTrue(committed.stream().anyMatch(w -> w.path().equals(EVENTS)),
                            "run 2 stored usage-event windows before its kill: " + committed);
                }
                for (int later = run + 1; later < runs.size(); later++) {
                    for (Window w : windows(runs.get(later))) {
                        for (Window c : committed) {
                            assertFalse(w.overlaps(c), "run " + later + " fetched " + w + " again, committed in run "
                                    + run);
                        }
                    }
                }
            }
            assertTrue(committedFinalWindows(runs.get(0), lookbackStart).stream()
                            .anyMatch(w -> w.path().equals(DAILY)),
                    "run 1 stored daily-usage windows before its kill, so the check above is not empty");
        }
    }

    /** Final (pre-look-back) windows of a run followed by another window of the same source in that run. */
    private static List<Window> committedFinalWindows(List<RecordedRequest> run, LocalDate lookbackStart) {
        List<Window> out = new ArrayList<>();
        for (String path : List.of(DAILY, EVENTS)) {
            List<Window> sequence = new ArrayList<>();
            for (RecordedRequest r : run) {
                if (r.path().equals(path) && r.status() == 200) {
                    Window w = window(r);
                    if (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(w)) {
                        sequence.add(w);
                    }
                }
            }
            for (int i = 0; i + 1 < sequence.size(); i++) {
                if (sequence.get(i).to().isBefore(lookbackStart)) {
                    out.add(sequence.get(i));
                }
            }
        }
        return out;
    }

    private static List<Window> windows(List<RecordedRequest> run) {
        return run.stream().filter(r -> r.path().equals(DAILY) || r.path().equals(EVENTS))
                .map(KillRestartIT::window).distinct().toList();
    }

    private static Window window(RecordedRequest r) {
        try {
            JsonNode body = JSON.readTree(r.body());
            return new Window(r.path(), day(body.get("startDate").asLong()), day(body.get("endDate").asLong()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LocalDate day(long epochMs) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
    }

    private int port;

    /** Where the store lives: by default the data directory's SQLite file ({@link PostgresKillRestartIT}: PostgreSQL). */
    void store(Map<String, String> environment) {
    }

    private Process startExporter(Simulator sim, Path directory, String name) throws IOException {
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        }
        String jar = System.getProperty("exporter.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "exporter.jar names the built jar: " + jar);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar);
        pb.environment().keySet().removeIf(k -> k.startsWith("CURSOR_"));
        pb.environment().put("CURSOR_API_KEY", sim.apiKey());
        pb.environment().put("CURSOR_API_BASE_URL", sim.baseUrl().toString());
        pb.environment().put("CURSOR_EXPORTER_PORT", Integer.toString(port));
        pb.environment().put("CURSOR_EXPORTER_DATA_DIR", dataDir.toString());
        store(pb.environment());
        // DAYS - 1 complete days before today plus today: exactly the simulator's DAYS days of history
        pb.environment().put("CURSOR_EXPORTER_BACKFILL_DAYS", Integer.toString(DAYS - 1));
        pb.environment().put("CURSOR_EXPORTER_DIRECTORY_FILE", directory.toString());
        // the simulator's limits are off; lift the exporter's own budgets too so the test does not wait minutes
        Path config = dataDir.resolve("fast.yaml");
        Files.writeString(config, "sync:\n  rate_limits:\n    admin: 1000\n    usage_events: 1000\n");
        pb.environment().put("CURSOR_EXPORTER_CONFIG", config.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dataDir.resolve(name + ".log").toFile());
        return pb.start();
    }

    private void awaitOrDie(Process exporter, java.util.function.BooleanSupplier condition, String what)
            throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!exporter.isAlive()) {
                throw new AssertionError("the exporter exited (" + exporter.exitValue() + ") while waiting for "
                        + what + ":\n" + logs());
            }
            if (System.nanoTime() > deadline) {
                exporter.destroyForcibly();
                throw new AssertionError("timed out waiting for " + what + ":\n" + logs());
            }
            Thread.onSpinWait();
        }
    }

    private Exposition awaitSynced(Process exporter, Instant since) throws IOException {
        Exposition[] last = new Exposition[1];
        awaitOrDie(exporter, () -> {
            if (!Http.isUp("http://127.0.0.1:" + port + "/healthz")) {
                sleepBriefly();
                return false;
            }
            last[0] = Exposition.parse(Http.get("http://127.0.0.1:" + port + "/metrics").body());
            long synced = last[0].samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                    .filter(s -> s.value() >= since.toEpochMilli() / 1000.0).count();
            sleepBriefly();
            return synced == Source.values().length;
        }, "every source synced after the last restart");
        assertEquals(Source.values().length, last[0].sum("cursor_exporter_source_up", l -> true));
        return last[0];
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String logs() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(dataDir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                out.append("--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        }
        return out.toString();
    }
}
