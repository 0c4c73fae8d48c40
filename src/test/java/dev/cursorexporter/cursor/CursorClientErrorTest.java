package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.model.RetryPolicy;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.cursorexporter.cursor.ClientTestKit.EXACT_RETRY;
import static dev.cursorexporter.cursor.ClientTestKit.KEY;
import static dev.cursorexporter.cursor.ClientTestKit.SETTINGS;
import static dev.cursorexporter.cursor.ClientTestKit.fixture;
import static dev.cursorexporter.cursor.ClientTestKit.fixtureResponse;
import static dev.cursorexporter.cursor.ClientTestKit.json;
import static dev.cursorexporter.cursor.ClientTestKit.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Error bodies of every §1.9 shape, retries, backoff waits, listener reports and key hygiene. */
class CursorClientErrorTest {
    private static final String BASIC = Base64.getEncoder()
            .encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
    private static final ClientSettings NO_RETRY =
            SETTINGS.withRetry(new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(30),
                    Duration.ofSeconds(120), 0));

    private final ClientTestKit kit = new ClientTestKit();
    private final List<CursorClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(CursorClient::close);
        kit.close();
    }

    private CursorClient client(ClientSettings settings) {
        CursorClient client = kit.client(settings);
        clients.add(client);
        return client;
    }

    static Stream<Arguments> errorBodies() {
        return Stream.of(
                Arguments.of(401, "{\"error\":\"Unauthorized\",\"message\":\"Invalid API key\"}",
                        "HTTP 401 Invalid API key"),
                Arguments.of(401, "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Invalid API key\"}",
                        "HTTP 401 Invalid API key"),
                Arguments.of(403, "{\"error\":\"Forbidden\",\"message\":\"Enterprise access required\"}",
                        "HTTP 403 Enterprise access required"),
                Arguments.of(401, "{\"code\":\"error\",\"message\":\"You must be a member of an enterprise team to "
                                + "access this resource\"}",
                        "HTTP 401 You must be a member of an enterprise team to access this resource"),
                Arguments.of(400, "{\"error\":\"Bad Request\",\"message\":\"Some users are not in the team\"}",
                        "HTTP 400 Some users are not in the team"),
                Arguments.of(404, "{\"error\":\"Not Found\",\"message\":\"Resource not found\"}",
                        "HTTP 404 Resource not found"),
                Arguments.of(429, "{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded. Please try "
                                + "again later.\"}",
                        "HTTP 429 Rate limit exceeded. Please try again later."),
                Arguments.of(500, "{\"error\":\"Internal Server Error\",\"message\":\"An unexpected error occurred\"}",
                        "HTTP 500 An unexpected error occurred"),
                Arguments.of(409, "{\"code\":\"error\",\"message\":\"Model access is already enabled\"}",
                        "HTTP 409 Model access is already enabled"),
                Arguments.of(400, "{\"error\":\"User is not a member of this team\"}",
                        "HTTP 400 User is not a member of this team"),
                Arguments.of(400, "{\"outcome\":\"error\",\"message\":\"Invalid email format\"}",
                        "HTTP 400 Invalid email format"),
                Arguments.of(400, "{\"error\":{\"message\":\"Date range cannot exceed 30 days\"}}",
                        "HTTP 400 Date range cannot exceed 30 days"),
                Arguments.of(400, "{\"message\":\"\",\"error\":\"Bad Request\"}", "HTTP 400 Bad Request"),
                Arguments.of(401, "{\"statusCode\":401}", "HTTP 401 {\"statusCode\":401}"),
                Arguments.of(400, "[\"not\",\"an\",\"object\"]", "HTTP 400 [\"not\",\"an\",\"object\"]"),
                Arguments.of(502, "<html>\n  <body><h1>502 Bad Gateway</h1></body>\n</html>",
                        "HTTP 502 <html> <body><h1>502 Bad Gateway</h1></body> </html>"),
                Arguments.of(503, "", "HTTP 503"),
                Arguments.of(400, "x".repeat(300), "HTTP 400 " + "x".repeat(199) + "…"),
                Arguments.of(401, "{\"message\":\"key " + KEY + " rejected\"}", "HTTP 401 key *** rejected"),
                Arguments.of(400, "echo: Authorization: Basic " + BASIC, "HTTP 400 echo: Authorization: ***"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("errorBodies")
    void errorBodyBecomesExactMessageOnPost(int status, String body, String expected) {
        kit.enqueue(response(status, body));

        CursorApiException e = assertThrows(CursorApiException.class, () -> client(NO_RETRY).spend());

        assertEquals("POST /teams/spend: " + expected, e.getMessage());
        assertEquals(status, e.status());
        assertEquals("/teams/spend", e.endpoint());
        assertEquals(status == 401 || status == 403, e.isNotPermitted());
        assertKeyAbsent(e);
        assertEquals(List.of("/teams/spend " + status), kit.calls);
    }

    @Test
    void errorOnGetNamesTheMethodToo() {
        kit.enqueue(response(401, "{\"error\":\"Unauthorized\",\"message\":\"Invalid API key\"}"));

        CursorApiException e = assertThrows(CursorApiException.class, () -> client(SETTINGS).members());

        assertEquals("GET /teams/members: HTTP 401 Invalid API key", e.getMessage());
    }

    @Test
    void clientErrorsOtherThan429AreNotRetried() {
        for (int status : new int[] {400, 401, 403, 404, 409}) {
            kit.enqueue(response(status, "{\"error\":\"nope\"}"));
        }
        CursorClient client = client(SETTINGS);
        for (int i = 0; i < 5; i++) {
            assertThrows(CursorApiException.class, client::members);
        }
        assertEquals(5, kit.server.getRequestCount());
        assertEquals(List.of(), kit.sleeps);
    }

    @Test
    void rateLimitHonoursRetryAfterSeconds() {
        kit.enqueue(rateLimited("7"), fixtureResponse("members-observed-2026-01.json"));

        assertEquals(3, client(SETTINGS).members().size());

        assertEquals(List.of(Duration.ofSeconds(7)), kit.sleeps);
        assertEquals(List.of("/teams/members 429", "/teams/members 200"), kit.calls);
    }

    @Test
    void rateLimitHonoursRetryAfterHttpDate() {
        // the test clock says 2026-03-02T12:00:00Z
        kit.enqueue(rateLimited("Mon, 02 Mar 2026 12:00:07 GMT"), fixtureResponse("members-observed-2026-01.json"));

        client(SETTINGS).members();

        assertEquals(List.of(Duration.ofSeconds(7)), kit.sleeps);
    }

    @Test
    void retryAfterInThePastMeansRetryNowAndHugeValuesAreCapped() {
        kit.enqueue(rateLimited("Mon, 02 Mar 2026 11:00:00 GMT"), rateLimited("3600"),
                fixtureResponse("members-observed-2026-01.json"));

        client(SETTINGS).members();

        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(120)), kit.sleeps);
    }

    @Test
    void rateLimitWithoutOrWithUnreadableRetryAfterBacksOffExponentially() {
        kit.enqueue(rateLimited(null), rateLimited("soon"), rateLimited(null),
                fixtureResponse("members-observed-2026-01.json"));

        client(SETTINGS).members();

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), kit.sleeps);
        assertEquals(4, kit.calls.size());
    }

    @Test
    void serverErrorThenSuccessRetriesAndHonoursRetryAfterOn503() {
        kit.enqueue(response(500, "{\"error\":\"Internal Server Error\"}"),
                new MockResponse.Builder().code(503).addHeader("Retry-After", "3").build(),
                fixtureResponse("members-observed-2026-01.json"));

        assertEquals(3, client(SETTINGS).members().size());

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(3)), kit.sleeps);
        assertEquals(List.of("/teams/members 500", "/teams/members 503", "/teams/members 200"), kit.calls);
    }

    @Test
    void malformedOrTruncatedJsonIsRetried() {
        String full = fixture("members-observed-2026-01.json");
        kit.enqueue(json(full.substring(0, full.length() / 2)), json("[]"), json(""), json("{\"teamMembers\":[]} x"),
                json(full));

        assertEquals(3, client(SETTINGS).members().size());

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)), kit.sleeps);
        assertEquals(Collections.nCopies(5, "/teams/members 200"), kit.calls);
    }

    @Test
    void malformedJsonExhaustedIsStatusZero() {
        kit.enqueue(json("{\"teamMembers\":["), json("[1,2]"));
        ClientSettings twoAttempts = SETTINGS.withRetry(new RetryPolicy(2, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(120), 0));

        CursorApiException e = assertThrows(CursorApiException.class, () -> client(twoAttempts).members());

        assertEquals("GET /teams/members: malformed JSON (expected an object, got ARRAY) (gave up after 2 attempts)",
                e.getMessage());
        assertEquals(0, e.status());
        assertFalse(e.isNotPermitted());
    }

    @Test
    void malformedJsonMessageNamesTheParseProblem() {
        kit.enqueue(json("{\"teamMembers\":["));

        CursorApiException e = assertThrows(CursorApiException.class, () -> client(NO_RETRY).members());

        assertTrue(e.getMessage().startsWith("GET /teams/members: malformed JSON (Unexpected end-of-input"),
                e.getMessage());
        assertEquals(0, e.status());
        assertKeyAbsent(e);
    }

    @Test
    void retriesExhaustedThrowsTheLastFailureAfterBackingOffEachTime() {
        for (int i = 0; i < 5; i++) {
            kit.enqueue(response(500, "{\"error\":\"Internal Server Error\",\"message\":\"An unexpected error occurred\"}"));
        }

        CursorApiException e = assertThrows(CursorApiException.class, () -> client(SETTINGS).spend());

        assertEquals("POST /teams/spend: HTTP 500 An unexpected error occurred (gave up after 5 attempts)",
                e.getMessage());
        assertEquals(500, e.status());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)), kit.sleeps);
        assertEquals(Collections.nCopies(5, "/teams/spend 500"), kit.calls);
    }

    @Test
    void aRetryRepeatsOnlyTheFailedPage() {
        kit.enqueue(fixtureResponse("events-page-1.json"), response(502, ""), fixtureResponse("events-page-2.json"),
                fixtureResponse("events-page-3.json"));
        List<Integer> pageSizes = new ArrayList<>();

        client(SETTINGS.withPageSizes(2, 2, 2)).usageEvents(Instant.parse("2026-03-02T00:00:00Z"),
                Instant.parse("2026-03-02T23:59:59.999Z"), page -> pageSizes.add(page.size()));

        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(List.of(1, 2, 2, 3), kit.bodies().stream().map(CursorClientErrorTest::page).toList());
        assertEquals(List.of("/teams/filtered-usage-events 200", "/teams/filtered-usage-events 502",
                "/teams/filtered-usage-events 200", "/teams/filtered-usage-events 200"), kit.calls);
    }

    @Test
    void connectionDroppedBeforeAnyStatusIsReportedAsErrorAndRetried() {
        kit.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build(),
                fixtureResponse("members-observed-2026-01.json"));

        assertEquals(3, client(SETTINGS).members().size());

        assertEquals(List.of("/teams/members error", "/teams/members 200"), kit.calls);
        assertEquals(List.of(Duration.ofSeconds(1)), kit.sleeps);
    }

    @Test
    void connectionDroppedMidBodyIsRetried() {
        String full = fixture("members-observed-2026-01.json");
        kit.enqueue(new MockResponse.Builder().code(200).body(full)
                        .onResponseBody(new SocketEffect.CloseSocket()).build(),
                json(full));

        assertEquals(3, client(SETTINGS).members().size());

        assertEquals(2, kit.server.getRequestCount());
        assertEquals(List.of(Duration.ofSeconds(1)), kit.sleeps);
    }

    @Test
    void timeoutIsStatusZeroWithoutLeakingTheKey() {
        kit.enqueue(new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build());
        ClientSettings fast = NO_RETRY.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200),
                Duration.ofSeconds(10));

        CursorApiException e = assertThrows(CursorApiException.class, () -> client(fast).members());

        assertTrue(e.getMessage().startsWith("GET /teams/members: timeout (SocketTimeoutException"), e.getMessage());
        assertEquals(0, e.status());
        assertEquals(List.of("/teams/members error"), kit.calls);
        assertKeyAbsent(e);
    }

    @Test
    void interruptedWhileWaitingStopsWithStatusZeroAndKeepsTheInterruptFlag() {
        kit.enqueue(rateLimited("1"));
        CursorClient client = new CursorClient(java.net.URI.create(kit.server.url("/").toString()),
                new dev.cursorexporter.model.Secret(KEY), SETTINGS, ApiCallListener.NONE,
                d -> {
                    throw new InterruptedException();
                });
        clients.add(client);
        try {
            CursorApiException e = assertThrows(CursorApiException.class, client::members);
            assertEquals("GET /teams/members: interrupted while waiting to retry", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void failingListenerDoesNotBreakTheCall() {
        kit.enqueue(fixtureResponse("members-observed-2026-01.json"));
        CursorClient client = new CursorClient(java.net.URI.create(kit.server.url("/").toString()),
                new dev.cursorexporter.model.Secret(KEY), SETTINGS, (endpoint, code) -> {
                    throw new IllegalStateException("metrics down");
                }, d -> { });
        clients.add(client);

        assertEquals(3, client.members().size());
    }

    @Test
    void keyNeverAppearsInToStrings() {
        CursorClient client = client(SETTINGS);
        for (Object o : List.of(client, SETTINGS, EXACT_RETRY, new CursorApiException("/x", 1, "m", null))) {
            assertFalse(o.toString().contains(KEY), o.toString());
            assertFalse(o.toString().contains(BASIC), o.toString());
        }
    }

    @Test
    void keyNeverAppearsInAnyFailureAcrossEndpoints() {
        List<Function<CursorClient, Object>> calls = List.of(CursorClient::members, CursorClient::spend,
                c -> c.dailyUsage(java.time.LocalDate.parse("2026-03-01"), java.time.LocalDate.parse("2026-03-01")),
                c -> {
                    c.usageEvents(Instant.EPOCH, Instant.EPOCH, p -> { });
                    return null;
                });
        CursorClient client = client(NO_RETRY);
        for (Function<CursorClient, Object> call : calls) {
            kit.enqueue(response(401, "{\"message\":\"" + KEY + " / Basic " + BASIC + "\"}"));
            CursorApiException e = assertThrows(CursorApiException.class, () -> call.apply(client));
            assertKeyAbsent(e);
            assertTrue(e.getMessage().endsWith("HTTP 401 *** / ***"), e.getMessage());
        }
    }

    /** A key straddling the 200-character clip: scrubbed before the cut, so not even its prefix is left. */
    @Test
    void aKeyAtTheClipBoundaryLeavesNoPrefix() {
        CursorClient client = client(NO_RETRY);
        for (String body : List.of("{\"message\":\"" + "x".repeat(190) + " " + KEY + "\"}",
                "<html>" + "x".repeat(185) + " " + KEY + "</html>")) {
            kit.enqueue(response(400, body));
            CursorApiException e = assertThrows(CursorApiException.class, client::members);
            assertFalse(e.getMessage().contains(KEY.substring(0, 6)), e.getMessage());
            assertTrue(e.getMessage().contains("***") || e.getMessage().endsWith("…"), e.getMessage());
        }
    }

    private static MockResponse rateLimited(String retryAfter) {
        MockResponse.Builder builder = new MockResponse.Builder().code(429)
                .addHeader("Content-Type", "application/json")
                .body("{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded. Please try again later.\"}");
        if (retryAfter != null) {
            builder.addHeader("Retry-After", retryAfter);
        }
        return builder.build();
    }

    private static int page(String body) {
        int at = body.indexOf("\"page\":") + 7;
        return Integer.parseInt(body.substring(at, body.indexOf(',', at)));
    }

    private static void assertKeyAbsent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t.toString();
            assertFalse(text.contains(KEY), text);
            assertFalse(text.contains(BASIC), text);
        }
    }
}
