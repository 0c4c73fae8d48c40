package dev.cursorexporter.cursor;

import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.cursorexporter.cursor.ClientTestKit.fixtureResponse;
import static dev.cursorexporter.cursor.ClientTestKit.response;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The client takes from its account's budget before every exchange, retries included. */
class CursorClientBudgetTest {
    private final ClientTestKit kit = new ClientTestKit();
    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> budgetWaits = new ArrayList<>();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private CursorClient client(RateBudget budget) {
        return new CursorClient(URI.create(kit.server.url("/").toString()), new Secret(ClientTestKit.KEY),
                ClientTestKit.SETTINGS, (endpoint, code) -> kit.calls.add(endpoint + " " + code), kit.sleeps::add,
                Clock.fixed(ClientTestKit.NOW, ZoneOffset.UTC), budget);
    }

    @Test
    void aRetryWaitsForTheBudgetLikeAnyOtherRequest() {
        RateBudget budget = new RateBudget(Map.of(BudgetFamily.ADMIN, 1), Duration.ofMinutes(1), nanos::get, d -> {
            budgetWaits.add(d);
            nanos.addAndGet(d.toNanos());
        });
        kit.enqueue(response(503, "{}"), fixtureResponse("members-observed-2026-01.json"));

        assertEquals(3, client(budget).members().size());

        assertEquals(List.of("/teams/members 503", "/teams/members 200"), kit.calls);
        assertEquals(List.of(Duration.ofSeconds(63)), budgetWaits, "the retry waited a window plus margin");
    }

    @Test
    void endpointsOfDifferentFamiliesDoNotWaitForEachOther() {
        RateBudget budget = new RateBudget(Map.of(BudgetFamily.ADMIN, 1, BudgetFamily.USAGE_EVENTS, 1),
                Duration.ofMinutes(1), nanos::get, d -> {
            budgetWaits.add(d);
            nanos.addAndGet(d.toNanos());
        });
        kit.enqueue(fixtureResponse("members-observed-2026-01.json"),
                ClientTestKit.json("{\"totalUsageEventsCount\":0,\"usageEvents\":[],"
                        + "\"pagination\":{\"numPages\":0,\"currentPage\":1,\"pageSize\":1000,"
                        + "\"hasNextPage\":false,\"hasPreviousPage\":false}}"));
        CursorClient client = client(budget);
        client.members();
        client.usageEvents(ClientTestKit.NOW.minusSeconds(3600), ClientTestKit.NOW, page -> { });
        assertEquals(List.of(), budgetWaits);
    }
}
