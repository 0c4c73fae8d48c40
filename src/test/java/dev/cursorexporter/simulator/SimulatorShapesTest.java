package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.cursorexporter.simulator.SimFixtures.DAY;
import static dev.cursorexporter.simulator.SimFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Field presence, types and null conventions per profile (REFERENCE.md §2.1–2.5, §7). */
class SimulatorShapesTest {
    private static final Pattern USER_ID = Pattern.compile("user_[A-Za-z0-9]{26}");
    private static final long NOW_MS = NOW.toEpochMilli();
    private static Simulator docs;
    private static Simulator observed;

    @BeforeAll
    static void start() {
        docs = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build());
        observed = Simulator.start(SimFixtures.small(Profile.OBSERVED_2026_01).build());
    }

    @AfterAll
    static void stop() {
        docs.close();
        observed.close();
    }

    @Test
    void membersHaveCursorsFieldsAndRemovedOnesAreFlagged() {
        JsonNode members = SimClient.basic(docs).get("/teams/members").json().get("teamMembers");
        int removed = 0;
        Set<String> roles = new HashSet<>();
        for (JsonNode m : members) {
            assertEquals(Set.of("name", "email", "id", "role", "isRemoved"), fieldNames(m));
            assertTrue(USER_ID.matcher(m.get("id").asText()).matches(), m.toString());
            assertTrue(m.get("email").asText().toLowerCase().endsWith("@example.com"));
            roles.add(m.get("role").asText());
            if (m.get("isRemoved").asBoolean()) {
                removed++;
            }
        }
        assertEquals(12, members.size() - removed);
        assertTrue(removed >= 1);
        assertTrue(roles.containsAll(Set.of("owner", "member", "free-owner")), roles.toString());
        assertTrue(containsText(members, "email", e -> !e.equals(e.toLowerCase())), "a mixed-case e-mail");
        assertTrue(containsText(members, "name", String::isEmpty), "a member without a name");
    }

    @Test
    void removedMembersCanBeAbsentFromTheList() {
        try (Simulator absent = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST)
                .removedMembers(RemovedMembers.ABSENT).build())) {
            JsonNode members = SimClient.basic(absent).get("/teams/members").json().get("teamMembers");
            assertEquals(12, members.size());
            members.forEach(m -> assertFalse(m.get("isRemoved").asBoolean()));
        }
    }

    @Test
    void dailyUsagePeriodEndIsRoundedUpToTheEndOfTheUtcDay() {
        long start = Instant.parse("2026-02-20T00:00:00Z").toEpochMilli();
        long end = Instant.parse("2026-02-22T00:00:00Z").toEpochMilli();
        JsonNode r = SimClient.basic(docs).post("/teams/daily-usage-data",
                Map.of("startDate", start, "endDate", end, "page", 1, "pageSize", 100)).json();
        assertEquals(start, r.get("period").get("startDate").asLong());
        assertEquals(Instant.parse("2026-02-22T23:59:59.999Z").toEpochMilli(), r.get("period").get("endDate").asLong());
        assertEquals(List.of("period", "data", "pagination"), new ArrayList<>(fieldList(r)));
        Set<String> days = new HashSet<>();
        long previousDate = Long.MIN_VALUE;
        for (JsonNode row : r.get("data")) {
            long date = row.get("date").asLong();
            assertTrue(date >= previousDate, "rows ordered by date");
            previousDate = date;
            assertEquals(0, date % DAY);
            assertEquals(LocalDate.ofEpochDay(date / DAY).toString(), row.get("day").asText());
            days.add(row.get("day").asText());
        }
        assertEquals(Set.of("2026-02-20", "2026-02-21", "2026-02-22"), days, "endDate at midnight includes that day");
    }

    @Test
    void dailyUsageRowsFollowTheProfile() {
        for (Simulator sim : List.of(docs, observed)) {
            boolean isDocs = sim == docs;
            JsonNode data = dailyRows(sim, NOW_MS - 6 * DAY, NOW_MS);
            boolean sawActive = false;
            boolean sawInactive = false;
            boolean sawActiveWithoutVersion = false;
            for (JsonNode row : data) {
                assertTrue(row.get("userId").isTextual());
                assertTrue(row.get("isActive").isBoolean());
                assertTrue(row.get("acceptedLinesAdded").asLong() <= row.get("totalLinesAdded").asLong());
                assertTrue(row.get("totalTabsAccepted").asLong() <= row.get("totalTabsShown").asLong());
                boolean active = row.get("isActive").asBoolean();
                if (active) {
                    sawActive = true;
                    assertFalse(row.get("mostUsedModel").asText().isEmpty());
                    if (!row.has("clientVersion") || row.get("clientVersion").isNull()) {
                        sawActiveWithoutVersion = true;
                    }
                } else {
                    sawInactive = true;
                    for (String f : List.of("totalLinesAdded", "agentRequests", "subscriptionIncludedReqs",
                            "usageBasedReqs", "apiKeyReqs", "totalTabsShown")) {
                        assertEquals(0, row.get(f).asLong(), f);
                    }
                    if (isDocs) {
                        assertTrue(row.get("mostUsedModel").isNull());
                        assertTrue(row.get("applyMostUsedExtension").isNull());
                        assertTrue(row.get("clientVersion").isNull());
                    } else {
                        assertEquals("", row.get("mostUsedModel").asText());
                        assertEquals("", row.get("tabMostUsedExtension").asText());
                        assertFalse(row.has("clientVersion"), "observed rows omit an unknown clientVersion");
                    }
                }
                if (isDocs) {
                    assertTrue(row.has("clientVersion"));
                }
            }
            assertTrue(sawActive && sawInactive && sawActiveWithoutVersion);
        }
    }

    @Test
    void dailyUsageWithoutPaginationFollowsTheProfile() {
        long start = NOW_MS - 3 * DAY;
        Map<String, Long> body = Map.of("startDate", start, "endDate", NOW_MS);
        JsonNode docsRows = SimClient.basic(docs).post("/teams/daily-usage-data", body).json();
        assertFalse(docsRows.has("pagination"));
        assertTrue(docsRows.get("data").size() > 0);
        for (JsonNode row : docsRows.get("data")) {
            assertFalse(row.has("isActive"), "docs: only active rows, without isActive");
            assertTrue(row.get("agentRequests").asLong() + row.get("chatRequests").asLong()
                    + row.get("composerRequests").asLong() + row.get("cmdkUsages").asLong()
                    + row.get("bugbotUsages").asLong() > 0);
        }
        JsonNode observedRows = SimClient.basic(observed).post("/teams/daily-usage-data", body).json();
        assertFalse(observedRows.has("pagination"));
        assertTrue(observedRows.get("data").size() > docsRows.get("data").size());
        observedRows.get("data").forEach(row -> assertTrue(row.has("isActive")));
    }

    @Test
    void spendFollowsTheProfile() {
        JsonNode d = SimClient.basic(docs).post("/teams/spend", Map.of()).json();
        assertEquals(docs.totals().cycleStartMs(), d.get("subscriptionCycleStart").asLong());
        Instant cycleStart = Instant.ofEpochMilli(d.get("subscriptionCycleStart").asLong());
        assertFalse(cycleStart.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() == 0, "not midnight-aligned");
        assertTrue(!cycleStart.isAfter(NOW) && cycleStart.isAfter(NOW.minusSeconds(32 * 86_400)));
        boolean fractional = false;
        boolean withLimit = false;
        boolean withoutLimit = false;
        for (JsonNode m : d.get("teamMemberSpend")) {
            assertTrue(m.has("overallSpendCents"));
            assertFalse(m.has("includedSpendCents"));
            assertTrue(m.get("profilePictureUrl").isNull());
            assertTrue(m.get("spendCents").decimalValue().compareTo(m.get("overallSpendCents").decimalValue()) <= 0);
            fractional |= m.get("overallSpendCents").decimalValue().stripTrailingZeros().scale() > 0;
            withLimit |= m.get("monthlyLimitDollars").isInt();
            withoutLimit |= m.get("monthlyLimitDollars").isNull();
            assertEquals(m.get("monthlyLimitDollars"), m.get("effectivePerUserLimitDollars"));
        }
        assertTrue(fractional && withLimit && withoutLimit);

        JsonNode o = SimClient.basic(observed).post("/teams/spend", Map.of()).json();
        for (JsonNode m : o.get("teamMemberSpend")) {
            assertFalse(m.has("overallSpendCents"));
            assertTrue(m.get("spendCents").isIntegralNumber());
            assertTrue(m.get("includedSpendCents").isIntegralNumber());
            assertTrue(m.get("includedSpendCents").asLong() <= m.get("spendCents").asLong());
        }
        assertEquals(12, o.get("totalMembers").asInt());
    }

    @Test
    void usageEventsFollowTheProfile() {
        List<JsonNode> docsEvents = allEvents(docs, NOW_MS - 14 * DAY, NOW_MS);
        Set<String> kinds = new HashSet<>();
        boolean sawFee = false;
        boolean sawRequestBased = false;
        for (JsonNode e : docsEvents) {
            assertTrue(e.get("timestamp").isTextual(), "timestamp is a JSON string");
            Long.parseLong(e.get("timestamp").asText());
            kinds.add(e.get("kind").asText());
            assertTrue(e.has("chargedCents"));
            if (e.has("cursorTokenFee")) {
                sawFee = true;
                assertTrue(e.get("cursorTokenFee").decimalValue().signum() > 0, "docs: fee only when > 0");
            }
            if (!e.get("isTokenBasedCall").asBoolean()) {
                sawRequestBased = true;
                assertFalse(e.has("tokenUsage"));
            } else {
                assertNotNull(e.get("tokenUsage"));
            }
            if (e.get("kind").asText().contains("Not Charged") || e.get("kind").asText().equals("User API Key")) {
                assertEquals(0, e.get("chargedCents").decimalValue().signum());
                assertFalse(e.get("isChargeable").asBoolean());
            }
        }
        assertEquals(Set.of("Included in Business", "Usage-based", "Errored, Not Charged", "Aborted, Not Charged",
                "User API Key"), kinds);
        assertTrue(sawFee && sawRequestBased);

        List<JsonNode> observedEvents = allEvents(observed, NOW_MS - 14 * DAY, NOW_MS);
        assertEquals(docsEvents.size(), observedEvents.size());
        for (JsonNode e : observedEvents) {
            assertFalse(e.has("chargedCents"));
            assertFalse(e.has("conversationId"));
            assertTrue(e.get("isChargeable").asBoolean(), "observed: isChargeable true everywhere");
            assertTrue(e.has("cursorTokenFee"));
            JsonNode t = e.get("tokenUsage");
            assertNotNull(t, "observed: tokenUsage on every event");
            if (e.get("kind").asText().startsWith("Errored") || e.get("kind").asText().equals("User API Key")) {
                assertEquals(0, t.get("totalCents").decimalValue().signum());
                assertEquals(0, t.get("inputTokens").asLong());
            }
        }
    }

    @Test
    void bothReadingsOfAnEventsCostAgree() {
        List<JsonNode> docsEvents = allEvents(docs, NOW_MS - 10 * DAY, NOW_MS);
        List<JsonNode> observedEvents = allEvents(observed, NOW_MS - 10 * DAY, NOW_MS);
        boolean abortedWithTokens = false;
        boolean noisy = false;
        for (int i = 0; i < docsEvents.size(); i++) {
            JsonNode d = docsEvents.get(i);
            JsonNode o = observedEvents.get(i);
            assertEquals(d.get("timestamp"), o.get("timestamp"));
            BigDecimal observedCost = o.get("kind").asText().contains("Not Charged") ? BigDecimal.ZERO
                    : o.get("tokenUsage").get("totalCents").decimalValue().add(o.get("cursorTokenFee").decimalValue());
            assertEquals(0, d.get("chargedCents").decimalValue().compareTo(observedCost), d.toString());
            if (o.get("kind").asText().startsWith("Aborted")
                    && o.get("tokenUsage").get("totalCents").decimalValue().signum() > 0) {
                abortedWithTokens = true; // the "Not Charged" rule matters: totalCents > 0 but nothing charged
            }
            noisy |= d.get("chargedCents").decimalValue().scale() > 10; // Q19 float noise
        }
        assertTrue(abortedWithTokens && noisy);
    }

    @Test
    void removedMembersEventsHaveNoEmailAndDuplicatesExist() {
        List<JsonNode> events = allEvents(docs, NOW_MS - 30 * DAY, NOW_MS);
        long withoutEmail = events.stream().filter(e -> !e.has("userEmail")).count();
        assertTrue(withoutEmail > 0);
        int duplicates = 0;
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).equals(events.get(i - 1))) {
                duplicates++;
            }
        }
        assertTrue(duplicates > 0, "exact duplicate events");
        Set<String> listed = new HashSet<>();
        SimClient.basic(docs).get("/teams/members").json().get("teamMembers")
                .forEach(m -> listed.add(m.get("email").asText().toLowerCase()));
        events.stream().filter(e -> e.has("userEmail"))
                .forEach(e -> assertTrue(listed.contains(e.get("userEmail").asText().toLowerCase())));
    }

    @Test
    void directoryCsvListsEveryMember() {
        String[] lines = docs.directoryCsv().split("\n");
        assertEquals("email,team,location", lines[0]);
        assertEquals(1 + 13, lines.length, "12 current members and 1 removed");
        Set<String> teams = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].split(",");
            assertEquals(3, cols.length, lines[i]);
            assertEquals(cols[0].toLowerCase(), cols[0]);
            assertTrue(Organisation.TEAMS.contains(cols[1]));
            assertTrue(Organisation.LOCATIONS.contains(cols[2]));
            teams.add(cols[1]);
        }
        assertTrue(teams.size() >= 3);
    }

    static JsonNode dailyRows(Simulator sim, long start, long end) {
        return SimClient.basic(sim).post("/teams/daily-usage-data",
                Map.of("startDate", start, "endDate", end, "page", 1, "pageSize", 500)).json().get("data");
    }

    static List<JsonNode> allEvents(Simulator sim, long start, long end) {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode r = SimClient.basic(sim).post("/teams/filtered-usage-events",
                    Map.of("startDate", start, "endDate", end, "page", page, "pageSize", 1000)).json();
            r.get("usageEvents").forEach(out::add);
            if (!r.get("pagination").get("hasNextPage").asBoolean()) {
                return out;
            }
        }
    }

    private static Set<String> fieldNames(JsonNode n) {
        return new HashSet<>(fieldList(n));
    }

    private static List<String> fieldList(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean containsText(JsonNode array, String field, java.util.function.Predicate<String> test) {
        for (JsonNode n : array) {
            if (test.test(n.get(field).asText())) {
                return true;
            }
        }
        return false;
    }
}
