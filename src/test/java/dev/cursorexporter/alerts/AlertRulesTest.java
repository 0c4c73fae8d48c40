package dev.cursorexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped rule file: promtool accepts it, its unit tests pass, and every alert is complete and tested both ways. */
class AlertRulesTest {
    static final Path ALERTS = Path.of("alerts");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void promtoolChecksTheRulesAndRunsTheirUnitTests() {
        Path promtool = RealTools.require("promtool");
        RealTools.Result check = RealTools.run(ALERTS, 60, promtool.toString(), "check", "rules", "cursor-alerts.yml");
        assertEquals(0, check.exitCode(), check.output());
        RealTools.Result test = RealTools.run(ALERTS, 120, promtool.toString(), "test", "rules",
                "cursor-alerts.test.yml");
        assertEquals(0, test.exitCode(), test.output());
        assertTrue(test.output().contains("SUCCESS"), test.output());
    }

    @Test
    void everyAlertHasSeverityAnnotationsAndAFiringAndANonFiringCase() throws IOException {
        JsonNode rules = YAML.readTree(ALERTS.resolve("cursor-alerts.yml").toFile());
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("record")) {
                    assertTrue(rule.get("record").asText().matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+"),
                            "recording rules are named level:metric:operations: " + rule.get("record"));
                    continue;
                }
                String name = rule.get("alert").asText();
                alerts.add(name);
                assertTrue(Set.of("warning", "critical").contains(rule.at("/labels/severity").asText()), name);
                for (String annotation : List.of("summary", "description", "runbook_url", "dashboard_url")) {
                    assertFalse(rule.at("/annotations/" + annotation).asText().isBlank(), name + " " + annotation);
                }
                assertTrue(rule.at("/annotations/description").asText().contains("$value")
                        || rule.at("/annotations/description").asText().contains("query"), name + " shows numbers");
                // absolute, from alerts/links.yml (AlertLinksTest checks the bases and the runbook sections)
                assertTrue(rule.at("/annotations/dashboard_url").asText().matches("https?://[^/]+(/.*)?/d/cursor-[a-z-]+"),
                        name);
            }
        }
        assertEquals(List.of("CursorTeamBudget80Percent", "CursorTeamBudgetExceeded", "CursorTeamForecastOverBudget",
                "CursorUserNearSpendLimit", "CursorUserSpendSpike", "CursorExporterDown", "CursorSourceStale",
                "CursorAuthFailing", "CursorExporterConfigReloadFailed", "CursorOtelTeamCostRateHigh", "CursorMcpAuthErrors",
                "CursorOtlpSilent"), alerts);

        JsonNode tests = YAML.readTree(ALERTS.resolve("cursor-alerts.test.yml").toFile());
        Set<String> firing = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (JsonNode group : tests.get("tests")) {
            for (JsonNode t : group.path("alert_rule_test")) {
                (t.path("exp_alerts").isEmpty() ? silent : firing).add(t.get("alertname").asText());
            }
        }
        assertEquals(Set.copyOf(alerts), firing, "every alert has a firing case");
        assertEquals(Set.copyOf(alerts), silent, "every alert has a non-firing case");
    }
}
