package dev.cursorexporter.cursor;

import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.DailyUsageRow;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.cursorexporter.cursor.ClientTestKit.KEY;
import static dev.cursorexporter.cursor.ClientTestKit.SETTINGS;
import static dev.cursorexporter.cursor.ClientTestKit.fixtureResponse;
import static dev.cursorexporter.cursor.ClientTestKit.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the client sends (method, path, headers, exact bodies) and how it walks each pagination shape. */
class CursorClientRequestTest {
    private static final long DAY_START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private final ClientTestKit kit = new ClientTestKit();
    private final CursorClient client = kit.client(SETTINGS.withPageSizes(2, 2, 2));

    @AfterEach
    void tearDown() {
        client.close();
        kit.close();
    }

    @Test
    void membersIsAPlainGetWithBasicAuthKeyAsUserAndEmptyPassword() {
        kit.enqueue(fixtureResponse("members-observed-2026-01.json"));

        client.members();

        RecordedRequest request = kit.take();
        assertEquals("GET", request.getMethod());
        assertEquals("/teams/members", request.getUrl().encodedPath());
        String expected = "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, request.getHeaders().get("Authorization"));
        assertEquals("application/json", request.getHeaders().get("Accept"));
        assertEquals("cursor-exporter/dev", request.getHeaders().get("User-Agent"));
        assertNull(request.getHeaders().get("Content-Type"));
        assertEquals(0, request.getBodySize());
        assertEquals(List.of("/teams/members 200"), kit.calls);
    }

    @Test
    void baseUrlWithAPathPrefixIsKept() {
        try (CursorClient prefixed = kit.client(SETTINGS, "/proxy/cursor/")) {
            kit.enqueue(fixtureResponse("members-observed-2026-01.json"));
            prefixed.members();
            assertEquals("/proxy/cursor/teams/members", kit.take().getUrl().encodedPath());
        }
    }

    @Test
    void staticFactoryUsesTheAccountsBaseUrlAndKey() {
        AccountConfig account = new AccountConfig("default", new Secret(KEY),
                URI.create(kit.server.url("/").toString()));
        try (CursorClient created = CursorClient.create(account, ApiCallListener.NONE)) {
            kit.enqueue(fixtureResponse("members-observed-2026-01.json"));
            assertEquals(3, created.members().size());
            assertTrue(kit.take().getHeaders().get("Authorization").startsWith("Basic "));
        }
    }

    @Test
    void spendPostsPageAndPageSizeUntilPageReachesTotalPages() {
        kit.enqueue(fixtureResponse("spend-page-1.json"), fixtureResponse("spend-page-2.json"),
                fixtureResponse("spend-page-3.json"));

        SpendReport report = client.spend();

        assertEquals(List.of("user1@example.com", "user2@example.com", "user3@example.com", "user4@example.com",
                "user5@example.com"), report.members().stream().map(MemberSpend::email).toList());
        assertEquals(Instant.parse("2026-03-01T07:52:48Z"), report.cycleStart());
        RecordedRequest first = kit.take();
        assertEquals("POST", first.getMethod());
        assertEquals("/teams/spend", first.getUrl().encodedPath());
        assertEquals("application/json", first.getHeaders().get("Content-Type"));
        assertEquals("{\"page\":1,\"pageSize\":2}", first.getBody().utf8());
        assertEquals("{\"page\":2,\"pageSize\":2}", kit.take().getBody().utf8());
        assertEquals("{\"page\":3,\"pageSize\":2}", kit.take().getBody().utf8());
        assertEquals(3, kit.server.getRequestCount());
        assertEquals(List.of("/teams/spend 200", "/teams/spend 200", "/teams/spend 200"), kit.calls);
    }

    @Test
    void spendWithoutTotalPagesOrZeroTotalPagesStopsAfterPageOne() {
        kit.enqueue(json("{\"teamMemberSpend\":[{\"email\":\"a@example.com\",\"spendCents\":1}]}"),
                json("{\"teamMemberSpend\":[{\"email\":\"b@example.com\",\"spendCents\":1}],\"totalPages\":0}"));

        assertEquals(1, client.spend().members().size());
        assertEquals(1, client.spend().members().size());
        assertEquals(2, kit.server.getRequestCount());
    }

    @Test
    void spendStopsOnAnEmptyPageEvenIfTotalPagesSaysMore() {
        kit.enqueue(json("{\"teamMemberSpend\":[],\"totalPages\":9}"));

        SpendReport report = client.spend();

        assertEquals(List.of(), report.members());
        assertNull(report.cycleStart());
        assertEquals(1, kit.server.getRequestCount());
    }

    @Test
    void dailyUsageSendsMidnightBoundsAndPagesWhileHasNextPage() {
        kit.enqueue(fixtureResponse("daily-usage-page-1.json"), fixtureResponse("daily-usage-page-2.json"));

        List<DailyUsageRow> rows = client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));

        assertEquals(6, rows.size());
        assertEquals(List.of(
                "{\"startDate\":1772323200000,\"endDate\":1772409600000,\"page\":1,\"pageSize\":2}",
                "{\"startDate\":1772323200000,\"endDate\":1772409600000,\"page\":2,\"pageSize\":2}"),
                kit.bodies());
    }

    @Test
    void dailyUsageFallsBackToTotalPagesWhenHasNextPageIsAbsent() {
        kit.enqueue(json("{\"data\":[" + row("a") + "],\"pagination\":{\"page\":1,\"totalPages\":2}}"),
                json("{\"data\":[" + row("b") + "],\"pagination\":{\"page\":2,\"totalPages\":2}}"));

        List<DailyUsageRow> rows = client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-01"));

        assertEquals(List.of("a@example.com", "b@example.com"), rows.stream().map(DailyUsageRow::email).toList());
        assertEquals(2, kit.server.getRequestCount());
    }

    @Test
    void dailyUsageForOneDaySendsTheSameMidnightTwice() {
        kit.enqueue(json("{\"data\":[]}"));

        assertEquals(List.of(), client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-01")));

        assertEquals(List.of("{\"startDate\":1772323200000,\"endDate\":1772323200000,\"page\":1,\"pageSize\":2}"),
                kit.bodies());
    }

    @Test
    void dailyUsageAcceptsThirtyDaysInclusiveAndRejectsMoreOrReversedBeforeCalling() {
        kit.enqueue(json("{\"data\":[]}"));
        client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-30"));
        assertEquals(List.of("{\"startDate\":1772323200000,\"endDate\":1774828800000,\"page\":1,\"pageSize\":2}"),
                kit.bodies());

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> client.dailyUsage(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31")));
        assertEquals("daily usage: 2026-03-01..2026-03-31 spans 31 days, at most 30 allowed", tooLong.getMessage());
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> client.dailyUsage(LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-01")));
        assertEquals("daily usage: from 2026-03-02 is after to 2026-03-01", reversed.getMessage());
        assertEquals(1, kit.server.getRequestCount());
    }

    @Test
    void usageEventsHandsOverEachPageAndSendsExactInclusiveMillis() {
        kit.enqueue(fixtureResponse("events-page-1.json"), fixtureResponse("events-page-2.json"),
                fixtureResponse("events-page-3.json"));
        Instant from = Instant.parse("2026-03-02T00:00:00Z");
        Instant to = Instant.parse("2026-03-02T23:59:59.999Z");
        List<Integer> pageSizes = new ArrayList<>();

        client.usageEvents(from, to, page -> pageSizes.add(page.size()));

        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(List.of(
                "{\"startDate\":1772409600000,\"endDate\":1772495999999,\"page\":1,\"pageSize\":2}",
                "{\"startDate\":1772409600000,\"endDate\":1772495999999,\"page\":2,\"pageSize\":2}",
                "{\"startDate\":1772409600000,\"endDate\":1772495999999,\"page\":3,\"pageSize\":2}"),
                kit.bodies());
        assertEquals(3, kit.calls.size());
    }

    @Test
    void usageEventsFallsBackToCurrentPageBelowNumPages() {
        kit.enqueue(json("{\"pagination\":{\"numPages\":2,\"currentPage\":1},\"usageEvents\":[" + event(1) + "]}"),
                json("{\"pagination\":{\"numPages\":2,\"currentPage\":2},\"usageEvents\":[" + event(2) + "]}"));
        List<List<UsageEvent>> pages = new ArrayList<>();

        client.usageEvents(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"), pages::add);

        assertEquals(2, pages.size());
        assertEquals(Instant.ofEpochMilli(DAY_START + 2), pages.get(1).get(0).timestamp());
    }

    @Test
    void usageEventsWithoutPaginationOrWithAnEmptyPageStops() {
        kit.enqueue(json("{\"usageEvents\":[" + event(1) + "]}"),
                json("{\"pagination\":{\"hasNextPage\":true},\"usageEvents\":[]}"));
        List<List<UsageEvent>> pages = new ArrayList<>();
        Instant from = Instant.parse("2026-03-02T00:00:00Z");

        client.usageEvents(from, from.plusSeconds(1), pages::add);
        client.usageEvents(from, from.plusSeconds(1), pages::add);

        assertEquals(List.of(1, 0), pages.stream().map(List::size).toList());
        assertEquals(2, kit.server.getRequestCount());
    }

    @Test
    void usageEventsWindowMustBeShorterThanThirtyDays() {
        Instant from = Instant.parse("2026-03-01T00:00:00Z");
        kit.enqueue(json("{\"usageEvents\":[]}"));
        client.usageEvents(from, from.plus(Duration.ofDays(30)).minusMillis(1), page -> { });
        assertEquals(1, kit.server.getRequestCount());

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> client.usageEvents(from, from.plus(Duration.ofDays(30)), page -> { }));
        assertEquals("usage events: 2026-03-01T00:00:00Z..2026-03-31T00:00:00Z spans 30 days or more",
                tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.usageEvents(from, from.minusMillis(1), p -> { }));
        assertEquals(1, kit.server.getRequestCount());
    }

    private static String row(String user) {
        return "{\"day\":\"2026-03-01\",\"email\":\"" + user + "@example.com\",\"isActive\":true}";
    }

    /** An event {@code millis} after 2026-03-02T00:00Z, inside the windows these tests ask for. */
    private static String event(long millis) {
        return "{\"timestamp\":\"" + (DAY_START + millis) + "\",\"userEmail\":\"a@example.com\",\"kind\":\"Usage-based\"}";
    }
}
