package dev.cursorexporter.testing;

import dev.cursorexporter.simulator.SimulatorTotals;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares what a real scrape of the exporter says with the simulator's own totals, computed independently from
 * its generated data. Money must agree to the cent.
 */
public final class TotalsAssertions {
    private static final double CENT = 0.005;

    private TotalsAssertions() {
    }

    public static void assertScrapeMatches(SimulatorTotals t, Exposition m) {
        assertMoney("cost by model", dollars(t.costCentsByModel()), m.sumBy("cursor_usage_cost_usd_total", "model"));
        assertMoney("cost by user", dollars(t.costCentsByUser()), m.sumBy("cursor_usage_cost_usd_total", "user"));
        assertCounts("requests by billing", t.requestsByBilling(), m.sumBy("cursor_usage_requests_total", "billing"));
        assertCounts("requests by model", t.requestsByModel(), m.sumBy("cursor_usage_requests_total", "model"));
        assertCounts("requests by user", t.requestsByUser(), m.sumBy("cursor_usage_requests_total", "user"));
        assertCounts("tokens by type", t.tokensByType(), m.sumBy("cursor_usage_tokens_total", "token_type"));
        assertMoney("cost by actor", dollars(t.costCentsByActor()), m.sumBy("cursor_usage_cost_usd_total", "actor"));
        assertCounts("requests by actor", t.requestsByActor(), m.sumBy("cursor_usage_requests_total", "actor"));
        assertMoney("cycle spend by user", dollars(t.cycleSpendCentsByUser()), m.sumBy("cursor_cycle_spend_usd", "user"));
        assertMoney("on-demand spend by user", dollars(t.onDemandSpendCentsByUser()),
                m.sumBy("cursor_cycle_on_demand_spend_usd", "user"));
        assertMoney("cycle spend by team", dollars(t.cycleSpendCentsByTeam()), m.sumBy("cursor_cycle_spend_usd", "team"));
        assertCounts("spend limits", t.spendLimitDollarsByUser(), m.sumBy("cursor_user_spend_limit_usd", "user"));
        assertCounts("members by role", t.membersByRole(), m.sumBy("cursor_members", "role"));
        assertCounts("lines added by user", t.linesAddedByUser(),
                m.sumBy("cursor_lines_added_total", "user", l -> "all".equals(l.get("source"))));
        assertCounts("AI lines by user", t.aiLinesAddedByUser(),
                m.sumBy("cursor_lines_added_total", "user", l -> "ai".equals(l.get("source"))));
        assertCounts("tabs shown by user", t.tabsShownByUser(),
                m.sumBy("cursor_tab_completions_total", "user", l -> "shown".equals(l.get("outcome"))));
        assertCounts("tabs accepted by user", t.tabsAcceptedByUser(),
                m.sumBy("cursor_tab_completions_total", "user", l -> "accepted".equals(l.get("outcome"))));
        for (String feature : new String[] {"chat", "composer", "agent", "cmdk", "bugbot"}) {
            Map<String, Long> expected = new TreeMap<>();
            t.featureRequestsByUser().forEach((user, f) -> expected.put(user, f.getOrDefault(feature, 0L)));
            assertCounts(feature + " requests by user", expected,
                    m.sumBy("cursor_feature_requests_total", "user", l -> feature.equals(l.get("feature"))));
        }
        assertCounts("active users", t.activeUsers(), m.sumBy("cursor_active_users", "window"));
        assertEquals(t.cycleStartMs() / 1000.0, m.samples("cursor_cycle_start_timestamp_seconds").get(0).value(), 0.001,
                "cycle start");
    }

    private static Map<String, Double> dollars(Map<String, BigDecimal> cents) {
        Map<String, Double> out = new TreeMap<>();
        cents.forEach((k, v) -> out.put(k, v.movePointLeft(2).doubleValue()));
        return out;
    }

    private static void assertMoney(String what, Map<String, Double> expected, Map<String, Double> actual) {
        assertEquals(new TreeMap<>(expected).keySet(), new TreeMap<>(actual).keySet(), what + ": keys");
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), CENT, what + " [" + k + "]"));
    }

    private static <N extends Number> void assertCounts(String what, Map<String, N> expected,
                                                        Map<String, Double> actual) {
        Map<String, Double> nonZeroActual = new TreeMap<>();
        actual.forEach((k, v) -> {
            if (v != 0) {
                nonZeroActual.put(k, v);
            }
        });
        Map<String, Double> nonZeroExpected = new TreeMap<>();
        expected.forEach((k, v) -> {
            if (v.doubleValue() != 0) {
                nonZeroExpected.put(k, v.doubleValue());
            }
        });
        assertEquals(nonZeroExpected, nonZeroActual, what);
    }

}
