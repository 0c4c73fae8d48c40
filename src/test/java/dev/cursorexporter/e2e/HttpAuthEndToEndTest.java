package dev.cursorexporter.e2e;

import dev.cursorexporter.model.BasicAuthConfig;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.SecretFile;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.RawHttp;
import dev.cursorexporter.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint with no, wrong and right credentials, bearer and basic, against real exporters over real HTTP.
 * One exporter accepts both schemes (token and password in files, to show rotation), one only a token, one only
 * basic auth.
 */
class HttpAuthEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final String TOKEN = "tok_AuthTest_7f3a";
    private static final String USER = "prometheus";
    private static final String PASSWORD = "pw_AuthTest_91c2";
    private static final String QUERY = """
            {"range":{"from":"2026-11-10T00:00:00.000Z","to":"2026-11-20T15:30:00.000Z"},
             "maxDataPoints":100,"targets":[],"filters":[]}""";

    /** An endpoint and the request that succeeds on it with the right credentials. */
    record Endpoint(String method, String path, String body, int okStatus) {
        RawHttp.Response call(int port, String... headers) {
            return method.equals("GET") ? RawHttp.get(port, path, headers)
                    : RawHttp.post(port, path, body, withJson(headers));
        }

        private static String[] withJson(String... headers) {
            List<String> out = new ArrayList<>(List.of(headers));
            out.addAll(List.of("Content-Type", "application/json"));
            return out.toArray(String[]::new);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> PROTECTED = List.of(
            new Endpoint("GET", "/", null, 200),
            new Endpoint("GET", "/metrics", null, 200),
            new Endpoint("GET", "/api/v1/daily?from=2026-11-10&to=2026-11-20&by=model", null, 200),
            new Endpoint("GET", "/api/v1/members", null, 200),
            new Endpoint("GET", "/api/v1/reconciliation?from=2026-11-10&to=2026-11-20&team=Platform", null, 200),
            new Endpoint("GET", "/api/v1/status", null, 200),
            new Endpoint("POST", "/admin/sync?source=members", "", 202),
            new Endpoint("GET", "/grafana", null, 200),
            new Endpoint("POST", "/grafana/metrics", "{}", 200),
            new Endpoint("POST", "/grafana/search", "{}", 200),
            new Endpoint("POST", "/grafana/metric-payload-options",
                    "{\"metric\":\"cost\",\"payload\":{\"by\":[\"team\"]},\"name\":\"team\"}", 200),
            new Endpoint("POST", "/grafana/query", QUERY, 200),
            new Endpoint("POST", "/grafana/variable", "{\"payload\":{\"target\":\"model\"},"
                    + "\"range\":{\"from\":\"2026-11-10T00:00:00.000Z\",\"to\":\"2026-11-20T00:00:00.000Z\"}}", 200),
            new Endpoint("POST", "/grafana/tag-keys", "{}", 200),
            new Endpoint("POST", "/grafana/tag-values", "{\"key\":\"user\"}", 200),
            new Endpoint("GET", "/no/such/endpoint", null, 404));

    static final Endpoint HEALTHZ = new Endpoint("GET", "/healthz", null, 200);
    /** Kubernetes' readiness probe sends no credentials (deploy/kubernetes). */
    static final Endpoint READYZ = new Endpoint("GET", "/readyz", null, 200);

    private static Simulator sim;
    private static ExporterHarness both;
    private static ExporterHarness bearerOnly;
    private static ExporterHarness basicOnly;
    private static Path tokenFile;
    private static Path passwordFile;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        sim = Simulator.start(SimulatorOptions.builder().users(4).days(12).seed(3).live(false)
                .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC)).rateLimits(false).build());
        tokenFile = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD + "\n");
        Optional<Secret> token = Optional.of(SecretFile.reloading(tokenFile, TOKEN));
        Optional<BasicAuthConfig> basic = Optional.of(new BasicAuthConfig(USER, SecretFile.reloading(passwordFile, PASSWORD)));
        both = start(tmp.resolve("both"), token, basic);
        bearerOnly = start(tmp.resolve("bearer"), Optional.of(new Secret(TOKEN)), Optional.empty());
        basicOnly = start(tmp.resolve("basic"), Optional.empty(),
                Optional.of(new BasicAuthConfig(USER, new Secret(PASSWORD))));
        for (ExporterHarness exporter : List.of(both, bearerOnly, basicOnly)) {
            awaitReady(exporter);
        }
    }

    private static ExporterHarness start(Path dataDir, Optional<Secret> token, Optional<BasicAuthConfig> basic) {
        ExporterConfig config = ExporterHarness.config(sim, dataDir, 12, UserLabelMode.EMAIL).toBuilder()
                .authToken(token).basicAuth(basic).build();
        return ExporterHarness.start(config, new TestClock(NOW));
    }

    private static void awaitReady(ExporterHarness exporter) {
        dev.cursorexporter.testing.Http.await(java.time.Duration.ofSeconds(60), "ready", () ->
                RawHttp.get(port(exporter), "/readyz").status() == 200);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {both, bearerOnly, basicOnly, sim}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    private static int port(ExporterHarness exporter) {
        return java.net.URI.create(exporter.url("/")).getPort();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Authorization headers that must all be refused by an exporter accepting both schemes. */
    static List<String> wrongCredentials() {
        return List.of(
                bearer("tok_wrong"),
                bearer(TOKEN + "x"),
                bearer(TOKEN.substring(0, TOKEN.length() - 1)),
                bearer(""),
                "Token " + TOKEN,
                TOKEN,
                basic(USER, "wrong"),
                basic("grafana", PASSWORD),
                basic(USER, PASSWORD + " "),
                basic(USER, ""),
                "Basic " + Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)),
                "Basic not-base64!!",
                "Basic",
                "Bearer " + basic(USER, PASSWORD).substring("Basic ".length()),
                "Basic " + TOKEN);
    }

    @Test
    void everyEndpointButTheProbesRefusesMissingAndWrongCredentials() {
        int port = port(both);
        for (Endpoint endpoint : PROTECTED) {
            assertUnauthenticated(endpoint, endpoint.call(port), List.of("Bearer", "Basic"));
            for (String wrong : wrongCredentials()) {
                RawHttp.Response r = endpoint.call(port, "Authorization", wrong);
                assertUnauthenticated(endpoint, r, List.of("Bearer", "Basic"));
            }
        }
    }

    @Test
    void everyEndpointAcceptsEitherRightCredential() {
        int port = port(both);
        List<String> right = List.of(bearer(TOKEN), "bearer " + TOKEN, basic(USER, PASSWORD),
                "BASIC " + basic(USER, PASSWORD).substring("Basic ".length()));
        for (Endpoint endpoint : PROTECTED) {
            for (String credential : right) {
                RawHttp.Response r = endpoint.call(port, "Authorization", credential);
                assertEquals(endpoint.okStatus(), r.status(), endpoint + " with " + credential.split(" ")[0]
                        + ": " + r.body());
            }
        }
    }

    @Test
    void theProbesAreOpenWhateverTheCredentials() {
        for (ExporterHarness exporter : List.of(both, bearerOnly, basicOnly)) {
            for (Endpoint probe : List.of(HEALTHZ, READYZ)) {
                assertEquals(200, probe.call(port(exporter)).status(), probe + " without credentials");
                assertEquals(200, probe.call(port(exporter), "Authorization", bearer("wrong")).status(),
                        probe + " with a wrong token");
                assertEquals(200, probe.call(port(exporter), "Authorization", basic(USER, "wrong")).status(),
                        probe + " with a wrong password");
            }
        }
    }

    @Test
    void aSingleSchemeAcceptsOnlyItselfAndNamesOnlyItselfInTheChallenge() {
        int bearerPort = port(bearerOnly);
        int basicPort = port(basicOnly);
        for (Endpoint endpoint : PROTECTED) {
            assertEquals(endpoint.okStatus(), endpoint.call(bearerPort, "Authorization", bearer(TOKEN)).status(),
                    endpoint.toString());
            assertUnauthenticated(endpoint, endpoint.call(bearerPort, "Authorization", basic(USER, PASSWORD)),
                    List.of("Bearer"));
            assertUnauthenticated(endpoint, endpoint.call(bearerPort), List.of("Bearer"));
            assertEquals(endpoint.okStatus(), endpoint.call(basicPort, "Authorization", basic(USER, PASSWORD))
                    .status(), endpoint.toString());
            assertUnauthenticated(endpoint, endpoint.call(basicPort, "Authorization", bearer(TOKEN)),
                    List.of("Basic"));
            assertUnauthenticated(endpoint, endpoint.call(basicPort), List.of("Basic"));
        }
    }

    @Test
    void adminSyncNeverRunsWithoutCredentials() {
        Endpoint sync = new Endpoint("POST", "/admin/sync", "", 202);
        for (ExporterHarness exporter : List.of(both, bearerOnly, basicOnly)) {
            RawHttp.Response refused = sync.call(port(exporter), "Authorization", bearer("nope"));
            assertEquals(401, refused.status());
            assertFalse(refused.body().contains("queued"), refused.body());
        }
    }

    @Test
    void rotatedTokenAndPasswordFilesApplyWithoutARestart() throws Exception {
        int port = port(both);
        Endpoint status = new Endpoint("GET", "/api/v1/status", null, 200);
        String newToken = "tok_AuthTest_rotated";
        String newPassword = "pw_AuthTest_rotated";
        try {
            Files.writeString(tokenFile, newToken + "\n");
            Files.setLastModifiedTime(tokenFile, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
            Files.writeString(passwordFile, newPassword + "\n");
            Files.setLastModifiedTime(passwordFile, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
            assertEquals(200, status.call(port, "Authorization", bearer(newToken)).status());
            assertEquals(200, status.call(port, "Authorization", basic(USER, newPassword)).status());
            assertEquals(401, status.call(port, "Authorization", bearer(TOKEN)).status());
            assertEquals(401, status.call(port, "Authorization", basic(USER, PASSWORD)).status());
        } finally {
            Files.writeString(tokenFile, TOKEN + "\n");
            Files.setLastModifiedTime(tokenFile, FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));
            Files.writeString(passwordFile, PASSWORD + "\n");
            Files.setLastModifiedTime(passwordFile, FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));
        }
        assertEquals(200, status.call(port, "Authorization", bearer(TOKEN)).status());
    }

    private static void assertUnauthenticated(Endpoint endpoint, RawHttp.Response r, List<String> schemes) {
        assertEquals(401, r.status(), endpoint + ": " + r.body());
        List<String> challenges = r.header("WWW-Authenticate");
        assertEquals(schemes, challenges.stream().map(c -> c.split(" ")[0]).toList(), endpoint + ": " + challenges);
        challenges.forEach(c -> assertTrue(c.contains("realm=\"cursor-exporter\""), c));
        assertTrue(r.body().startsWith("{\"error\":\"missing or wrong credentials"), r.body());
        assertFalse(r.body().contains(TOKEN) || r.body().contains(PASSWORD), r.body());
    }
}
