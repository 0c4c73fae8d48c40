package dev.cursorexporter.cursor;

import dev.cursorexporter.model.AiCodeCommit;
import dev.cursorexporter.model.AnalyticsAnswer;
import dev.cursorexporter.model.AnalyticsMetric;
import dev.cursorexporter.model.AnalyticsPoint;
import dev.cursorexporter.model.BillingGroups;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.cursorexporter.cursor.ClientTestKit.KEY;
import static dev.cursorexporter.cursor.ClientTestKit.fixture;
import static dev.cursorexporter.cursor.ClientTestKit.fixtureResponse;
import static dev.cursorexporter.cursor.ClientTestKit.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Enterprise endpoints over the client's own transport: requests, parsing, ETag/304, 401/403 bodies. */
class EnterpriseClientTest {
    private static final LocalDate MAR_1 = LocalDate.parse("2026-03-01");
    private static final LocalDate MAR_2 = LocalDate.parse("2026-03-02");

    private final ClientTestKit kit = new ClientTestKit();
    private final CursorClient client = kit.client();
    private final EnterpriseApi api = client.enterprise();

    @AfterEach
    void tearDown() {
        client.close();
        kit.close();
    }

    @Test
    void billingGroupsParseMembersDailySpendAndCycle() {
        kit.enqueue(fixtureResponse("groups.json"));

        BillingGroups groups = api.billingGroups();

        RecordedRequest request = kit.take();
        assertEquals("GET", request.getMethod());
        assertEquals("/teams/groups", request.getUrl().encodedPath());
        assertTrue(request.getHeaders().get("Authorization").startsWith("Basic "));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), groups.cycleStart());
        assertEquals(Instant.parse("2026-04-01T00:00:00Z"), groups.cycleEnd());
        assertEquals(List.of("Platform", "Payments", "Unassigned"),
                groups.groups().stream().map(BillingGroups.Group::name).toList());
        BillingGroups.Group platform = groups.groups().get(0);
        assertFalse(platform.unassigned());
        assertEquals(new BigDecimal("91500"), platform.spendCents());
        assertEquals(List.of("dana@example.com", "lee@example.com"),
                platform.members().stream().map(BillingGroups.GroupMember::email).toList(),
                "current members only, e-mails lower-cased");
        assertEquals(new BigDecimal("30300.5"), platform.members().get(1).spendCents());
        assertEquals(List.of(new BillingGroups.DailySpend(MAR_1, new BigDecimal("4100")),
                new BillingGroups.DailySpend(MAR_2, new BigDecimal("3900"))), platform.dailySpend());
        assertTrue(groups.groups().get(2).unassigned());
        assertEquals(List.of("/teams/groups 200"), kit.calls);
    }

    @Test
    void analyticsSendsDaysAsYyyyMmDdAndFlattensRows() {
        kit.enqueue(new MockResponse.Builder().code(200).addHeader("ETag", "\"dau-v1\"")
                .addHeader("Cache-Control", "public, max-age=900").body(fixture("analytics-dau.json")).build());

        AnalyticsAnswer answer = api.analytics(AnalyticsMetric.DAU, MAR_1, MAR_2, null);

        RecordedRequest request = kit.take();
        assertEquals("/analytics/team/dau", request.getUrl().encodedPath());
        assertEquals("2026-03-01", request.getUrl().queryParameter("startDate"));
        assertEquals("2026-03-02", request.getUrl().queryParameter("endDate"));
        assertNull(request.getHeaders().get("If-None-Match"), "no ETag known yet");
        assertEquals("\"dau-v1\"", answer.etag());
        assertFalse(answer.notModified());
        assertTrue(answer.points().contains(new AnalyticsPoint(MAR_2, "", "dau", 21)));
        assertTrue(answer.points().contains(new AnalyticsPoint(MAR_1, "", "cloud_agent_dau", 5)));
        assertEquals(8, answer.points().size());
    }

    @Test
    void aStoredEtagIsSentAndA304IsNotModified() {
        kit.enqueue(new MockResponse.Builder().code(304).addHeader("ETag", "\"dau-v1\"").build());

        AnalyticsAnswer answer = api.analytics(AnalyticsMetric.DAU, MAR_1, MAR_2, "\"dau-v1\"");

        assertEquals("\"dau-v1\"", kit.take().getHeaders().get("If-None-Match"));
        assertTrue(answer.notModified());
        assertEquals(List.of(), answer.points());
        assertEquals("\"dau-v1\"", answer.etag());
        assertEquals(List.of("/analytics/team/dau 304"), kit.calls, "a 304 is counted like any call");
        assertEquals(List.of(), kit.sleeps, "and never retried");
    }

    @Test
    void modelsBecomeOnePointPerModelAndField() {
        kit.enqueue(fixtureResponse("analytics-models.json"));

        AnalyticsAnswer answer = api.analytics(AnalyticsMetric.MODELS, MAR_1, MAR_2, null);

        Map<String, Long> messages = new TreeMap<>();
        answer.points().stream().filter(p -> p.field().equals("messages"))
                .forEach(p -> messages.merge(p.dimension(), p.value(), Long::sum));
        assertEquals(Map.of("claude-sonnet-4.5", 512L, "gpt-5.2", 97L, "default", 40L), messages);
        assertTrue(answer.points().contains(new AnalyticsPoint(MAR_1, "gpt-5.2", "users", 4)));
        assertNull(answer.etag(), "no ETag header, none to remember");
    }

    @Test
    void agentEditsKeepEveryCountAndClientVersionsTheirUserCounts() {
        kit.enqueue(fixtureResponse("analytics-agent-edits.json"), fixtureResponse("analytics-client-versions.json"));

        AnalyticsAnswer edits = api.analytics(AnalyticsMetric.AGENT_EDITS, MAR_1, MAR_1, null);
        AnalyticsAnswer versions = api.analytics(AnalyticsMetric.CLIENT_VERSIONS, MAR_1, MAR_1, null);

        assertEquals(11, edits.points().size());
        assertTrue(edits.points().contains(new AnalyticsPoint(MAR_1, "", "total_accepted_diffs", 80)));
        assertEquals(List.of(new AnalyticsPoint(MAR_1, "2.4.27", "user_count", 12),
                new AnalyticsPoint(MAR_1, "2.3.41", "user_count", 8)), versions.points(),
                "the row without a date is skipped, percentages are not counts");
        assertEquals("/analytics/team/agent-edits", kit.take().getUrl().encodedPath());
        assertEquals("/analytics/team/client-versions", kit.take().getUrl().encodedPath());
    }

    @Test
    void analyticsRefusesMoreThanThirtyDays() {
        assertThrows(IllegalArgumentException.class,
                () -> api.analytics(AnalyticsMetric.DAU, MAR_1, MAR_1.plusDays(30), null));
        assertEquals(0, kit.server.getRequestCount());
    }

    @Test
    void commitsWalkPItemsPagesAndNeverKeepTheMessage() {
        kit.enqueue(fixtureResponse("ai-code-commits-page-1.json"), fixtureResponse("ai-code-commits-page-2.json"));
        List<AiCodeCommit> commits = new ArrayList<>();
        Instant from = Instant.parse("2026-03-01T00:00:00Z");
        Instant to = Instant.parse("2026-03-02T12:00:00Z");

        api.aiCodeCommits(from, to, commits::addAll);

        RecordedRequest first = kit.take();
        assertEquals("/analytics/ai-code/commits", first.getUrl().encodedPath());
        assertEquals("2026-03-01T00:00:00Z", first.getUrl().queryParameter("startDate"));
        assertEquals("2026-03-02T12:00:00Z", first.getUrl().queryParameter("endDate"));
        assertEquals("1", first.getUrl().queryParameter("page"));
        assertEquals("2", kit.take().getUrl().queryParameter("page"));
        assertEquals(2, kit.server.getRequestCount(), "page 2 * pageSize 2 >= totalCount 3 ends the walk");
        assertEquals(3, commits.size(), "the commit without a hash is skipped");
        AiCodeCommit dana = commits.get(0);
        assertEquals("dana@example.com", dana.email());
        assertEquals(140, dana.totalLinesAdded());
        assertEquals(31, dana.tabLinesAdded());
        assertEquals(88, dana.composerLinesAdded());
        assertEquals(21, dana.nonAiLinesAdded());
        assertEquals(Boolean.TRUE, dana.primaryBranch());
        assertEquals("acme/payments", dana.repo());
        AiCodeCommit lee = commits.get(1);
        assertEquals(3, lee.nonAiLinesAdded(), "null nonAiLinesAdded = max(0, total - tab - composer)");
        assertNull(lee.primaryBranch());
        assertEquals(Instant.parse("2026-03-01T09:00:00Z"), lee.time(), "no commitTs: ingestion time");
        commits.forEach(c -> assertFalse(c.toString().contains("SECRET-MESSAGE"), c.toString()));
    }

    @Test
    void auditLogsWalkPStdPagesSendExactInstantsAndKeepOnlyIdTimeAndType() {
        String page1 = """
                {"events":[
                  {"event_id":"0b8f3c52-6d1e-4b7a-9c44-2e71f0a9d3b6","timestamp":"2026-03-02T09:12:33.870Z",
                   "ip_address":"198.51.100.23","user_email":"dana@example.com","event_type":"team_settings",
                   "application_type":"cursor","event_data":{"setting_name":"SECRET-SETTING","new_value":1000}},
                  {"event_id":"5e0a7d11-93c4-4f2e-8a6b-c1d2e3f4a5b6","timestamp":"2026-03-01T16:40:02.114Z",
                   "ip_address":"203.0.113.7","user_email":"lee@example.com","event_type":"login","event_data":{}}],
                 "pagination":{"page":1,"pageSize":2,"totalCount":5,"totalPages":2,"hasNextPage":true}}""";
        String page2 = """
                {"events":[
                  {"event_id":"7","timestamp":"2026-03-01T10:00:00.000Z","event_type":"logout","event_data":{}},
                  {"timestamp":"2026-03-01T09:00:00.000Z","event_type":"login"},
                  {"event_id":"9","timestamp":"2026-03-01T08:00:00.000Z","event_type":"Login Event"}],
                 "pagination":{"page":2,"pageSize":2,"totalCount":5,"totalPages":2,"hasNextPage":false}}""";
        kit.enqueue(response(200, page1), response(200, page2));
        List<dev.cursorexporter.model.AuditEvent> events = new ArrayList<>();

        api.auditEvents(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T12:00:00.123Z"),
                events::addAll);

        RecordedRequest first = kit.take();
        assertEquals("/teams/audit-logs", first.getUrl().encodedPath());
        assertEquals("2026-03-01T00:00:00Z", first.getUrl().queryParameter("startTime"));
        assertEquals("2026-03-02T12:00:00.123Z", first.getUrl().queryParameter("endTime"),
                "an instant, not YYYY-MM-DD, which would exclude the end day");
        assertEquals("500", first.getUrl().queryParameter("pageSize"));
        assertEquals("2", kit.take().getUrl().queryParameter("page"));
        assertEquals(2, kit.server.getRequestCount(), "hasNextPage false ends the walk");
        assertEquals(List.of("team_settings", "login", "logout"),
                events.stream().map(dev.cursorexporter.model.AuditEvent::eventType).toList(),
                "an event without an id and one whose type is not snake_case are refused");
        assertEquals(Instant.parse("2026-03-02T09:12:33.870Z"), events.get(0).timestamp());
        events.forEach(e -> assertFalse(e.toString().contains("SECRET-SETTING") || e.toString().contains("@")
                || e.toString().contains("198.51"), e.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "401|{\"code\":\"error\",\"message\":\"You must be a member of an enterprise team to access this resource\"}|You must be a member of an enterprise team",
            "403|{\"error\":\"Forbidden\",\"message\":\"Enterprise access required\"}|Enterprise access required"})
    void planGateAnswersAreNotPermittedAndNotRetried(int status, String body, String message) {
        kit.enqueue(response(status, body), response(status, body), response(status, body));

        CursorApiException groups = assertThrows(CursorApiException.class, api::billingGroups);
        CursorApiException analytics = assertThrows(CursorApiException.class,
                () -> api.analytics(AnalyticsMetric.MODELS, MAR_1, MAR_2, null));
        CursorApiException commits = assertThrows(CursorApiException.class,
                () -> api.aiCodeCommits(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z"),
                        page -> { }));

        for (CursorApiException e : List.of(groups, analytics, commits)) {
            assertTrue(e.isNotPermitted(), e.getMessage());
            assertEquals(status, e.status());
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
        }
        assertEquals(3, kit.server.getRequestCount(), "one request each, no retries");
        assertEquals(List.of(), kit.sleeps);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503})
    void serverErrorsAreRetriedLikeTheCoreEndpoints(int status) {
        kit.enqueue(response(status, "{\"error\":\"Internal Server Error\",\"message\":\"An unexpected error occurred\"}"),
                fixtureResponse("analytics-dau.json"));

        AnalyticsAnswer answer = api.analytics(AnalyticsMetric.DAU, MAR_1, MAR_2, null);

        assertEquals(8, answer.points().size());
        assertEquals(List.of("/analytics/team/dau " + status, "/analytics/team/dau 200"), kit.calls);
        assertEquals(1, kit.sleeps.size());
    }
}
