package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.cursorexporter.simulator.SimFixtures.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads everything a client can read over HTTP (30-day windows, all pages), adds it up with its own little code,
 * and compares with {@link Simulator#totals()}, which is computed from the model.
 */
class SimulatorTotalsConsistencyTest {

    @ParameterizedTest
    @EnumSource(Profile.class)
    void whatTheApiServesAddsUpToTheTotals(Profile profile) {
        try (Simulator sim = Simulator.start(SimFixtures.small(profile).build())) {
            SimulatorTotals totals = sim.totals();
            SimClient c = SimClient.basic(sim);
            long nowMs = totals.nowMs();
            long firstMs = LocalDate.parse(totals.firstDay()).toEpochDay() * DAY;

            List<JsonNode> events = new ArrayList<>();
            for (long start = firstMs; start <= nowMs; start += 30 * DAY) {
                long end = Math.min(start + 30 * DAY - 1, nowMs); // inclusive bounds: windows must not overlap
                events.addAll(SimulatorShapesTest.allEvents(sim, start, end));
            }
            Map<String, BigDecimal> costByModel = new TreeMap<>();
            Map<String, BigDecimal> costByUser = new TreeMap<>();
            Map<String, Long> byBilling = new TreeMap<>();
            Map<String, Long> tokens = new TreeMap<>();
            Map<String, Long> kindCountsByUserDay = new HashMap<>();
            Map<String, BigDecimal> cycleCostByUser = new HashMap<>();
            Map<String, BigDecimal> costByActor = new TreeMap<>();
            Map<String, Long> byActor = new TreeMap<>();
            long duplicates = 0;
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                if (i > 0 && e.equals(events.get(i - 1))) {
                    duplicates++;
                }
                String kind = e.get("kind").asText();
                BigDecimal cost = cost(e, profile);
                String user = user(e);
                String actor = e.has("serviceAccountId") ? "service_account" : e.has("automationId") ? "automation"
                        : e.has("cloudAgentId") ? "cloud_agent" : "human";
                costByActor.merge(actor, cost, BigDecimal::add);
                byActor.merge(actor, 1L, Long::sum);
                costByModel.merge(e.get("model").asText(), cost, BigDecimal::add);
                costByUser.merge(user, cost, BigDecimal::add);
                String billing = kind.contains("Not Charged") ? "not_charged" : kind.startsWith("Included") ? "included"
                        : kind.equals("Usage-based") ? "usage_based" : kind.equals("User API Key") ? "byok" : "other";
                byBilling.merge(billing, 1L, Long::sum);
                JsonNode t = e.get("tokenUsage");
                if (t != null) {
                    tokens.merge("input", t.get("inputTokens").asLong(), Long::sum);
                    tokens.merge("output", t.get("outputTokens").asLong(), Long::sum);
                    tokens.merge("cache_read", t.get("cacheReadTokens").asLong(), Long::sum);
                    tokens.merge("cache_write", t.get("cacheWriteTokens").asLong(), Long::sum);
                }
                long ts = Long.parseLong(e.get("timestamp").asText());
                String day = LocalDate.ofEpochDay(Math.floorDiv(ts, DAY)).toString();
                kindCountsByUserDay.merge(user + "|" + day + "|" + billing, 1L, Long::sum);
                if (ts >= totals.cycleStartMs()) {
                    cycleCostByUser.merge(user, cost, BigDecimal::add);
                }
            }
            assertEquals(totals.totalEvents(), events.size());
            assertEquals(totals.duplicateEvents(), duplicates);
            assertTrue(duplicates > 0);
            assertDecimalsEqual(totals.costCentsByModel(), costByModel);
            assertDecimalsEqual(totals.costCentsByUser(), costByUser);
            assertTrue(costByUser.get(SimulatorTotals.UNKNOWN_USER).signum() > 0, "removed member's usage");
            byBilling.putIfAbsent("other", 0L);
            assertEquals(totals.requestsByBilling(), byBilling);
            assertEquals(totals.tokensByType(), tokens);
            assertDecimalsEqual(totals.costCentsByActor(), costByActor);
            assertEquals(totals.requestsByActor(), byActor);
            assertEquals(0, totals.totalCostCents().compareTo(costByActor.values().stream()
                    .reduce(BigDecimal.ZERO, BigDecimal::add)), "the actors' costs add up to the total");
            if (profile == Profile.DOCS_LATEST) {
                assertEquals(List.of("automation", "cloud_agent", "human", "service_account"),
                        List.copyOf(byActor.keySet()));
                assertTrue(byActor.get("human") > 8 * (events.size() - byActor.get("human")), "agents make a few per cent");
                assertTrue(costByUser.keySet().stream().anyMatch(u -> u.startsWith("sa:")),
                        "service-account events without e-mail");
            } else {
                assertEquals(List.of("human"), List.copyOf(byActor.keySet()), "no caller fields in 2026-01");
            }

            // Daily usage: consecutive 30-day windows of whole days (endDate at midnight covers that day).
            Map<String, Long> linesAdded = new TreeMap<>();
            Map<String, Long> aiLines = new TreeMap<>();
            Map<String, Long> tabsShown = new TreeMap<>();
            Map<String, Long> tabsAccepted = new TreeMap<>();
            Map<String, Long> agent = new TreeMap<>();
            Map<String, Long> lastActiveDay = new HashMap<>();
            for (long start = firstMs; start <= nowMs; start += 30 * DAY) {
                for (int page = 1; ; page++) {
                    JsonNode r = c.post("/teams/daily-usage-data", Map.of("startDate", start,
                            "endDate", start + 29 * DAY, "page", page, "pageSize", 5)).json();
                    for (JsonNode row : r.get("data")) {
                        String user = row.get("email").asText().toLowerCase();
                        linesAdded.merge(user, row.get("totalLinesAdded").asLong(), Long::sum);
                        aiLines.merge(user, row.get("acceptedLinesAdded").asLong(), Long::sum);
                        tabsShown.merge(user, row.get("totalTabsShown").asLong(), Long::sum);
                        tabsAccepted.merge(user, row.get("totalTabsAccepted").asLong(), Long::sum);
                        agent.merge(user, row.get("agentRequests").asLong(), Long::sum);
                        String day = row.get("day").asText();
                        assertEquals(kindCountsByUserDay.getOrDefault(user + "|" + day + "|included", 0L),
                                row.get("subscriptionIncludedReqs").asLong(), user + " " + day);
                        assertEquals(kindCountsByUserDay.getOrDefault(user + "|" + day + "|usage_based", 0L),
                                row.get("usageBasedReqs").asLong(), user + " " + day);
                        assertEquals(kindCountsByUserDay.getOrDefault(user + "|" + day + "|byok", 0L),
                                row.get("apiKeyReqs").asLong(), user + " " + day);
                        if (row.get("isActive").asBoolean()) {
                            lastActiveDay.merge(user, LocalDate.parse(day).toEpochDay(), Math::max);
                        }
                    }
                    if (!r.get("pagination").get("hasNextPage").asBoolean()) {
                        break;
                    }
                }
            }
            assertEquals(totals.linesAddedByUser(), linesAdded);
            assertEquals(totals.aiLinesAddedByUser(), aiLines);
            assertEquals(totals.tabsShownByUser(), tabsShown);
            assertEquals(totals.tabsAcceptedByUser(), tabsAccepted);
            Map<String, Long> agentTotals = new TreeMap<>();
            totals.featureRequestsByUser().forEach((u, f) -> agentTotals.put(u, f.get("agent")));
            assertEquals(agentTotals, agent);
            long newest = LocalDate.parse(totals.newestDay()).toEpochDay();
            for (int w : new int[] {1, 7, 28}) {
                long active = lastActiveDay.values().stream().filter(d -> d >= newest - w + 1).count();
                assertEquals(totals.activeUsers().get(w + "d").longValue(), active, w + "d");
            }
            assertTrue(totals.activeUsers().get("28d") < 12, "dormant members exist");

            // Spend: the whole cycle on one page, compared per user; and reconciled with the events.
            JsonNode spend = c.post("/teams/spend", Map.of()).json();
            assertEquals(totals.cycleStartMs(), spend.get("subscriptionCycleStart").asLong());
            Map<String, BigDecimal> cycle = new TreeMap<>();
            Map<String, BigDecimal> onDemand = new TreeMap<>();
            Map<String, Integer> limits = new TreeMap<>();
            for (JsonNode m : spend.get("teamMemberSpend")) {
                String user = m.get("email").asText().toLowerCase();
                if (profile == Profile.DOCS_LATEST) {
                    cycle.put(user, m.get("overallSpendCents").decimalValue());
                    onDemand.put(user, m.get("spendCents").decimalValue());
                } else {
                    cycle.put(user, m.get("spendCents").decimalValue());
                    onDemand.put(user, m.get("spendCents").decimalValue()
                            .subtract(m.get("includedSpendCents").decimalValue()));
                }
                if (!m.get("effectivePerUserLimitDollars").isNull()) {
                    limits.put(user, m.get("effectivePerUserLimitDollars").asInt());
                }
                BigDecimal fromEvents = cycleCostByUser.getOrDefault(user, BigDecimal.ZERO);
                BigDecimal tolerance = new BigDecimal(profile == Profile.DOCS_LATEST ? "0.0000005" : "0.5");
                assertTrue(cycle.get(user).subtract(fromEvents).abs().compareTo(tolerance) <= 0,
                        user + ": spend " + cycle.get(user) + " vs events " + fromEvents);
            }
            assertDecimalsEqual(totals.cycleSpendCentsByUser(), cycle);
            assertDecimalsEqual(totals.onDemandSpendCentsByUser(), onDemand);
            assertEquals(totals.spendLimitDollarsByUser(), limits);
            assertTrue(onDemand.values().stream().anyMatch(v -> v.signum() > 0));

            Map<String, Long> roles = new TreeMap<>();
            c.get("/teams/members").json().get("teamMembers").forEach(m -> {
                if (!m.get("isRemoved").asBoolean()) {
                    roles.merge(m.get("role").asText(), 1L, Long::sum);
                }
            });
            assertEquals(totals.membersByRole(), roles);

            // The same totals are served as JSON.
            JsonNode served = c.get("/_simulator/totals").json();
            assertEquals(0, served.get("totalCostCents").decimalValue().compareTo(totals.totalCostCents()));
            assertEquals(totals.totalEvents(), served.get("totalEvents").asLong());
        }
    }

    /** The exporter's user key: the e-mail, else a service account's sa:<name or id>, else unknown. */
    private static String user(JsonNode e) {
        if (e.has("userEmail")) {
            return e.get("userEmail").asText().toLowerCase();
        }
        if (e.has("serviceAccountId")) {
            JsonNode name = e.get("serviceAccountName");
            return "sa:" + (name != null ? name : e.get("serviceAccountId")).asText().toLowerCase();
        }
        return "unknown";
    }

    private static BigDecimal cost(JsonNode e, Profile profile) {
        if (e.get("kind").asText().contains("Not Charged")) {
            return BigDecimal.ZERO;
        }
        if (profile == Profile.DOCS_LATEST) {
            return e.get("chargedCents").decimalValue();
        }
        return e.get("tokenUsage").get("totalCents").decimalValue().add(e.get("cursorTokenFee").decimalValue());
    }

    private static void assertDecimalsEqual(Map<String, BigDecimal> expected, Map<String, BigDecimal> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertEquals(0, v.compareTo(actual.get(k)), k + ": " + v + " vs " + actual.get(k)));
    }
}
