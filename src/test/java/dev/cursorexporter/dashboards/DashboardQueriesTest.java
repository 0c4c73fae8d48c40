package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus (Debian's {@code prometheus} package) scrapes the in-process demo exporter every second, and
 * every PromQL expression and variable query of every dashboard, Grafana variables substituted, must return data.
 */
class DashboardQueriesTest {
    /** Grafana's variables, as a test Prometheus with a few seconds of 1 s scrapes can answer them. */
    private static final Map<String, String> VARIABLES = variables();
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+), ([a-z_]+)\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Map<String, String> variables() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("__rate_interval", "1m");
        v.put("__range", "5m");
        v.put("job", ".+");
        v.put("instance", ".+");
        for (String name : List.of("team", "location", "model", "user")) {
            v.put(name, ".*");
        }
        return v;
    }

    @Test
    void everyDashboardQueryReturnsData() throws Exception {
        try (ExporterHarness exporter = ExporterHarness.start(demoConfig(dir.resolve("data")), Clock.systemUTC())) {
            exporter.awaitAllSourcesSince(0, Duration.ofSeconds(60));
            try (PrometheusServer prometheus = PrometheusServer.scraping(exporter.url("").replace("http://", ""),
                    dir)) {
                List<String> failures = new ArrayList<>();
                int checked = 0;
                for (Dashboards.Board board : Dashboards.all()) {
                    for (String expr : board.expressions()) {
                        checked++;
                        JsonNode result = prometheus.query(PromQl.substitute(expr, VARIABLES));
                        if (result.isEmpty()) {
                            failures.add(board + ": no data for " + expr);
                        }
                    }
                    for (String q : board.variableQueries()) {
                        checked++;
                        if (labelValues(prometheus, PromQl.substitute(q, VARIABLES)).isEmpty()) {
                            failures.add(board + ": variable query returned nothing: " + q);
                        }
                    }
                }
                assertTrue(checked > 70, "checked " + checked);
                assertEquals(List.of(), failures);
            }
        }
    }

    /** The demo exporter as {@code java -jar cursor-exporter.jar} starts it with no key. */
    private static ExporterConfig demoConfig(Path dataDir) {
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            intervals.put(s, Duration.ofHours(1));
        }
        return ExporterConfig.builder().port(0).dataDir(dataDir).backfillDays(30).lookbackDays(2)
                .pollIntervals(intervals).demo(true).userLabel(UserLabelMode.EMAIL).build();
    }

    /** What Grafana does for {@code label_values(selector, label)}. */
    private static List<String> labelValues(PrometheusServer prometheus, String variableQuery) {
        Matcher m = LABEL_VALUES.matcher(variableQuery);
        assertTrue(m.matches(), "label_values(selector, label) form: " + variableQuery);
        JsonNode body = prometheus.get(prometheus.base() + "/api/v1/label/" + m.group(2) + "/values?match[]="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8));
        assertEquals("success", body.path("status").asText(), variableQuery + ": " + body);
        List<String> out = new ArrayList<>();
        body.path("data").forEach(n -> out.add(n.asText()));
        return out;
    }
}
