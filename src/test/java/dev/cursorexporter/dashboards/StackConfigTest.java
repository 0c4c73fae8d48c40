package dev.cursorexporter.dashboards;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped prometheus.yml and docker-compose.yml pass their own tools' checks. */
class StackConfigTest {

    @Test
    void prometheusConfigPassesPromtool() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        Result r = run(promtool.toString(), "check", "config", "prometheus.yml");
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

    private record Result(int code, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        return new Result(p.exitValue(), out);
    }
}
