package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import dev.cursorexporter.testing.PostgresServer;
import dev.cursorexporter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas of the built jar on one PostgreSQL database, polling the standalone simulator ({@code java -jar …
 * simulate}) as Cursor: both report the simulator's exact totals, exactly one polls; the poller is killed with
 * SIGKILL and the other takes over within 90 s (the time is measured and printed), without fetching the backfill
 * windows the dead one stored again; a restatement the simulator makes after the take-over ends exact too.
 */
class HighAvailabilityIT {
    private static final int DAYS = 75;
    private static final int USERS = 8;
    private static final String ACCOUNT = "default";
    private static final String DAILY = "/teams/daily-usage-data";
    private static final String EVENTS = "/teams/filtered-usage-events";
    private static final Duration TAKE_OVER_LIMIT = Duration.ofSeconds(90);
    /** When the simulator restates its last two days: after the take-over, which comes well within this. */
    private static final Duration RESTATE_AFTER = Duration.ofSeconds(80);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @TempDir
    Path dir;

    private record Replica(String name, JarProcess process, int port) {
        Exposition scrape() {
            return Exposition.parse(RawHttp.get(port, "/metrics").body());
        }

        /** cursor_exporter_poller of the account, or -1 while it is not served. */
        double poller() {
            try {
                List<Exposition.Sample> s = scrape().samples("cursor_exporter_poller");
                return s.stream().filter(x -> ACCOUNT.equals(x.labels().get("account"))).mapToDouble(Exposition.Sample::value)
                        .findFirst().orElse(-1);
            } catch (RuntimeException e) {
                return -1;
            }
        }

        double requests(String endpoint) {
            return scrape().sum("cursor_exporter_api_requests_total", l -> endpoint.equals(l.get("endpoint")));
        }
    }

    @Test
    void twoReplicasOnePollerKilledTheOtherTakesOverAndStaysExact() throws Exception {
        String url = PostgresServer.get().freshDatabase();
        int simPort = JarProcess.freePort();
        Instant restateAt = Instant.now().plus(RESTATE_AFTER);
        Path simLog = dir.resolve("simulator.log");
        try (JarProcess sim = JarProcess.start(Map.of(), simLog, "simulate", "--port", Integer.toString(simPort),
                "--users", Integer.toString(USERS), "--days", Integer.toString(DAYS), "--seed", "61", "--frozen",
                "--no-rate-limits", "--restate-days", "2", "--restate-at", restateAt.toString())) {
            String simUrl = "http://127.0.0.1:" + simPort;
            Http.await(Duration.ofSeconds(30), "simulator up", () -> Http.isUp(simUrl + "/_simulator/totals"));
            SimulatorTotals before = totals(simUrl);
            Path directory = Files.writeString(dir.resolve("directory.csv"),
                    Http.get(simUrl + "/_simulator/directory.csv").body());
            Path config = Files.writeString(dir.resolve("fast.yaml"), """
                    sync:
                      rate_limits:
                        admin: 1000
                        usage_events: 1000
                        analytics_team: 1000
                        ai_code: 1000
                      intervals:
                        members: 1m
                        spend: 1m
                        daily_usage: 1m
                        usage_events: 1m
                    """);
            List<Replica> replicas = new ArrayList<>();
            try {
                for (String name : List.of("a", "b")) {
                    Map<String, String> env = new HashMap<>();
                    env.put("CURSOR_API_KEY", "sim-key");
                    env.put("CURSOR_API_BASE_URL", simUrl);
                    int port = JarProcess.freePort();
                    env.put("CURSOR_EXPORTER_PORT", Integer.toString(port));
                    env.put("CURSOR_EXPORTER_DATA_DIR", dir.resolve("data-" + name).toString());
                    env.put("CURSOR_EXPORTER_BACKFILL_DAYS", Integer.toString(DAYS - 1));
                    env.put("CURSOR_EXPORTER_DIRECTORY_FILE", directory.toString());
                    env.put("CURSOR_EXPORTER_CONFIG", config.toString());
                    env.put("CURSOR_EXPORTER_STORE_URL", url);
                    env.put("CURSOR_EXPORTER_STORE_PASSWORD", PostgresServer.PASSWORD);
                    replicas.add(new Replica(name, JarProcess.start(env, dir.resolve(name + ".log")), port));
                }

                // both serve the poller's data, exactly; one polls
                for (Replica r : replicas) {
                    awaitExact(r, before, Duration.ofSeconds(120));
                }
                double pollers = 0;
                for (Replica r : replicas) {
                    double p = r.poller();
                    assertTrue(p == 0 || p == 1, r.name() + " serves cursor_exporter_poller: " + p);
                    pollers += p;
                }
                assertEquals(1, pollers, "exactly one replica polls the account");
                Replica poller = replicas.get(0).poller() == 1 ? replicas.get(0) : replicas.get(1);
                Replica other = poller == replicas.get(0) ? replicas.get(1) : replicas.get(0);
                assertEquals(0, other.requests(DAILY) + other.requests(EVENTS),
                        "the replica that does not poll made no Cursor call");
                double backfillDailyCalls = poller.requests(DAILY);
                assertTrue(backfillDailyCalls >= 3, "the backfill of " + DAYS + " days took several 30-day windows: "
                        + backfillDailyCalls);

                // kill -9 the poller; the other takes over
                long killed = System.nanoTime();
                poller.process().kill();
                Http.await(TAKE_OVER_LIMIT, "take-over by replica " + other.name(), () -> other.poller() == 1);
                Duration takeOver = Duration.ofNanos(System.nanoTime() - killed);
                System.out.println("HighAvailabilityIT: take-over after kill -9 in " + takeOver.toMillis() + " ms");
                assertTrue(Instant.now().isBefore(restateAt), "the take-over came before the simulator's restatement "
                        + "(machine too slow for this test's schedule: " + takeOver + ")");

                // its first polls read the look-back days only: the dead poller's backfill windows are covered
                Http.await(Duration.ofSeconds(60), "the new poller's first daily-usage and events polls",
                        () -> lastSuccessAfter(other, "daily_usage", killed) && lastSuccessAfter(other, "usage_events",
                                killed));
                assertEquals(1, other.requests(DAILY), "one look-back window of daily usage, not the "
                        + backfillDailyCalls + " windows of the backfill again");
                assertEquals(before.totalEvents(), totals(simUrl).totalEvents(), "not restated yet");
                assertScrapeMatches(before, other.scrape());

                // Cursor restates the last two days after the take-over; the new poller's next polls end exact
                Http.await(RESTATE_AFTER.plusSeconds(10), "the simulator's restatement",
                        () -> totals(simUrl).totalEvents() != before.totalEvents());
                SimulatorTotals restated = totals(simUrl);
                assertNotEquals(before.totalCostCents(), restated.totalCostCents());
                assertEquals(202, RawHttp.post(other.port(), "/admin/sync", "").status(), "forced sync queued");
                awaitExact(other, restated, Duration.ofSeconds(90));
                assertTrue(other.requests(DAILY) < backfillDailyCalls + 2, "still no backfill window fetched again: "
                        + other.requests(DAILY) + " daily-usage calls");
            } finally {
                for (Replica r : replicas) {
                    r.process().close();
                }
            }
        }
    }

    /** Whether the replica's stored last success of {@code source} is after the kill (the new poller's own poll). */
    private static boolean lastSuccessAfter(Replica r, String source, long killedNanos) {
        long killedAtMs = System.currentTimeMillis() - (System.nanoTime() - killedNanos) / 1_000_000;
        return r.scrape().sum("cursor_exporter_source_last_success_timestamp_seconds",
                l -> source.equals(l.get("source"))) * 1000 > killedAtMs;
    }

    private static void awaitExact(Replica r, SimulatorTotals expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            if (!r.process().isAlive()) {
                throw new AssertionError("replica " + r.name() + " exited:\n" + r.process().output());
            }
            try {
                assertScrapeMatches(expected, r.scrape());
                return;
            } catch (AssertionError | RuntimeException e) {
                last = e instanceof AssertionError a ? a : new AssertionError(e);
            }
            sleep(250);
        }
        throw new AssertionError("replica " + r.name() + " not exact within " + timeout, last);
    }

    private static SimulatorTotals totals(String simUrl) {
        try {
            return JSON.readValue(Http.get(simUrl + "/_simulator/totals").body(), SimulatorTotals.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
