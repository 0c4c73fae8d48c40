package dev.cursorexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.App;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's demo walkthrough: the demo organisation's budget makes a budget alert go off in a real Prometheus
 * started on the shipped prometheus-local.yml, scraping the in-process demo exporter.
 */
class DemoBudgetAlertPrometheusIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void aDemoTeamBudgetAlertIsPendingOrFiring() throws Exception {
        Path prometheus = RealTools.require("prometheus");
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            intervals.put(s, Duration.ofMinutes(1));
        }
        ExporterConfig demo = ExporterConfig.builder().port(0).dataDir(tmp.resolve("data")).backfillDays(30)
                .lookbackDays(2).pollIntervals(intervals).demo(true).userLabel(UserLabelMode.EMAIL).build();
        try (App app = App.start(demo, Clock.systemUTC())) {
            int port = freePort();
            Path config = Files.writeString(tmp.resolve("prometheus.yml"), localConfig(app.port()));
            Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
            try {
                String alerts = "http://127.0.0.1:" + port + "/api/v1/alerts";
                List<String> seen = new ArrayList<>();
                Http.await(LIMIT, "a budget alert in Prometheus", () -> {
                    if (!server.isAlive()) {
                        throw new AssertionError("prometheus exited: " + log());
                    }
                    if (!Http.isUp("http://127.0.0.1:" + port + "/-/ready")) {
                        return false;
                    }
                    seen.clear();
                    for (JsonNode a : read(Http.get(alerts).body()).at("/data/alerts")) {
                        seen.add(a.at("/labels/alertname").asText() + "{team=" + a.at("/labels/team").asText() + "} "
                                + a.get("state").asText());
                    }
                    return seen.stream().anyMatch(s -> s.startsWith("CursorTeamBudget"));
                });
                assertTrue(seen.stream().anyMatch(s -> s.matches("CursorTeamBudget\\w+\\{team=\\w.*} (pending|firing)")),
                        seen.toString());
            } finally {
                server.destroy();
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    /**
     * The README's walkthrough file, prometheus-local.yml, with only what a test must change: the exporter's port
     * (the demo listens on 9464), 1-second intervals (and timeout) instead of 15 (10), and the rule glob made absolute because the
     * copy lives outside the repository.
     */
    private static String localConfig(int port) throws IOException {
        String local = Files.readString(Path.of("prometheus-local.yml"));
        String changed = local.replace("127.0.0.1:9464", "127.0.0.1:" + port)
                .replace("scrape_interval: 15s", "scrape_interval: 1s")
                .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
                .replace("scrape_timeout: 10s", "scrape_timeout: 1s")
                .replace("\"alerts/*-alerts.yml\"", "\"" + Path.of("alerts").toAbsolutePath() + "/*-alerts.yml\"");
        assertTrue(!changed.contains("9464") && changed.contains("interval: 1s") && changed.contains(
                Path.of("alerts").toAbsolutePath().toString()), "prometheus-local.yml changed shape:\n" + local);
        return changed;
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("prometheus.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
