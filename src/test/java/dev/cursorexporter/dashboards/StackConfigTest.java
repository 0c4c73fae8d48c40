package dev.cursorexporter.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Prometheus configurations (compose and local) and docker-compose.yml pass their own tools' checks,
 * and every place that names the scrape job (both configurations, the alert rules, the README) names the same one.
 */
class StackConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern JOB_LABEL = Pattern.compile("job=~?\\\\?\"([^\"\\\\]+)");

    @ParameterizedTest
    @ValueSource(strings = {"prometheus.yml", "prometheus-local.yml"})
    void prometheusConfigPassesPromtool(String file) throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        Result r = run(promtool.toString(), "check", "config", file);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void composeFileIsValid() throws Exception {
        Path compose = Tools.require("docker-compose", "docker-compose");
        Result r = run(compose.toString(), "-f", "docker-compose.yml", "config", "--services");
        assertEquals(0, r.code(), r.output());
        for (String service : new String[] {"cursor-exporter", "prometheus", "grafana"}) {
            assertTrue(r.output().lines().anyMatch(service::equals), service + " in " + r.output());
        }
    }

    @Test
    void everyPlaceNamesTheSameScrapeJob() throws IOException {
        Set<String> jobs = new TreeSet<>();
        for (String file : List.of("prometheus.yml", "prometheus-local.yml")) {
            for (JsonNode scrape : YAML.readTree(Path.of(file).toFile()).path("scrape_configs")) {
                jobs.add(scrape.path("job_name").asText());
            }
        }
        for (String file : List.of("alerts/cursor-alerts.yml", "README.md")) {
            Matcher m = JOB_LABEL.matcher(Files.readString(Path.of(file)));
            while (m.find()) {
                jobs.add(m.group(1));
            }
        }
        assertEquals(Set.of("cursor-exporter"), jobs);
    }

    /** The README's "seeing it in the demo" steps start Prometheus with the local file, which scrapes 9464. */
    @Test
    void theDemoWalkthroughUsesTheLocalConfiguration() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("prometheus --config.file=prometheus-local.yml"), "README walkthrough");
        JsonNode local = YAML.readTree(Path.of("prometheus-local.yml").toFile());
        assertEquals("127.0.0.1:9464", local.at("/scrape_configs/0/static_configs/0/targets/0").asText());
        assertEquals(YAML.readTree(Path.of("prometheus.yml").toFile()).path("rule_files"), local.path("rule_files"));
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        return new Result(p.exitValue(), out);
    }
}
