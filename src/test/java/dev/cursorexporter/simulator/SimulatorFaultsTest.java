package dev.cursorexporter.simulator;

import dev.cursorexporter.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fault knobs: armed and random 429s, truncated bodies, slow answers, short rate-limit windows, restatement. */
class SimulatorFaultsTest {
    private static final long NOW_MS = SimFixtures.NOW.toEpochMilli();
    private static final long DAY = SimFixtures.DAY;
    private static final Map<String, Long> LAST_TWO_DAYS = Map.of("startDate", NOW_MS - 2 * DAY, "endDate", NOW_MS,
            "page", 1L, "pageSize", 1000L);

    @Test
    void anArmedBurstOf429sComesWithOrWithoutRetryAfterThenServingResumes() {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build())) {
            SimClient c = SimClient.basic(sim);
            sim.faults().burst429(2, false);
            for (int i = 0; i < 2; i++) {
                SimClient.Response r = c.get("/teams/members");
                assertEquals(429, r.status());
                assertNull(r.header("Retry-After"));
            }
            assertEquals(200, c.get("/teams/members").status());
            sim.faults().burst429(1, true);
            SimClient.Response withHeader = c.post("/teams/spend", Map.of());
            assertEquals(429, withHeader.status());
            assertEquals("1", withHeader.header("Retry-After"));
            assertEquals(200, c.post("/teams/spend", Map.of()).status());
            assertEquals(3, sim.requests().stream().filter(r -> r.status() == 429).count());
        }
    }

    @Test
    void randomFaultsFollowTheConfiguredFractions() {
        FaultOptions faults = FaultOptions.NONE.withTooManyRate(0.3).withTruncateRate(0.3);
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).faults(faults).build())) {
            SimClient c = SimClient.basic(sim);
            Map<String, Integer> outcomes = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                SimClient.Response r = c.get("/teams/members");
                String outcome = r.status() == 429 ? "429" : isJson(r.body()) ? "whole" : "truncated";
                outcomes.merge(outcome, 1, Integer::sum);
            }
            assertTrue(outcomes.get("429") > 15 && outcomes.get("429") < 45, outcomes.toString());
            assertTrue(outcomes.get("truncated") > 8 && outcomes.get("truncated") < 40, outcomes.toString());
            assertTrue(outcomes.get("whole") > 30, outcomes.toString());
        }
    }

    @Test
    void aTruncatedBodyIsCutMidJsonWithStatus200() {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build())) {
            SimClient c = SimClient.basic(sim);
            String whole = c.post("/teams/filtered-usage-events", LAST_TWO_DAYS).body();
            sim.faults().truncateNext(1);
            SimClient.Response cut = c.post("/teams/filtered-usage-events", LAST_TWO_DAYS);
            assertEquals(200, cut.status());
            assertEquals(whole.substring(0, whole.length() / 2), cut.body());
            assertFalse(isJson(cut.body()));
            assertEquals(whole, c.post("/teams/filtered-usage-events", LAST_TWO_DAYS).body(), "only the next one");
        }
    }

    @Test
    void aSlowAnswerOutlastsTheClientsReadTimeout() throws Exception {
        FaultOptions faults = FaultOptions.NONE.withSlowDelay(Duration.ofMillis(1500));
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).faults(faults).build())) {
            sim.faults().slowNext(1);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/teams/members"))
                    .header("Authorization", SimClient.basicHeader(sim.apiKey(), ""))
                    .timeout(Duration.ofMillis(300)).GET().build();
            assertThrows(HttpTimeoutException.class, () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
            assertEquals(200, http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void theRateLimitWindowCanBeShortened() throws InterruptedException {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).clock(Clock.systemUTC())
                .rateLimits(true).adminRequestsPerMinute(2).rateLimitWindow(Duration.ofMillis(300)).build())) {
            SimClient c = SimClient.basic(sim);
            // start right after a window boundary so three requests fall into one window
            long now = System.currentTimeMillis();
            Thread.sleep(300 - now % 300 + 5);
            assertEquals(200, c.get("/teams/members").status());
            assertEquals(200, c.get("/teams/members").status());
            assertEquals(429, c.get("/teams/members").status());
            Thread.sleep(320);
            assertEquals(200, c.get("/teams/members").status());
        }
    }

    @Test
    void restatementRaisesTheRecentDaysEverywhereAndCanBeTakenBack() {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).restateDays(2).build())) {
            SimClient c = SimClient.basic(sim);
            SimulatorTotals before = sim.totals();
            long eventsBefore = c.post("/teams/filtered-usage-events", LAST_TWO_DAYS).json()
                    .get("totalUsageEventsCount").asLong();
            long linesBefore = linesAdded(c);

            sim.restate(2);
            SimulatorTotals after = sim.totals();
            long eventsAfter = c.post("/teams/filtered-usage-events", LAST_TWO_DAYS).json()
                    .get("totalUsageEventsCount").asLong();
            assertTrue(eventsAfter > eventsBefore, eventsBefore + " -> " + eventsAfter);
            assertEquals(after.totalEvents() - before.totalEvents(), eventsAfter - eventsBefore,
                    "the totals follow what is served");
            assertTrue(linesAdded(c) > linesBefore, "daily usage rises too");
            assertTrue(after.totalCostCents().compareTo(before.totalCostCents()) > 0);
            String threeDaysAgo = Instant.ofEpochMilli(NOW_MS - 3 * DAY).atZone(ZoneOffset.UTC).toLocalDate().toString();
            assertEquals(before.costCentsByDay().get(threeDaysAgo), after.costCentsByDay().get(threeDaysAgo),
                    "older days are not restated");

            sim.restate(0);
            assertEquals(before.totalEvents(), sim.totals().totalEvents());
            assertEquals(linesBefore, linesAdded(c));
        }
    }

    @Test
    void restatementHappensOnItsOwnAfterTheConfiguredMoment() {
        TestClock clock = new TestClock(SimFixtures.NOW);
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).clock(clock)
                .restateAt(SimFixtures.NOW.plusSeconds(60)).build())) {
            long before = sim.totals().totalEvents();
            clock.advance(Duration.ofSeconds(59));
            assertEquals(before, sim.totals().totalEvents());
            clock.advance(Duration.ofSeconds(1));
            assertTrue(sim.totals().totalEvents() > before);
        }
    }

    @Test
    void theFaultsOptionSetsEveryKind() {
        SimulatorOptions o = SimulatorCli.parse(new String[] {"--faults", "5xx=0.2,429=0.1,truncate=0.05,slow=0.01",
                "--slow-delay", "70s", "--latency", "250ms", "--rate-limit-window", "2s", "--restate-days", "3",
                "--restate-at", "2026-03-02T16:00:00Z"});
        assertEquals(0.2, o.errorRate());
        assertEquals(new FaultOptions(0.1, 0.05, 0.01, Duration.ofSeconds(70), Duration.ofMillis(250)), o.faults());
        assertEquals(Duration.ofSeconds(2), o.rateLimitWindow());
        assertEquals(3, o.restateDays());
        assertEquals(Instant.parse("2026-03-02T16:00:00Z"), o.restateAt().orElseThrow());
        for (String[] bad : new String[][] {
                {"--faults 5xx", "--faults expects kind=fraction pairs like 5xx=0.2,429=0.1, got '5xx'"},
                {"--faults 404=0.1", "--faults: unknown kind '404' (expected 5xx, 429, truncate, slow)"},
                {"--faults slow=2", "--faults: slow expects a fraction from 0 to 1, got '2'"},
                {"--faults 429=0.1,429=0.2", "--faults names 429 twice"},
                {"--latency 5", "--latency expects a duration like 250ms, 2s or 1m, got '5'"},
                {"--restate-at tomorrow", "--restate-at expects an ISO-8601 instant like 2026-03-02T12:00:00Z, got 'tomorrow'"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SimulatorCli.parse(bad[0].split(" ")));
            assertEquals(bad[1], e.getMessage());
        }
    }

    private static long linesAdded(SimClient c) {
        long sum = 0;
        for (JsonNode row : c.post("/teams/daily-usage-data", LAST_TWO_DAYS).json().get("data")) {
            sum += row.get("totalLinesAdded").asLong();
        }
        return sum;
    }

    private static boolean isJson(String body) {
        try {
            SimClient.JSON.readTree(body);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
