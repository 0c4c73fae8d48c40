package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Enterprise endpoints over real HTTP: shapes, consistency with the organisation, ETag/304, plan gates. */
class SimulatorEnterpriseTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(Simulator sim, String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .header("Authorization", SimClient.basicHeader(sim.apiKey(), ""));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void analyticsAnswersCarryAnEtagAndA304IsFreeOfTheRateLimit() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).rateLimits(true).build())) {
            String path = "/analytics/team/dau?startDate=2026-02-20&endDate=2026-03-02";
            HttpResponse<String> first = get(sim, path, null);
            assertEquals(200, first.statusCode());
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertEquals("public, max-age=900", first.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals(etag, get(sim, path, null).headers().firstValue("ETag").orElseThrow(), "stable");
            for (int i = 0; i < 150; i++) { // more than the 100/min budget
                HttpResponse<String> again = get(sim, path, etag);
                assertEquals(304, again.statusCode());
                assertEquals("", again.body());
            }
            assertEquals(200, get(sim, path, "\"something-else\"").statusCode(), "budget untouched by 304s");
        }
    }

    @Test
    void dauAndModelsFollowTheSimulatedEvents() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build())) {
            SimulatorTotals totals = sim.totals();
            JsonNode dau = SimClient.JSON.readTree(get(sim,
                    "/analytics/team/dau?startDate=2026-02-01&endDate=2026-03-02", null).body());
            assertEquals(30, dau.path("data").size());
            for (JsonNode row : dau.path("data")) {
                assertEquals(totals.dauByDay().get(row.path("date").asText()), row.path("dau").asLong(),
                        row.toString());
            }
            assertEquals("dau", dau.path("params").path("metric").asText());

            Map<String, Long> messages = new TreeMap<>();
            LocalDate first = LocalDate.parse(totals.firstDay());
            for (LocalDate from = first; !from.isAfter(LocalDate.parse(totals.newestDay())); from = from.plusDays(30)) {
                LocalDate to = from.plusDays(29);
                JsonNode models = SimClient.JSON.readTree(get(sim, "/analytics/team/models?startDate=" + from
                        + "&endDate=" + to, null).body());
                for (JsonNode row : models.path("data")) {
                    row.path("model_breakdown").fields().forEachRemaining(e ->
                            messages.merge(e.getKey(), e.getValue().path("messages").asLong(), Long::sum));
                }
            }
            assertEquals(totals.modelMessagesByModel(), messages);
            assertEquals(totals.requestsByModel(), messages, "one message per usage event");
        }
    }

    @Test
    void commitsRelateToDailyUsageLinesAndCarryAMessage() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build())) {
            JsonNode page = SimClient.JSON.readTree(get(sim, "/analytics/ai-code/commits?startDate=2026-02-25T00:00:00Z"
                    + "&endDate=2026-03-02T15:30:00Z&page=1&pageSize=5", null).body());
            assertEquals(5, page.path("items").size());
            assertTrue(page.path("totalCount").asLong() > 5);
            JsonNode c = page.path("items").get(0);
            assertEquals(c.path("totalLinesAdded").asLong(), c.path("tabLinesAdded").asLong()
                    + c.path("composerLinesAdded").asLong() + c.path("nonAiLinesAdded").asLong());
            assertFalse(c.path("message").asText().isEmpty());
            assertEquals(40, c.path("commitHash").asText().length());
            JsonNode tooLong = SimClient.JSON.readTree(get(sim, "/analytics/ai-code/commits?startDate=2026-01-01T00:00:00Z"
                    + "&endDate=2026-03-01T00:00:00Z", null).body());
            assertNotNull(tooLong.get("message"));
        }
    }

    @Test
    void groupsAreTheTeamsWithCycleDates() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build())) {
            HttpResponse<String> r = get(sim, "/teams/groups", null);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("ETag").isEmpty(), "Admin API: no caching");
            JsonNode root = SimClient.JSON.readTree(r.body());
            SimulatorTotals totals = sim.totals();
            Map<String, Long> spend = new TreeMap<>();
            root.path("groups").forEach(g -> spend.put(g.path("name").asText(), g.path("spendCents").asLong()));
            spend.put("Unassigned", root.path("unassignedGroup").path("spendCents").asLong());
            Map<String, Long> expected = new TreeMap<>();
            totals.billingGroupSpendCentsByGroup().forEach((k, v) -> expected.put(k, v.longValueExact()));
            assertEquals(expected, spend);
            assertEquals(totals.cycleEndMs(), java.time.Instant.parse(
                    root.path("billingCycle").path("cycleEnd").asText()).toEpochMilli());
        }
    }

    @Test
    void thePlanGateAnswersInBothObservedAndDocumentedShapes() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST)
                .enterprise(EnterpriseMode.OFF).build())) {
            for (String path : new String[] {"/teams/groups", "/analytics/team/models", "/analytics/ai-code/commits"}) {
                HttpResponse<String> r = get(sim, path, null);
                assertEquals(401, r.statusCode(), path);
                assertEquals("{\"code\":\"error\",\"message\":\"You must be a member of an enterprise team to access"
                        + " this resource\"}", r.body());
            }
            assertEquals(200, SimClient.basic(sim).get("/teams/members").status(), "core endpoints unaffected");
            sim.enterprise(EnterpriseMode.OFF_DOCS);
            HttpResponse<String> r = get(sim, "/analytics/team/dau", null);
            assertEquals(403, r.statusCode());
            assertEquals("{\"error\":\"Forbidden\",\"message\":\"Enterprise access required\"}", r.body());
            sim.enterprise(EnterpriseMode.ON);
            assertEquals(200, get(sim, "/analytics/team/dau", null).statusCode());
        }
    }
}
