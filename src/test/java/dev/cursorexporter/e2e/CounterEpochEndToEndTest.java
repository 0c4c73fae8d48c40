package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JsonHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 item 3: a store started with 6 backfill days, then restarted on the same data with 30. The older days
 * reach the history (datasource API) and the window gauges, the counters do not move (they count from the counter
 * epoch, the first day of the first backfill), and the spend-spike gauges stay sane.
 */
class CounterEpochEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 20);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);
    private static final Set<String> COUNTERS = Set.of("cursor_usage_cost_usd_total", "cursor_usage_requests_total",
            "cursor_usage_tokens_total", "cursor_lines_added_total", "cursor_tab_completions_total",
            "cursor_feature_requests_total");

    @TempDir
    Path dataDir;

    @Test
    void extendingTheBackfillFillsHistoryButMovesNoCounter() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(20).days(45).seed(11).live(false)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build())) {
            SimulatorTotals totals = sim.totals();
            Exposition first;
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 6, UserLabelMode.EMAIL), Clock.fixed(NOW, ZoneOffset.UTC))) {
                first = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            }
            LocalDate epoch;
            try (SqliteStore store = SqliteStore.open(dataDir)) {
                epoch = store.counterEpoch("default").orElseThrow();
            }
            assertTrue(!epoch.isBefore(TODAY.minusDays(6)) && epoch.isBefore(TODAY.minusDays(4)),
                    "the epoch is the first day of the 6-day backfill: " + epoch);
            // The counters hold the days from the epoch on, exactly.
            assertEquals(usd(totals, epoch, TODAY), first.sum("cursor_usage_cost_usd_total", l -> true), 0.005);
            assertEquals(usd(totals, TODAY.minusDays(1), TODAY.minusDays(1)), window(first, "1d"), 0.005);
            assertEquals(86_400, covered(first, "1d"));
            assertEquals(86_400.0 * 7 - (epoch.isAfter(TODAY.minusDays(7)) ? 86_400.0
                    * (epoch.toEpochDay() - TODAY.minusDays(7).toEpochDay()) : 0), covered(first, "7d"));
            assertTrue(first.samples("cursor_user_baseline_daily_cost_usd").isEmpty(),
                    "no baseline from fewer than 7 held days");

            Instant later = NOW.plusSeconds(60);
            Exposition second;
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL), Clock.fixed(later, ZoneOffset.UTC))) {
                second = exporter.awaitAllSourcesSince(later.getEpochSecond(), SYNC_TIMEOUT);
                // The new gauges' names, types and HELP pass promtool's lint (skipped without promtool outside CI).
                ExporterJarIT.promtoolCheckMetrics(Http.get(exporter.url("/metrics")).body());

                // History has every day of the larger backfill, covered, with the simulator's cost.
                LocalDate from = TODAY.minusDays(29);
                JsonNode rows = JsonHttp.get(exporter.url("/api/v1/daily?from=" + from + "&to=" + TODAY)).body();
                Map<String, Double> apiCost = new TreeMap<>();
                rows.forEach(r -> {
                    if (r.path("covered").asBoolean(true)) {
                        apiCost.put(r.get("date").asText(), r.get("costUsd").asDouble());
                    }
                });
                for (LocalDate d = from; d.isBefore(TODAY); d = d.plusDays(1)) {
                    assertEquals(usd(totals, d, d), apiCost.getOrDefault(d.toString(), Double.NaN), 0.005,
                            "history of " + d);
                }
            }
            // Every counter series is exactly what it was.
            assertEquals(counters(first), counters(second));

            // The window gauges see the older days at once and agree with the simulator.
            assertEquals(usd(totals, TODAY.minusDays(1), TODAY.minusDays(1)), window(second, "1d"), 0.005);
            assertEquals(usd(totals, TODAY.minusDays(7), TODAY.minusDays(1)), window(second, "7d"), 0.005);
            assertEquals(usd(totals, TODAY.minusDays(28), TODAY.minusDays(1)), window(second, "28d"), 0.005);
            assertEquals(28 * 86_400, covered(second, "28d"));
            double baselineSum = second.sum("cursor_user_baseline_daily_cost_usd", l -> true);
            assertEquals(usd(totals, TODAY.minusDays(29), TODAY.minusDays(2)) / 28, baselineSum, 0.005);
            List<Exposition.Sample> baselines = second.samples("cursor_user_baseline_daily_cost_usd");
            assertFalse(baselines.isEmpty());
            baselines.forEach(s -> assertTrue(s.value() >= 0 && Double.isFinite(s.value()), s.toString()));
            // CursorUserSpendSpike's condition: nobody's yesterday is a spike against their own baseline, although
            // the counters would have jumped by three weeks of spend without the epoch.
            Map<String, Double> baseline = byUser(second, "cursor_user_baseline_daily_cost_usd", null);
            byUser(second, "cursor_cost_window_usd", "1d").forEach((user, cost) -> assertFalse(
                    cost > 50 && cost > 3 * baseline.getOrDefault(user, Double.MAX_VALUE),
                    user + " spent " + cost + " yesterday against a baseline of " + baseline.get(user)));
        }
    }

    private static double usd(SimulatorTotals totals, LocalDate from, LocalDate to) {
        BigDecimal cents = BigDecimal.ZERO;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            cents = cents.add(totals.costCentsByDay().getOrDefault(d.toString(), BigDecimal.ZERO));
        }
        return cents.movePointLeft(2).doubleValue();
    }

    private static double window(Exposition scrape, String window) {
        return scrape.sum("cursor_cost_window_usd", l -> window.equals(l.get("window")));
    }

    private static double covered(Exposition scrape, String window) {
        return scrape.sum("cursor_cost_window_covered_seconds", l -> window.equals(l.get("window")));
    }

    private static Map<String, Double> byUser(Exposition scrape, String name, String window) {
        return scrape.sumBy(name, "user", l -> window == null || window.equals(l.get("window")));
    }

    private static Map<String, Double> counters(Exposition scrape) {
        Map<String, Double> out = new TreeMap<>();
        scrape.all().stream().filter(s -> COUNTERS.contains(s.name()))
                .forEach(s -> out.put(s.name() + new TreeMap<>(s.labels()), s.value()));
        assertFalse(out.isEmpty());
        return out;
    }
}
