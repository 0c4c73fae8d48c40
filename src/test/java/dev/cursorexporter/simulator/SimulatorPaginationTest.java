package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cursorexporter.simulator.SimFixtures.DAY;
import static dev.cursorexporter.simulator.SimFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** P-events, P-users and P-spend (REFERENCE.md §1.6). */
class SimulatorPaginationTest {
    private static final long NOW_MS = NOW.toEpochMilli();
    private static Simulator sim;
    private static SimClient client;

    @BeforeAll
    static void start() {
        sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build());
        client = SimClient.basic(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static JsonNode events(long start, long end, int page, int pageSize) {
        SimClient.Response r = client.post("/teams/filtered-usage-events",
                Map.of("startDate", start, "endDate", end, "page", page, "pageSize", pageSize));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void eventPagesFollowPEventsMathAndAreNewestFirstAcrossPages() {
        long start = NOW_MS - 5 * DAY;
        JsonNode first = events(start, NOW_MS, 1, 37);
        int total = first.get("totalUsageEventsCount").asInt();
        assertTrue(total > 100, "enough events for several pages: " + total);
        int numPages = (total + 36) / 37;
        JsonNode p = first.get("pagination");
        assertEquals(numPages, p.get("numPages").asInt());
        assertEquals(1, p.get("currentPage").asInt());
        assertEquals(37, p.get("pageSize").asInt());
        assertTrue(p.get("hasNextPage").asBoolean());
        assertFalse(p.get("hasPreviousPage").asBoolean());
        assertEquals(start, first.get("period").get("startDate").asLong(), "period echoes the request");
        assertEquals(NOW_MS, first.get("period").get("endDate").asLong());

        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; page <= numPages; page++) {
            JsonNode r = events(start, NOW_MS, page, 37);
            assertEquals(page < numPages, r.get("pagination").get("hasNextPage").asBoolean());
            assertEquals(page > 1, r.get("pagination").get("hasPreviousPage").asBoolean());
            assertEquals(page < numPages ? 37 : total - 37 * (numPages - 1), r.get("usageEvents").size());
            r.get("usageEvents").forEach(all::add);
        }
        assertEquals(total, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(Long.parseLong(all.get(i - 1).get("timestamp").asText())
                    >= Long.parseLong(all.get(i).get("timestamp").asText()), "newest first across pages");
        }
        assertEquals(all.size(), allAtOnce(start, NOW_MS).size());
        assertEquals(allAtOnce(start, NOW_MS), all, "page size does not change order");

        JsonNode past = events(start, NOW_MS, numPages + 1, 37);
        assertEquals(0, past.get("usageEvents").size());
        assertEquals(total, past.get("totalUsageEventsCount").asInt());
        assertFalse(past.get("pagination").get("hasNextPage").asBoolean());
        assertTrue(past.get("pagination").get("hasPreviousPage").asBoolean());
    }

    private static List<JsonNode> allAtOnce(long start, long end) {
        List<JsonNode> out = new ArrayList<>();
        events(start, end, 1, 1000).get("usageEvents").forEach(out::add);
        return out;
    }

    @Test
    void eventBoundsAreInclusiveMilliseconds() {
        JsonNode some = events(NOW_MS - DAY, NOW_MS, 1, 5).get("usageEvents").get(2);
        long t = Long.parseLong(some.get("timestamp").asText());
        JsonNode exact = events(t, t, 1, 100);
        assertTrue(exact.get("totalUsageEventsCount").asInt() >= 1);
        exact.get("usageEvents").forEach(e -> assertEquals(Long.toString(t), e.get("timestamp").asText()));
        int before = events(t - DAY, t - 1, 1, 1).get("totalUsageEventsCount").asInt();
        int upTo = events(t - DAY, t, 1, 1).get("totalUsageEventsCount").asInt();
        assertEquals(upTo, before + exact.get("totalUsageEventsCount").asInt());
    }

    @Test
    void emailFilterIsCaseInsensitiveAndMatchesOnlyThatUser() {
        String email = sim.totals().requestsByUser().entrySet().stream()
                .filter(e -> !e.getKey().equals(SimulatorTotals.UNKNOWN_USER))
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        SimClient.Response r = client.post("/teams/filtered-usage-events", Map.of("startDate", NOW_MS - 7 * DAY,
                "endDate", NOW_MS, "page", 1, "pageSize", 1000, "email", email.toUpperCase()));
        JsonNode json = r.json();
        assertTrue(json.get("totalUsageEventsCount").asInt() > 0);
        json.get("usageEvents").forEach(e -> assertEquals(email, e.get("userEmail").asText()));
    }

    @Test
    void dailyUsagePaginatesUsersAndEachPageHasAllTheirDays() {
        long start = NOW_MS - 9 * DAY;
        Map<String, Set<String>> daysByUser = new HashMap<>();
        Set<String> usersSeen = new HashSet<>();
        int totalPages = -1;
        for (int page = 1; page <= 5; page++) {
            JsonNode r = client.post("/teams/daily-usage-data",
                    Map.of("startDate", start, "endDate", NOW_MS, "page", page, "pageSize", 5)).json();
            JsonNode p = r.get("pagination");
            assertEquals(page, p.get("page").asInt());
            assertEquals(5, p.get("pageSize").asInt());
            int totalUsers = p.get("totalUsers").asInt();
            totalPages = p.get("totalPages").asInt();
            assertEquals((totalUsers + 4) / 5, totalPages);
            assertEquals(page < totalPages, p.get("hasNextPage").asBoolean());
            assertEquals(page > 1, p.get("hasPreviousPage").asBoolean());
            Set<String> usersOnPage = new HashSet<>();
            for (JsonNode row : r.get("data")) {
                String user = row.get("userId").asText();
                usersOnPage.add(user);
                daysByUser.computeIfAbsent(user, k -> new HashSet<>()).add(row.get("day").asText());
            }
            if (page <= totalPages) {
                assertTrue(usersOnPage.size() <= 5 && !usersOnPage.isEmpty());
                usersOnPage.forEach(u -> assertTrue(usersSeen.add(u), "a user appears on one page only"));
            } else {
                assertEquals(0, r.get("data").size(), "page past the end");
            }
        }
        assertEquals(3, totalPages, "12 current members, 5 per page");
        assertEquals(12, usersSeen.size());
        long fullMembers = daysByUser.values().stream().filter(d -> d.size() == 10).count();
        assertTrue(fullMembers >= 10, "members present the whole range have one row per day: " + daysByUser);
    }

    @Test
    void spendPagesWithoutHasNextPageAndEmptyBodyReturnsEveryone() {
        JsonNode all = client.post("/teams/spend", Map.of()).json();
        assertEquals(12, all.get("teamMemberSpend").size());
        assertEquals(12, all.get("totalMembers").asInt());
        assertEquals(1, all.get("totalPages").asInt());
        assertFalse(all.has("hasNextPage"));
        assertFalse(all.has("currentPage"));

        Set<String> ids = new HashSet<>();
        for (int page = 1; page <= 4; page++) {
            JsonNode r = client.post("/teams/spend", Map.of("page", page, "pageSize", 5)).json();
            assertEquals(3, r.get("totalPages").asInt());
            assertEquals(12, r.get("totalMembers").asInt());
            assertEquals(page <= 2 ? 5 : page == 3 ? 2 : 0, r.get("teamMemberSpend").size());
            r.get("teamMemberSpend").forEach(m -> assertTrue(ids.add(m.get("userId").asText())));
        }
        assertEquals(12, ids.size());

        JsonNode byAmount = client.post("/teams/spend", Map.of("sortBy", "amount", "sortDirection", "desc")).json();
        JsonNode spends = byAmount.get("teamMemberSpend");
        for (int i = 1; i < spends.size(); i++) {
            assertTrue(spends.get(i - 1).get("overallSpendCents").decimalValue()
                    .compareTo(spends.get(i).get("overallSpendCents").decimalValue()) >= 0);
        }
        assertEquals(spends.get(0).get("overallSpendCents").decimalValue().longValue(),
                byAmount.get("maxUserSpendCents").asLong());
    }
}
