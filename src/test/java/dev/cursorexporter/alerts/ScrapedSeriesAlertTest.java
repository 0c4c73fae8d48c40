package dev.cursorexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cursorexporter.config.OtlpConfig;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.OtelPusher;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * Every metric the rules read, and every label their selectors match on, is in a real scrape of an exporter that
     * polls the simulator, has budgets and receives the simulator's OpenTelemetry Export (a busy week of a
     * 40-member team, so it has MCP auth errors): a renamed metric or label fails here, not in production. Only
     * {@code up} comes from Prometheus itself.
     */
    @Test
    void everySeriesTheRulesReadIsInARealScrape() throws IOException {
        Instant now = Instant.parse("2026-11-18T16:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        String token = "scraped_series_otlp_token";
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(40).days(10).seed(3).live(false)
                .rateLimits(false).clock(clock).build());
             ExporterHarness exporter = ExporterHarness.start(ExporterHarness.config(sim, tmp.resolve("data"), 9,
                     UserLabelMode.EMAIL).toBuilder().budgets(new Budgets(Optional.of(new BigDecimal("1000")),
                     Map.of())).otlp(new OtlpConfig(0, Optional.of(new Secret(token)), 4L << 20)).build(), clock)) {
            exporter.awaitAllSourcesSince(now.getEpochSecond(), Duration.ofSeconds(60));
            try (OtelPusher pusher = new OtelPusher(sim.otelExport(), URI.create("http://127.0.0.1:"
                    + exporter.otlpPort() + "/"), token, now::toEpochMilli, now.minus(Duration.ofDays(7))
                    .toEpochMilli())) {
                pusher.push();
                assertTrue(!pusher.accepted().mcpAuthErrors().isEmpty(), "the week has MCP auth errors");
            }
            Http.await(Duration.ofSeconds(30), "the OTel series in /metrics",
                    () -> !exporter.scrape().samples("cursor_otel_mcp_auth_errors_total").isEmpty());
            Exposition scrape = exporter.scrape();

            JsonNode rules = new YAMLMapper().readTree(AlertRulesTest.ALERTS.resolve("cursor-alerts.yml").toFile());
            List<String> missing = new ArrayList<>();
            int selectors = 0;
            for (JsonNode group : rules.get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                    // recording rules' names (level:metric:operations) are not scraped; drop them first
                    String expr = RECORDED.matcher(rule.get("expr").asText()).replaceAll(" ");
                    Matcher m = SELECTOR.matcher(expr);
                    while (m.find()) {
                        selectors++;
                        List<Exposition.Sample> samples = scrape.samples(m.group(1));
                        if (samples.isEmpty()) {
                            missing.add(m.group(1) + " (read by " + name(rule) + ")");
                            continue;
                        }
                        Matcher label = LABEL_MATCHER.matcher(m.group(2) == null ? "" : m.group(2));
                        while (label.find()) {
                            String l = label.group(1);
                            if (samples.stream().noneMatch(x -> x.labels().containsKey(l))) {
                                missing.add(m.group(1) + " has no label " + l + " (read by " + name(rule) + ")");
                            }
                        }
                    }
                }
            }
            assertTrue(selectors > 20, "selectors read: " + selectors);
            assertEquals(List.of(), missing);
        }
    }

    /** A recording rule's name: {@code level:metric:operations}. */
    private static final Pattern RECORDED = Pattern.compile("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+");
    /** A selector of one of the exporter's metrics, with its matchers. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(cursor_[a-z0-9_]+)\\s*(\\{[^}]*})?");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

    private static String name(JsonNode rule) {
        return rule.has("alert") ? rule.get("alert").asText() : rule.get("record").asText();
    }

    /** Every scraped sample held for 80 minutes; the budget alerts as they must be at 70 minutes. */
    private static String testFile(Exposition scrape, Path rules, String over, String near) {
        StringBuilder y = new StringBuilder();
        y.append("rule_files: [").append(quote(rules.getFileName().toString())).append("]\n");
        y.append("evaluation_interval: 1m\n");
        // Recording rules first, as in cursor-alerts.test.yml: promtool orders groups at random otherwise.
        y.append("group_eval_order: [cursor-exporter.recording, cursor-exporter.spend, cursor-exporter.health, "
                + "cursor-exporter.otel]\n");
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
