package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar reloads its configuration on SIGHUP and {@code POST /-/reload} without stopping: a new budget shows
 * in {@code /metrics}; an invalid file is refused with the key in the log, the old budget kept and
 * {@code cursor_exporter_config_last_reload_successful} 0; a port change is reported as needing a restart; a new
 * auth token file applies at once. Also the standard metrics of a real scrape: {@code process_*}, {@code jvm_*},
 * the HTTP request metrics by route template, the build revision, and promtool's verdict.
 */
class ReloadJarIT {
    private static final String TOKEN = "reload-token-1";
    private static final String NEW_TOKEN = "reload-token-2";
    private static final String BUDGET = "cursor_team_budget_usd";
    private static final String RELOAD_OK = "cursor_exporter_config_last_reload_successful";
    private static final String RELOAD_AT = "cursor_exporter_config_last_reload_success_timestamp_seconds";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sighupAndPostReloadApplyAGoodConfigurationAndRefuseABadOneWhileTheProcessRuns() throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(10).seed(16).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).build())) {
            Map<String, String> env = JarProcess.simulatorEnv(sim, dir, 5);
            Path yaml = Path.of(env.get("CURSOR_EXPORTER_CONFIG"));
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, TOKEN + "\n");
            String port = env.get("CURSOR_EXPORTER_PORT");
            String url = "http://127.0.0.1:" + port;
            writeConfig(yaml, "budgets:\n  teams: {Platform: 500}\nserver:\n  auth_token_file: " + tokenFile + "\n");
            Path log = dir.resolve("exporter.log");
            try (JarProcess jar = JarProcess.start(env, log)) {
                Http.await(Duration.ofSeconds(60), "exporter up", () -> Http.isUp(url + "/healthz"));
                awaitBudget(url, TOKEN, 500);

                // the standard metrics, and a scrape promtool accepts
                Http.get(url + "/api/v1/status", bearer(TOKEN));
                Http.get(url + "/no/such/path-" + System.nanoTime(), bearer(TOKEN));
                Http.get(url + "/metrics");
                // a request is counted just after its answer went out: wait until the last of them is
                String[] scraped = new String[1];
                Http.await(Duration.ofSeconds(10), "the requests counted", () -> {
                    scraped[0] = Http.get(url + "/metrics", bearer(TOKEN)).body();
                    return Exposition.parse(scraped[0]).sum("cursor_exporter_http_requests_total",
                            l -> "/metrics".equals(l.get("route")) && "401".equals(l.get("code"))) >= 1;
                });
                String text = scraped[0];
                Exposition m = Exposition.parse(text);
                for (String name : List.of("process_cpu_seconds_total", "process_resident_memory_bytes",
                        "process_open_fds", "process_start_time_seconds", "jvm_threads_current")) {
                    assertEquals(1, m.samples(name).size(), name + " in\n" + text);
                }
                assertTrue(m.samples("process_resident_memory_bytes").get(0).value() > 10 << 20, "RSS in bytes");
                assertTrue(m.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area"))) > 0, "heap used");
                String revision = m.samples("cursor_exporter_build_info").get(0).labels().get("revision");
                assertTrue(revision != null && (revision.matches("[0-9a-f]{40}") || revision.equals("unknown")),
                        "revision: " + revision);
                assertTrue(m.sum("cursor_exporter_http_requests_total", l -> "/api/v1/status".equals(l.get("route"))
                        && "GET".equals(l.get("method")) && "200".equals(l.get("code"))) >= 1, text);
                assertEquals(1, m.sum("cursor_exporter_http_requests_total",
                        l -> "unmatched".equals(l.get("route")) && "404".equals(l.get("code"))), "the 404");
                assertTrue(m.sum("cursor_exporter_http_requests_total", l -> "/metrics".equals(l.get("route"))
                        && "401".equals(l.get("code"))) >= 1, "a refused scrape counts under its route");
                assertFalse(text.contains("/no/such"), "never a raw path as a label value");
                assertTrue(m.sum("cursor_exporter_http_request_duration_seconds_count",
                        l -> "/api/v1/status".equals(l.get("route"))) >= 1, "timed");
                assertEquals(1.0, value(m, RELOAD_OK), "a successful start counts as a successful load");
                ExporterJarIT.promtoolCheckMetrics(text);

                // SIGHUP with a good file: the new budget, the process alive
                writeConfig(yaml, "budgets:\n  teams: {Platform: 750}\nserver:\n  auth_token_file: " + tokenFile
                        + "\n");
                hangUp(jar);
                awaitBudget(url, TOKEN, 750);
                assertTrue(jar.isAlive(), "SIGHUP does not stop the exporter");
                assertTrue(jar.output().contains("configuration reloaded (SIGHUP): changed [budgets]"), jar.output());

                // SIGHUP with a bad file: refused, logged with the key, the old budget kept, the metric 0
                writeConfig(yaml, "budgets:\n  default: lots\n  teams: {Platform: 750}\nserver:\n"
                        + "  auth_token_file: " + tokenFile + "\n");
                String problem = "budgets.default: must be a number of USD (0 or more), got 'lots'";
                hangUp(jar);
                Http.await(Duration.ofSeconds(30), "the refusal logged",
                        () -> jar.output().contains("configuration reload refused: " + problem));
                assertTrue(jar.isAlive());
                Exposition refused = scrape(url, TOKEN);
                assertEquals(0.0, value(refused, RELOAD_OK));
                assertEquals(750.0, platformBudget(refused), "the running budget is kept");
                double lastGood = value(refused, RELOAD_AT);

                // POST /-/reload: behind the token, the same refusal as JSON
                assertEquals(401, Http.post(url + "/-/reload").statusCode());
                HttpResponse<String> bad = Http.post(url + "/-/reload", bearer(TOKEN));
                assertEquals(400, bad.statusCode(), bad.body());
                JsonNode badJson = JSON.readTree(bad.body());
                assertEquals("refused", badJson.get("status").asText());
                assertEquals(problem, badJson.get("problems").get(0).asText(), bad.body());

                // the look-back needs a restart: reported, the old one kept; the budget applies; a new token file too
                // (a YAML port would not do: CURSOR_EXPORTER_PORT overrides it, so it is no change)
                Path newTokenFile = dir.resolve("token-2");
                Files.writeString(newTokenFile, NEW_TOKEN);
                int otherPort = JarProcess.freePort();
                writeConfig(yaml, "budgets:\n  teams: {Platform: 900}\nserver:\n  port: " + otherPort
                        + "\n  auth_token_file: " + newTokenFile + "\n", "  lookback_days: 3\n");
                HttpResponse<String> good = Http.post(url + "/-/reload", bearer(TOKEN));
                assertEquals(200, good.statusCode(), good.body());
                JsonNode goodJson = JSON.readTree(good.body());
                assertEquals("applied", goodJson.get("status").asText());
                assertEquals("[\"sync.lookback_days\"]", goodJson.get("needsRestart").toString());
                assertEquals("[\"budgets\",\"server.auth_token\"]", goodJson.get("changed").toString());
                assertTrue(jar.output().contains("configuration reload: sync.lookback_days: changed from 2 to 3; "
                        + "needs a restart, the running value is kept until then"), jar.output());
                assertFalse(jar.output().contains("server.port"), "the environment's port wins over the YAML's");
                assertEquals(401, Http.get(url + "/metrics", bearer(TOKEN)).statusCode(), "the old token is gone");
                Exposition after = scrape(url, NEW_TOKEN);
                assertEquals(900.0, platformBudget(after));
                assertEquals(1.0, value(after, RELOAD_OK));
                assertTrue(value(after, RELOAD_AT) > lastGood, "the success time moves");
                assertFalse(jar.output().contains(TOKEN) || jar.output().contains(NEW_TOKEN), "no token in the log");
                assertEquals(143, jar.terminate(Duration.ofSeconds(20)), jar.output());
            }
        }
    }

    private static void writeConfig(Path yaml, String extra) throws IOException {
        writeConfig(yaml, extra, "");
    }

    /** Written to a new file and moved over the old, as an editor or a ConfigMap update does. */
    private static void writeConfig(Path yaml, String extra, String syncLines) throws IOException {
        Path next = yaml.resolveSibling(yaml.getFileName() + ".next");
        Files.writeString(next, "sync:\n  rate_limits:\n    admin: 1000\n    usage_events: 1000\n"
                + "    analytics_team: 1000\n    ai_code: 1000\n" + syncLines + extra);
        Files.move(next, yaml, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void hangUp(JarProcess jar) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(jar.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -HUP");
    }

    private static String[] bearer(String token) {
        return new String[]{"Authorization", "Bearer " + token};
    }

    private static Exposition scrape(String url, String token) {
        HttpResponse<String> r = Http.get(url + "/metrics", bearer(token));
        assertEquals(200, r.statusCode(), r.body());
        return Exposition.parse(r.body());
    }

    private static void awaitBudget(String url, String token, double usd) {
        Http.await(Duration.ofSeconds(90), "Platform's budget " + usd, () -> {
            HttpResponse<String> r = Http.get(url + "/metrics", bearer(token));
            return r.statusCode() == 200 && platformBudget(Exposition.parse(r.body())) == usd;
        });
    }

    private static double platformBudget(Exposition m) {
        return m.sum(BUDGET, l -> "Platform".equals(l.get("team")));
    }

    private static double value(Exposition m, String name) {
        List<Exposition.Sample> samples = m.samples(name);
        assertEquals(1, samples.size(), name);
        return samples.get(0).value();
    }
}
