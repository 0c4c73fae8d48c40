package dev.cursorexporter.e2e;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.TeamSource;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Budgets, forecasts, cycle end and the series cap in a real scrape of the exporter against the simulator. */
class SpendControlEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    private static Simulator simulator() {
        return Simulator.start(SimulatorOptions.builder().users(25).days(30).seed(7).live(false).clock(CLOCK).build());
    }

    @Test
    void budgetsForecastsAndCycleEndAreScraped() {
        try (Simulator sim = simulator()) {
            Budgets budgets = new Budgets(Optional.of(new BigDecimal("1000")), Map.of("Platform", new BigDecimal("5000"),
                    "Nobody", new BigDecimal("7")));
            ExporterConfig config = ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL).toBuilder()
                    .budgets(budgets).build();
            try (ExporterHarness exporter = ExporterHarness.start(config, CLOCK)) {
                Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(60));
                SimulatorTotals totals = sim.totals();

                Map<String, Double> budget = scrape.sumBy("cursor_team_budget_usd", "team");
                assertEquals(5000.0, budget.get("Platform"));
                assertEquals(7.0, budget.get("Nobody"), "listed teams get their budget even without members");
                for (String team : totals.cycleSpendCentsByTeam().keySet()) {
                    if (!team.equals("Platform")) {
                        assertEquals(1000.0, budget.get(team), team + " gets the default");
                    }
                }

                Map<String, Double> forecast = scrape.sumBy("cursor_team_cycle_spend_forecast_usd", "team");
                totals.cycleSpendCentsByTeam().forEach((team, cents) -> {
                    double spent = cents.movePointLeft(2).doubleValue();
                    assertTrue(forecast.get(team) >= spent - 0.01, team + ": forecast " + forecast.get(team)
                            + " below spend so far " + spent);
                    if (spent > 0) {
                        assertTrue(forecast.get(team) > spent, team + " keeps spending until the cycle ends");
                    }
                });

                Instant start = Instant.ofEpochMilli(totals.cycleStartMs());
                double end = ZonedDateTime.ofInstant(start, ZoneOffset.UTC).plusMonths(1).toEpochSecond();
                assertEquals(List.of(end), scrape.samples("cursor_cycle_end_timestamp_seconds").stream()
                        .map(Exposition.Sample::value).toList());
            }
        }
    }

    @Test
    void beyondTheLimitsTheSmallestSpendersAndModelsAreSummedIntoOtherAndTotalsStay() {
        try (Simulator sim = simulator()) {
            ExporterConfig c = ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL);
            ExporterConfig limited = c.toBuilder().budgets(Budgets.NONE).directoryRules(List.of())
                    .teamSource(TeamSource.DIRECTORY).maxUsers(5).maxModels(2).build();
            try (ExporterHarness exporter = ExporterHarness.start(limited, CLOCK)) {
                Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(60));
                SimulatorTotals truth = sim.totals();
                Set<String> topUsers = largest(truth.costCentsByUser(), 5);
                Set<String> topModels = largest(truth.costCentsByModel(), 2);
                String cost = "cursor_usage_cost_usd_total";
                assertEquals(union(topUsers, "other"), values(scrape, cost, "user"));
                assertEquals(union(topModels, "other"), values(scrape, cost, "model"));
                for (String user : topUsers) {
                    assertEquals(truth.costCentsByUser().get(user).movePointLeft(2).doubleValue(),
                            scrape.sum(cost, l -> l.get("user").equals(user)), 0.01, user);
                }
                for (String model : topModels) {
                    assertEquals(truth.costCentsByModel().get(model).movePointLeft(2).doubleValue(),
                            scrape.sum(cost, l -> l.get("model").equals(model)), 0.01, model);
                }
                assertEquals(truth.totalCostCents().movePointLeft(2).doubleValue(), scrape.sum(cost, l -> true), 0.01);
                // the same users keep their label in the per-member metrics, and those totals stay too
                assertTrue(union(topUsers, "other").containsAll(values(scrape, "cursor_cycle_spend_usd", "user")));
                double spend = truth.cycleSpendCentsByUser().values().stream()
                        .mapToDouble(v -> v.movePointLeft(2).doubleValue()).sum();
                assertEquals(spend, scrape.sum("cursor_cycle_spend_usd", l -> true), 0.01);
                assertEquals(truth.costCentsByModel().size() - 2.0,
                        scrape.sum("cursor_exporter_folded_label_values", l -> l.get("label").equals("model")));
                assertTrue(scrape.sum("cursor_exporter_folded_label_values", l -> l.get("label").equals("user"))
                        >= truth.costCentsByUser().size() - 5);
                assertEquals(0.0, scrape.sum("cursor_exporter_series_capped", l -> true), "no family reached the cap");
            }
        }
    }

    @Test
    void aFamilyAtTheSeriesCapSumsItsFurtherSeriesIntoOtherAndTotalsStay() {
        try (Simulator sim = simulator()) {
            ExporterConfig c = ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL);
            ExporterConfig capped = c.toBuilder().budgets(Budgets.NONE).directoryRules(List.of())
                    .teamSource(TeamSource.DIRECTORY).maxSeriesPerMetric(100).build();
            try (ExporterHarness exporter = ExporterHarness.start(capped, CLOCK)) {
                Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(60));
                List<Exposition.Sample> cost = scrape.samples("cursor_usage_cost_usd_total");
                assertTrue(cost.size() <= 101, cost.size() + " series");
                double total = sim.totals().totalCostCents().movePointLeft(2).doubleValue();
                assertEquals(total, scrape.sum("cursor_usage_cost_usd_total", l -> true), 0.01);
                assertEquals(1.0, scrape.sum("cursor_exporter_series_capped",
                        l -> l.get("metric").equals("cursor_usage_cost_usd")));
                assertEquals(0.0, scrape.sum("cursor_exporter_series_capped",
                        l -> l.get("metric").equals("cursor_members")));
            }
        }
    }

    private static Set<String> largest(Map<String, BigDecimal> values, int n) {
        return values.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed())
                .limit(n).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private static Set<String> union(Set<String> set, String extra) {
        Set<String> out = new TreeSet<>(set);
        out.add(extra);
        return out;
    }

    private static Set<String> values(Exposition scrape, String metric, String label) {
        return scrape.samples(metric).stream().map(s -> s.labels().get(label)).collect(Collectors.toCollection(TreeSet::new));
    }
}
