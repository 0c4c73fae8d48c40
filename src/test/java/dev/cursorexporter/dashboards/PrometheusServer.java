package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.testing.Http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real Prometheus (Debian's package) scraping one target every second, for the dashboard tests. */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String base;

    private PrometheusServer(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    /** Starts Prometheus scraping {@code target} (host:port) as job {@code cursor-exporter}; waits for 3 scrapes. */
    static PrometheusServer scraping(String target, Path dir) throws IOException {
        Path binary = Tools.require("prometheus", "prometheus");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: cursor-exporter
                    static_configs:
                      - targets: ["%s"]
                """.formatted(target));
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(p, "http://127.0.0.1:" + port);
        Http.await(Duration.ofSeconds(20), "Prometheus ready", () -> Http.isUp(server.base + "/-/ready"));
        // rate() and increase() need two samples: wait for a few scrapes.
        Http.await(Duration.ofSeconds(20), "three scrapes", () -> {
            JsonNode r = server.query("count_over_time(cursor_exporter_build_info[1m])");
            return r.size() == 1 && r.get(0).path("value").get(1).asDouble() >= 3;
        });
        return server;
    }

    String base() {
        return base;
    }

    /** An instant query's result; fails on any error status (which includes a PromQL parse error). */
    JsonNode query(String promql) {
        JsonNode body = get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals("success", body.path("status").asText(), promql + ": " + body);
        return body.path("data").path("result");
    }

    /** A range query as Grafana sends it: start and end aligned to the step. */
    JsonNode queryRange(String promql, long startS, long endS, long stepS) {
        long start = startS - Math.floorMod(startS, stepS);
        long end = endS - Math.floorMod(endS, stepS);
        JsonNode body = get(base + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=" + stepS);
        assertEquals("success", body.path("status").asText(), promql + ": " + body);
        return body.path("data").path("result");
    }

    JsonNode get(String url) {
        try {
            return JSON.readTree(Http.get(url).body());
        } catch (IOException e) {
            throw new AssertionError(url + ": " + e, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
