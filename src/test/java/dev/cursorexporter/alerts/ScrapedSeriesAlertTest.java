package dev.cursorexporter.alerts;

import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules evaluated by promtool on series taken from a real scrape of the exporter (against the
 * simulator), so a renamed metric or label breaks this test, not a production alert.
 */
class ScrapedSeriesAlertTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void budgetAlertsFireOnTheSeriesOfARealScrape() throws IOException {
        Path promtool = RealTools.require("promtool");
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(25).days(20).seed(7).live(false)
                .clock(CLOCK).build())) {
            // the biggest spender at 125% of its budget, the second at 85%, everyone else at 25%
            List<Map.Entry<String, BigDecimal>> bySpend = sim.totals().cycleSpendCentsByTeam().entrySet().stream()
                    .filter(e -> e.getValue().signum() > 0)
                    .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()).toList();
            assertTrue(bySpend.size() >= 3, "the organisation has several spending teams: " + bySpend);
            String over = bySpend.get(0).getKey();
            String near = bySpend.get(1).getKey();
            Map<String, BigDecimal> budgets = new HashMap<>();
            for (int i = 0; i < bySpend.size(); i++) {
                String share = i == 0 ? "1.25" : i == 1 ? "0.85" : "0.25";
                budgets.put(bySpend.get(i).getKey(), bySpend.get(i).getValue().movePointLeft(2)
                        .divide(new BigDecimal(share), 6, RoundingMode.HALF_UP));
            }
            Exposition scrape;
            try (ExporterHarness exporter = ExporterHarness.start(ExporterHarness.config(sim, tmp.resolve("data"), 30,
                    UserLabelMode.EMAIL).toBuilder().budgets(new Budgets(Optional.empty(), budgets)).build(), CLOCK)) {
                scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(60));
            }
            assertEquals(budgets.size(), scrape.samples("cursor_team_budget_usd").size());

            Path rules = Files.copy(AlertRulesTest.ALERTS.resolve("cursor-alerts.yml"), tmp.resolve("cursor-alerts.yml"));
            Path test = Files.writeString(tmp.resolve("scraped.test.yml"), testFile(scrape, rules, over, near));
            RealTools.Result result = RealTools.run(tmp, 120, promtool.toString(), "test", "rules", test.toString());
            assertEquals(0, result.exitCode(), result.output());
        }
    }

    /** Every scraped sample held for 80 minutes; the budget alerts as they must be at 70 minutes. */
    private static String testFile(Exposition scrape, Path rules, String over, String near) {
        StringBuilder y = new StringBuilder();
        y.append("rule_files: [").append(quote(rules.getFileName().toString())).append("]\n");
        y.append("evaluation_interval: 1m\n");
        // Recording rules first, as in cursor-alerts.test.yml: promtool orders groups at random otherwise.
        y.append("group_eval_order: [cursor-exporter.recording, cursor-exporter.spend, cursor-exporter.health]\n");
        y.append("tests:\n  - interval: 1m\n    input_series:\n");
        for (Exposition.Sample s : scrape.all()) {
            Map<String, String> labels = new java.util.LinkedHashMap<>(s.labels());
            labels.put("job", "cursor-exporter");
            labels.put("instance", "exp:9464");
            String selector = s.name() + labels.entrySet().stream()
                    .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
            y.append("      - series: ").append(quote(selector)).append('\n');
            y.append("        values: '").append(BigDecimal.valueOf(s.value()).toPlainString()).append("x80'\n");
        }
        y.append("    promql_expr_test:\n");
        List<String[]> expected = new ArrayList<>();
        expected.add(new String[] {"ALERTS{alertstate=\"firing\",alertname=~\"CursorTeamBudget.*\"}",
                alert("CursorTeamBudget80Percent", "warning", near), alert("CursorTeamBudgetExceeded", "critical", over)});
        expected.add(new String[] {"ALERTS{alertstate=\"firing\",alertname=\"CursorTeamForecastOverBudget\",team="
                + "\"" + over + "\"}", alert("CursorTeamForecastOverBudget", "warning", over)});
        for (String[] e : expected) {
            y.append("      - expr: ").append(quote(e[0])).append("\n        eval_time: 70m\n        exp_samples:\n");
            for (int i = 1; i < e.length; i++) {
                y.append("          - labels: ").append(quote(e[i])).append("\n            value: 1\n");
            }
        }
        return y.toString();
    }

    private static String alert(String name, String severity, String team) {
        return "ALERTS{alertname=\"" + name + "\",alertstate=\"firing\",severity=\"" + severity + "\",team=\"" + team
                + "\"}";
    }

    /** A YAML single-quoted scalar. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
