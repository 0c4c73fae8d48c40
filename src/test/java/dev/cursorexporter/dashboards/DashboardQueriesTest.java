package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.UserLabelMode;
import dev.cursorexporter.cursor.Source;
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
import java.util.Optional;
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
        Path prometheusBinary = Tools.require("prometheus", "prometheus");
        try (ExporterHarness exporter = ExporterHarness.start(demoConfig(dir.resolve("data")), Clock.systemUTC())) {
            exporter.awaitAllSourcesSince(0, Duration.ofSeconds(60));
            int port = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: cursor-exporter
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(exporter.url("").replace("http://", "")));
            Process prometheus = new ProcessBuilder(prometheusBinary.toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                Http.await(Duration.ofSeconds(20), "Prometheus ready", () -> Http.isUp(base + "/-/ready"));
                // rate() and increase() need two samples: wait for a few scrapes.
                Http.await(Duration.ofSeconds(20), "three scrapes", () -> {
                    JsonNode r = query(base, "count_over_time(cursor_exporter_build_info[1m])");
                    return r.size() == 1 && r.get(0).path("value").get(1).asDouble() >= 3;
                });
                List<String> failures = new ArrayList<>();
                int checked = 0;
                for (Dashboards.Board board : Dashboards.all()) {
                    for (String expr : board.expressions()) {
                        checked++;
                        JsonNode result = query(base, PromQl.substitute(expr, VARIABLES));
                        if (result.isEmpty()) {
                            failures.add(board + ": no data for " + expr);
                        }
                    }
                    for (String q : board.variableQueries()) {
                        checked++;
                        if (labelValues(base, PromQl.substitute(q, VARIABLES)).isEmpty()) {
                            failures.add(board + ": variable query returned nothing: " + q);
                        }
                    }
                }
                assertTrue(checked > 100, "checked " + checked);
                assertEquals(List.of(), failures);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** The demo exporter as {@code java -jar cursor-exporter.jar} starts it with no key. */
    private static ExporterConfig demoConfig(Path dataDir) {
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            intervals.put(s, Duration.ofHours(1));
        }
        return new ExporterConfig(0, dataDir, Optional.empty(), 30, 2, intervals, List.of(), true, Optional.empty(),
                UserLabelMode.EMAIL, Optional.empty(), Optional.empty());
    }

    /** An instant query; fails on any error status (which includes a PromQL parse error). */
    private static JsonNode query(String base, String promql) {
        JsonNode body = get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals("success", body.path("status").asText(), promql + ": " + body);
        return body.path("data").path("result");
    }

    /** What Grafana does for {@code label_values(selector, label)}. */
    private static List<String> labelValues(String base, String variableQuery) {
        Matcher m = LABEL_VALUES.matcher(variableQuery);
        assertTrue(m.matches(), "label_values(selector, label) form: " + variableQuery);
        JsonNode body = get(base + "/api/v1/label/" + m.group(2) + "/values?match[]="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8));
        assertEquals("success", body.path("status").asText(), variableQuery + ": " + body);
        List<String> out = new ArrayList<>();
        body.path("data").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode get(String url) {
        try {
            return JSON.readTree(Http.get(url).body());
        } catch (IOException e) {
            throw new AssertionError(url + ": " + e, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
