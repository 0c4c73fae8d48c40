package dev.cursorexporter.e2e;

import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JarProcess;
import dev.cursorexporter.testing.OtlpRequests;
import dev.cursorexporter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The secret-grep test: the built jar, run as a user runs it, against the simulator with a distinctive API key, a
 * wrong key on a second account, a bearer token and a basic-auth password (one rotated mid-run). Every line the
 * process writes (check-config, start, syncs, the refused key, shutdown) and every response status, header and
 * body of a demo-like session is searched for each secret, its Base64 forms and its distinctive core.
 */
class SecretLeakIT {
    private static final String KEY = "crsr_LeakCheck_a81f29c4d7e3b6";
    private static final String WRONG_KEY = "crsr_LeakCheck_WRONG_5e0b7c2d91";
    private static final String TOKEN = "tok_LeakCheck_3c9d0e6f7a12";
    private static final String USER = "prometheus";
    private static final String PASSWORD = "pw_LeakCheck_e4b8a2f1c0d9";
    private static final String ROTATED_PASSWORD = "pw_LeakCheck_rotated_77ab19f3e2";
    private static final String OTLP_TOKEN = "otlp_LeakCheck_b3d95e0a61c7";

    @TempDir
    Path dir;

    @Test
    void noSecretInAnyLogLineMetricOrResponse() throws Exception {
        Instant start = Instant.now();
        List<String> seen = new ArrayList<>();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(10).days(20).seed(17).live(false)
                .clock(Clock.systemUTC()).rateLimits(false).apiKey(KEY).build())) {
            Path keyFile = Files.writeString(dir.resolve("cursor_api_key"), KEY + "\n");
            Path passwordFile = Files.writeString(dir.resolve("basic_password"), PASSWORD + "\n");
            Path config = Files.writeString(dir.resolve("config.yaml"), """
                    accounts:
                      - name: good
                        api_key_file: %s
                        base_url: %s
                      - name: wrong
                        api_key: %s
                        base_url: %s
                    server:
                      basic_auth:
                        user: %s
                        password_file: %s
                    """.formatted(keyFile, sim.baseUrl(), WRONG_KEY, sim.baseUrl(), USER, passwordFile));
            int port = JarProcess.freePort();
            int otlpPort = JarProcess.freePort();
            Path otlpTokenFile = Files.writeString(dir.resolve("otlp_token"), OTLP_TOKEN + "\n");
            Map<String, String> env = Map.of("CURSOR_EXPORTER_CONFIG", config.toString(),
                    "CURSOR_EXPORTER_AUTH_TOKEN", TOKEN,
                    "CURSOR_EXPORTER_OTLP_TOKEN_FILE", otlpTokenFile.toString(),
                    "CURSOR_EXPORTER_OTLP_PORT", Integer.toString(otlpPort),
                    "CURSOR_EXPORTER_PORT", Integer.toString(port),
                    "CURSOR_EXPORTER_DATA_DIR", dir.resolve("data").toString(),
                    "CURSOR_EXPORTER_BACKFILL_DAYS", "20");
            Path log = dir.resolve("exporter.log");
            assertEquals(0, JarProcess.run(env, log, Duration.ofSeconds(60), "check-config"));

            try (JarProcess exporter = JarProcess.start(env, log)) {
                String bearer = "Bearer " + TOKEN;
                Http.await(Duration.ofSeconds(30), "exporter up", () -> Http.isUp("http://127.0.0.1:" + port + "/healthz"));
                Http.await(Duration.ofSeconds(90), "good account synced, wrong key refused", () -> {
                    RawHttp.Response r = RawHttp.get(port, "/metrics", "Authorization", bearer);
                    Exposition scrape = Exposition.parse(r.body());
                    long synced = scrape.samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                            .filter(s -> s.labels().get("account").equals("good"))
                            .filter(s -> s.value() >= start.toEpochMilli() / 1000.0).count();
                    return synced >= 4 && scrape.sum("cursor_exporter_auth_failing",
                            l -> l.get("account").equals("wrong")) == 1;
                });

                for (String auth : List.of(bearer, basic(USER, PASSWORD))) {
                    session(port, auth, seen);
                }
                otlpSession(otlpPort, seen);
                long before = sim.requestCount("/teams/members");
                RawHttp.Response sync = RawHttp.post(port, "/admin/sync", "", "Authorization", bearer);
                assertEquals(202, sync.status(), sync.body());
                seen.add(sync.whole());
                Http.await(Duration.ofSeconds(30), "forced sync polled", () -> sim.requestCount("/teams/members") > before);

                // rotate the password file: the old password stops working, the new one works, nothing shows it
                Files.writeString(passwordFile, ROTATED_PASSWORD + "\n");
                Files.setLastModifiedTime(passwordFile, FileTime.from(Instant.now().plusSeconds(5)));
                RawHttp.Response old = RawHttp.get(port, "/api/v1/status", "Authorization", basic(USER, PASSWORD));
                assertEquals(401, old.status());
                seen.add(old.whole());
                session(port, basic(USER, ROTATED_PASSWORD), seen);

                int exit = exporter.terminate(Duration.ofSeconds(30));
                assertTrue(exit == 0 || exit == 143, "exit " + exit);
            }
            String output = Files.readString(log);
            assertTrue(output.contains("secret file") && output.contains("changed"), "the rotation was noticed");
            assertTrue(output.lines().count() > 20, "the log has content to search");
            seen.add(output);
        }
        assertTrue(seen.stream().anyMatch(s -> s.contains("cursor_cost_usd") || s.contains("cursor_")),
                "the session produced metrics");
        Set<String> forbidden = forbidden();
        for (String text : seen) {
            for (String secret : forbidden) {
                int at = text.indexOf(secret);
                assertTrue(at < 0, () -> "found a secret form '" + secret.substring(0, 6) + "…' in: "
                        + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 100)));
            }
        }
    }

    /** Every endpoint a dashboard, Prometheus or an operator uses, plus a refused, a bad and an unknown request. */
    private static void session(int port, String auth, List<String> seen) {
        Map<String, RawHttp.Response> answers = new LinkedHashMap<>();
        for (String path : List.of("/", "/metrics", "/healthz", "/readyz", "/api/v1/status",
                "/api/v1/daily?by=model", "/api/v1/daily?by=user&by=team", "/api/v1/members",
                "/api/v1/reconciliation", "/grafana")) {
            answers.put(path, RawHttp.get(port, path, "Authorization", auth));
        }
        answers.put("openmetrics", RawHttp.get(port, "/metrics", "Authorization", auth,
                "Accept", "application/openmetrics-text; version=1.0.0"));
        String range = "\"range\":{\"from\":\"" + Instant.now().minus(Duration.ofDays(30)) + "\",\"to\":\""
                + Instant.now() + "\"}";
        Map<String, String> posts = Map.of(
                "/grafana/metrics", "{}",
                "/grafana/metric-payload-options", "{\"metric\":\"cost\",\"payload\":{\"by\":[\"team\"]},\"name\":\"team\"}",
                "/grafana/query", "{" + range + ",\"maxDataPoints\":100,\"targets\":[{\"refId\":\"A\",\"target\":\"cost\","
                        + "\"payload\":{\"by\":[\"user\"]}}],\"filters\":[]}",
                "/grafana/variable", "{\"payload\":{\"target\":\"user\"}," + range + "}",
                "/grafana/tag-keys", "{}",
                "/grafana/tag-values", "{\"key\":\"user\"}");
        posts.forEach((path, body) -> answers.put(path, RawHttp.post(port, path, body, "Authorization", auth,
                "Content-Type", "application/json")));
        answers.put("401", RawHttp.get(port, "/api/v1/status", "Authorization", "Bearer " + TOKEN + "0"));
        answers.put("400", RawHttp.get(port, "/api/v1/daily?from=garbage", "Authorization", auth));
        answers.put("400 json", RawHttp.post(port, "/grafana/query", "{\"range\":", "Authorization", auth));
        answers.put("404", RawHttp.get(port, "/nope", "Authorization", auth));
        answers.forEach((what, r) -> {
            int expected = switch (what) {
                case "401" -> 401;
                case "400", "400 json" -> 400;
                case "404" -> 404;
                default -> 200;
            };
            assertEquals(expected, r.status(), what + ": " + r.body());
            seen.add(what + " " + r.whole());
        });
    }

    /** The OTLP receiver with its token, a wrong one, the main port's, and a bad body. */
    private static void otlpSession(int port, List<String> seen) {
        byte[] empty = new byte[0];
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, java.net.http.HttpResponse<byte[]>> answers = new LinkedHashMap<>();
        answers.put("otlp ok", OtlpRequests.post(port, "/v1/logs", empty, "Content-Type", "application/x-protobuf",
                "Authorization", "Bearer " + OTLP_TOKEN));
        expected.put("otlp ok", 200);
        answers.put("otlp wrong", OtlpRequests.post(port, "/v1/logs", empty, "Content-Type",
                "application/x-protobuf", "Authorization", "Bearer " + OTLP_TOKEN + "0"));
        expected.put("otlp wrong", 401);
        answers.put("otlp main token", OtlpRequests.post(port, "/v1/metrics", empty, "Content-Type",
                "application/x-protobuf", "Authorization", "Bearer " + TOKEN));
        expected.put("otlp main token", 401);
        answers.put("otlp bad body", OtlpRequests.post(port, "/v1/metrics", new byte[] {(byte) 0xff, 1},
                "Content-Type", "application/x-protobuf", "Authorization", "Bearer " + OTLP_TOKEN));
        expected.put("otlp bad body", 400);
        answers.forEach((what, r) -> {
            assertEquals(expected.get(what), r.statusCode(), what);
            seen.add(what + " " + r.headers().map() + " " + new String(r.body(), StandardCharsets.ISO_8859_1));
        });
    }

    private static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Each secret, URL-encoded, in Base64 alone and as sent (key as basic user, user:password), and its core. */
    private static Set<String> forbidden() {
        Set<String> out = new LinkedHashSet<>();
        for (String secret : List.of(KEY, WRONG_KEY, TOKEN, PASSWORD, ROTATED_PASSWORD, OTLP_TOKEN)) {
            out.add(secret);
            out.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            out.add(b64(secret));
            out.add(b64(secret + ":"));
            out.add(b64(USER + ":" + secret));
            // the random tail alone: a clipped or partly masked secret still leaks it
            out.add(secret.substring(secret.lastIndexOf('_') + 1));
        }
        return out;
    }
}
