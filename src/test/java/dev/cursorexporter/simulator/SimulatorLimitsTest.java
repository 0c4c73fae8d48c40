package dev.cursorexporter.simulator;

import dev.cursorexporter.testing.TestClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.cursorexporter.simulator.SimFixtures.DAY;
import static dev.cursorexporter.simulator.SimFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation (400), rate limits (429), injected faults (5xx) and retention. */
class SimulatorLimitsTest {
    private static final long NOW_MS = NOW.toEpochMilli();
    private static final String TOO_MANY =
            "{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded. Please try again later.\"}";

    static Stream<Arguments> badRequests() {
        long thirtyDays = 30 * DAY;
        return Stream.of(
                Arguments.of("/teams/daily-usage-data", "{\"startDate\":0,\"endDate\":" + (thirtyDays + 1) + "}",
                        "Date range cannot exceed 30 days"),
                Arguments.of("/teams/filtered-usage-events", "{\"startDate\":0,\"endDate\":" + (thirtyDays + 1) + "}",
                        "Date range cannot exceed 30 days"),
                Arguments.of("/teams/daily-usage-data", "{\"startDate\":10,\"endDate\":9}",
                        "endDate must not be before startDate"),
                Arguments.of("/teams/filtered-usage-events", "{\"startDate\":10,\"endDate\":9}",
                        "endDate must not be before startDate"),
                Arguments.of("/teams/daily-usage-data", "{}", "startDate and endDate are required"),
                Arguments.of("/teams/filtered-usage-events", "{\"startDate\":1}", "startDate and endDate are required"),
                Arguments.of("/teams/daily-usage-data", "{\"startDate\":\"2026-01-01\",\"endDate\":1}",
                        "startDate must be an integer number"),
                Arguments.of("/teams/filtered-usage-events", "{\"startDate\":0,\"endDate\":1,\"pageSize\":1001}",
                        "pageSize cannot exceed 1000"),
                Arguments.of("/teams/filtered-usage-events", "{\"startDate\":0,\"endDate\":1,\"page\":0}",
                        "page must be a positive integer"),
                Arguments.of("/teams/filtered-usage-events", "{\"startDate\":0,\"endDate\":1,\"hostingType\":\"MOON\"}",
                        "Invalid hostingType"),
                Arguments.of("/teams/spend", "{\"pageSize\":0}", "pageSize must be a positive integer"),
                Arguments.of("/teams/spend", "{\"sortBy\":\"size\"}", "sortBy must be one of amount, date, user"),
                Arguments.of("/teams/spend", "[1,2]", "Request body must be a JSON object"),
                Arguments.of("/teams/spend", "{not json", "Invalid JSON body"));
    }

    private static Simulator shared;

    @BeforeAll
    static void start() {
        shared = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build());
    }

    @AfterAll
    static void stop() {
        shared.close();
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void invalidRequestsGet400WithCursorsShape(String path, String body, String message) {
        SimClient.Response r = SimClient.basic(shared).postRaw(path, body);
        assertEquals(400, r.status(), r.body());
        assertEquals("{\"error\":\"Bad Request\",\"message\":\"" + message + "\"}", r.body());
    }

    @Test
    void exactlyThirtyDaysIsAcceptedAndMaxRangeIsConfigurable() {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build());
             Simulator legacy = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).maxRangeDays(90).build())) {
            Map<String, Long> thirty = Map.of("startDate", NOW_MS - 30 * DAY, "endDate", NOW_MS);
            assertEquals(200, SimClient.basic(sim).post("/teams/daily-usage-data", thirty).status());
            assertEquals(200, SimClient.basic(sim).post("/teams/filtered-usage-events", thirty).status());
            Map<String, Long> sixty = Map.of("startDate", NOW_MS - 60 * DAY, "endDate", NOW_MS);
            assertEquals(400, SimClient.basic(sim).post("/teams/daily-usage-data", sixty).status());
            assertEquals(200, SimClient.basic(legacy).post("/teams/daily-usage-data", sixty).status());
        }
    }

    @Test
    void adminFamilySharesTwentyPerMinuteAndEventsHaveTheirOwnSixty() {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T15:30:10Z"));
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).clock(clock)
                .rateLimits(true).build())) {
            SimClient c = SimClient.basic(sim);
            Map<String, Long> range = Map.of("startDate", NOW_MS - DAY, "endDate", NOW_MS, "page", 1L,
                    "pageSize", 10L);
            for (int i = 0; i < 20; i++) {
                SimClient.Response r = switch (i % 3) {
                    case 0 -> c.get("/teams/members");
                    case 1 -> c.post("/teams/spend", Map.of());
                    default -> c.post("/teams/daily-usage-data", range);
                };
                assertEquals(200, r.status(), "request " + i);
            }
            SimClient.Response limited = c.post("/teams/spend", Map.of());
            assertEquals(429, limited.status());
            assertEquals(TOO_MANY, limited.body());
            assertNull(limited.header("Retry-After"), "no Retry-After unless switched on");
            assertEquals(429, c.get("/teams/members").status());

            for (int i = 0; i < 60; i++) {
                assertEquals(200, c.post("/teams/filtered-usage-events", range).status(), "event request " + i);
            }
            assertEquals(429, c.post("/teams/filtered-usage-events", range).status());

            clock.advance(Duration.ofSeconds(50)); // 15:31:00, a new window
            assertEquals(200, c.get("/teams/members").status());
            assertEquals(200, c.post("/teams/filtered-usage-events", range).status());
            assertEquals(20 + 2 + 1, sim.requestCount("/teams/members") + sim.requestCount("/teams/spend")
                    + sim.requestCount("/teams/daily-usage-data"), "429s are counted as requests too");
        }
    }

    @Test
    void retryAfterTellsTheSecondsToTheWindowReset() {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T15:30:15.500Z"));
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).clock(clock)
                .rateLimits(true).retryAfter(true).adminRequestsPerMinute(2).build())) {
            SimClient c = SimClient.basic(sim);
            assertEquals(200, c.get("/teams/members").status());
            assertEquals(200, c.get("/teams/members").status());
            SimClient.Response limited = c.get("/teams/members");
            assertEquals(429, limited.status());
            assertEquals("45", limited.header("Retry-After"));
            clock.advance(Duration.ofSeconds(44));
            assertEquals("1", c.get("/teams/members").header("Retry-After"));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(200, c.get("/teams/members").status());
        }
    }

    @Test
    void rateLimitsCanBeSwitchedOff() {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).rateLimits(false).build())) {
            SimClient c = SimClient.basic(sim);
            for (int i = 0; i < 30; i++) {
                assertEquals(200, c.get("/teams/members").status());
            }
        }
    }

    @Test
    void errorRateAnswersWithServerErrors() {
        try (Simulator always = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).errorRate(1).build());
             Simulator sometimes = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).errorRate(0.3).build())) {
            Map<Integer, Integer> statuses = new HashMap<>();
            for (int i = 0; i < 12; i++) {
                SimClient.Response r = SimClient.basic(always).get("/teams/members");
                statuses.merge(r.status(), 1, Integer::sum);
                assertEquals("{\"error\":\"Internal Server Error\",\"message\":\"An unexpected error occurred\"}",
                        r.body());
            }
            assertTrue(Set.of(500, 502, 503).containsAll(statuses.keySet()));
            assertTrue(statuses.size() >= 2, statuses.toString());
            assertEquals(200, new SimClient(always.baseUrl(), null).get("/_simulator/totals").status(),
                    "simulator resources never fail");

            Map<Integer, Integer> mixed = new LinkedHashMap<>();
            for (int i = 0; i < 40; i++) {
                mixed.merge(SimClient.basic(sometimes).get("/teams/members").status(), 1, Integer::sum);
            }
            assertTrue(mixed.get(200) > 15 && mixed.get(200) < 40, mixed.toString());
        }
    }

    @Test
    void retentionHidesOlderUsage() {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).retentionDays(7).build())) {
            SimClient c = SimClient.basic(sim);
            Map<String, Long> old = Map.of("startDate", NOW_MS - 20 * DAY, "endDate", NOW_MS - 10 * DAY, "page", 1L,
                    "pageSize", 100L);
            JsonNode events = c.post("/teams/filtered-usage-events", old).json();
            assertEquals(0, events.get("totalUsageEventsCount").asInt());
            assertEquals(0, c.post("/teams/daily-usage-data", old).json().get("data").size());
            Map<String, Long> recent = Map.of("startDate", NOW_MS - 20 * DAY, "endDate", NOW_MS, "page", 1L,
                    "pageSize", 1000L);
            JsonNode rows = c.post("/teams/daily-usage-data", recent).json().get("data");
            assertTrue(rows.size() > 0);
            rows.forEach(r -> assertTrue(r.get("day").asText().compareTo("2026-02-24") >= 0, r.toString()));
            assertEquals("2026-02-24", sim.totals().firstDay());
            assertEquals(sim.totals().totalEvents(),
                    c.post("/teams/filtered-usage-events", recent).json().get("totalUsageEventsCount").asLong());
        }
    }
}
