package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.config.Secret;
import dev.cursorexporter.config.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.RawHttp;
import dev.cursorexporter.testing.TestClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and malformed requests against every endpoint of a real exporter over real HTTP (jqwik): query strings,
 * JSON bodies, headers, methods, paths and oversized requests. Whatever comes in, the answer is 2xx or 4xx, an
 * error is JSON without a stack trace or a Java class name, and the server still answers {@code /healthz}.
 */
class HttpFuzzTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final String TOKEN = "tok_Fuzz_5d1e";
    private static final String AUTH = "Bearer " + TOKEN;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a leaked exception looks like: a stack frame or a class from the JDK or a library we use. */
    private static final Pattern LEAK = Pattern.compile(
            "\\bat [a-z]+\\.[a-z]|Exception\\b|\\b(java|javax|jakarta|kotlin|io\\.javalin|org\\.eclipse|com\\.fasterxml"
                    + "|dev\\.cursorexporter|org\\.sqlite)\\.[a-z]");

    static final List<String> GET_PATHS = List.of("/", "/metrics", "/healthz", "/readyz", "/api/v1/daily",
            "/api/v1/members", "/api/v1/status", "/grafana", "/grafana/");
    static final List<String> POST_PATHS = List.of("/admin/sync", "/grafana/metrics", "/grafana/search",
            "/grafana/metric-payload-options", "/grafana/query", "/grafana/variable", "/grafana/tag-keys",
            "/grafana/tag-values");
    static final List<String> PARAMETERS = List.of("from", "to", "by", "team", "user", "location", "model",
            "source", "account", "step", "", "by[]", "from%00");
    static final List<String> JSON_KEYS = List.of("range", "from", "to", "raw", "targets", "target", "payload", "by",
            "filters", "key", "value", "operator", "metric", "name", "maxDataPoints", "intervalMs", "refId", "data",
            "adhocFilters", "scopedVars");

    private static Simulator sim;
    private static ExporterHarness exporter;
    private static Path dataDir;
    private static int port;

    @BeforeContainer
    static void start() throws IOException {
        sim = Simulator.start(SimulatorOptions.builder().users(4).days(10).seed(5).live(false)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).rateLimits(false).build());
        dataDir = Files.createTempDirectory("fuzz");
        exporter = ExporterHarness.start(ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL)
                .withAuthToken(Optional.of(new Secret(TOKEN))), new TestClock(NOW));
        port = java.net.URI.create(exporter.url("/")).getPort();
        Http.await(Duration.ofSeconds(60), "ready", () -> RawHttp.get(port, "/readyz", "Authorization", AUTH)
                .status() == 200);
    }

    @AfterContainer
    static void stop() throws IOException {
        if (exporter != null) {
            exporter.close();
        }
        if (sim != null) {
            sim.close();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- properties --------------------------------------------------------------------------------------------

    @Property(tries = 400)
    void randomQueryStrings(@ForAll("getPaths") String path, @ForAll("queries") String query) {
        String target = path + "?" + query;
        assertSane("GET " + target, RawHttp.send(port, "GET", target, List.of(Map.entry("Authorization", AUTH)), null));
    }

    @Property(tries = 400)
    void randomJsonBodies(@ForAll("postPaths") String path, @ForAll("bodies") String body) {
        assertSane("POST " + path + " " + clip(body), RawHttp.send(port, "POST", path,
                List.of(Map.entry("Authorization", AUTH), Map.entry("Content-Type", "application/json")),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 300)
    void randomHeaders(@ForAll("anyPaths") String path, @ForAll("headerLists") List<Map.Entry<String, String>> headers) {
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(0, Map.entry("Authorization", AUTH));
        String method = POST_PATHS.contains(path) ? "POST" : "GET";
        assertSane(method + " " + path + " " + headers, RawHttp.send(port, method, path, all,
                method.equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null));
    }

    @Property(tries = 400)
    void randomMethodsAndPaths(@ForAll("methods") String method, @ForAll("paths") String path) {
        RawHttp.Response r = RawHttp.send(port, method, path, List.of(Map.entry("Authorization", AUTH)), null);
        assertSane(method + " " + path, r);
    }

    @Property(tries = 200)
    void unauthenticatedGarbageIsRefused(@ForAll("anyPaths") String path, @ForAll("credentials") String credentials) {
        RawHttp.Response r = RawHttp.send(port, POST_PATHS.contains(path) ? "POST" : "GET", path,
                List.of(Map.entry("Authorization", credentials)), null);
        assertSane(path + " with " + credentials, r);
        if (!path.equals("/healthz")) {
            assertEquals(401, r.status(), path + " with " + credentials);
        }
    }

    // ---- oversized requests ------------------------------------------------------------------------------------

    @Example
    void oversizedBodiesAre413() {
        byte[] big = ("{\"targets\":[" + "{\"target\":\"cost\"},".repeat(20_000) + "{}]}").getBytes(StandardCharsets.UTF_8);
        assertTrue(big.length > 256 * 1024);
        for (String path : Stream.concat(POST_PATHS.stream(), Stream.of("/metrics", "/api/v1/daily")).toList()) {
            RawHttp.Response r = RawHttp.send(port, path.startsWith("/grafana") || path.startsWith("/admin")
                    ? "POST" : "GET", path, List.of(Map.entry("Authorization", AUTH),
                    Map.entry("Content-Type", "application/json")), big);
            assertEquals(413, r.status(), path + ": " + r.body());
            assertSane("oversized " + path, r);
        }
        // without Content-Length: the limit applies while reading the chunked body
        StringBuilder chunked = new StringBuilder("POST /grafana/query HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Authorization: " + AUTH + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "x".repeat(8192);
        for (int i = 0; i < 40; i++) {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        RawHttp.Response r = RawHttp.exchange(port, chunked.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(413, r.status(), r.body());
        assertSane("chunked oversized", r);
        assertHealthy();
    }

    @Example
    void oversizedHeadersAndUrlsAre431And414() {
        RawHttp.Response header = RawHttp.send(port, "GET", "/metrics",
                List.of(Map.entry("Authorization", AUTH), Map.entry("X-Big", "a".repeat(64 * 1024))), null);
        assertEquals(431, header.status(), header.body());
        assertSane("big header", header);
        RawHttp.Response manyHeaders = RawHttp.send(port, "GET", "/metrics", Stream.concat(
                Stream.of(Map.entry("Authorization", AUTH)),
                Stream.iterate(0, i -> i + 1).limit(2000).map(i -> Map.entry("X-H" + i, "v" + i))).toList(), null);
        assertEquals(431, manyHeaders.status(), manyHeaders.body());
        RawHttp.Response url = RawHttp.send(port, "GET", "/api/v1/daily?by=" + "model,".repeat(20_000),
                List.of(Map.entry("Authorization", AUTH)), null);
        assertTrue(url.status() == 414 || url.status() == 431, url.status() + " " + url.body());
        assertSane("long URL", url);
        assertHealthy();
    }

    @Example
    void deeplyNestedJsonIs400() {
        String deep = "{\"targets\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        for (String path : POST_PATHS) {
            RawHttp.Response r = RawHttp.post(port, path, deep, "Authorization", AUTH, "Content-Type", "application/json");
            assertSane("deep JSON " + path, r);
            // /admin/sync takes no body and ignores it
            assertEquals(path.equals("/admin/sync") ? 202 : 400, r.status(), path + ": " + r.body());
        }
    }

    // ---- assertions --------------------------------------------------------------------------------------------

    private static void assertSane(String request, RawHttp.Response r) {
        assertTrue(r.status() >= 200 && r.status() < 500, request + " → " + r.status() + " " + clip(r.body()));
        if (r.status() >= 400 && !r.body().isEmpty()) {
            JsonNode error = parse(request, r);
            assertNotNull(error.get("error"), request + " → " + r.body());
            String message = error.get("error").asText();
            boolean echoed = LEAK.matcher(request).find();
            assertFalse(!echoed && LEAK.matcher(message).find(), request + " → " + r.body());
        }
        assertFalse(r.body().contains("\tat ") || r.body().contains("\n\tat"), request + " → stack trace");
    }

    private static JsonNode parse(String request, RawHttp.Response r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(request + " → " + r.status() + " not JSON: " + clip(r.body()));
        }
    }

    private static void assertHealthy() {
        assertEquals(200, RawHttp.get(port, "/healthz").status());
    }

    @Example
    void stillHealthyAfterEverything() {
        assertHealthy();
        assertEquals(200, RawHttp.get(port, "/metrics", "Authorization", AUTH).status());
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ---- generators --------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> getPaths() {
        return Arbitraries.of(GET_PATHS);
    }

    @Provide
    Arbitrary<String> postPaths() {
        return Arbitraries.of(POST_PATHS);
    }

    @Provide
    Arbitrary<String> anyPaths() {
        return Arbitraries.of(Stream.concat(GET_PATHS.stream(), POST_PATHS.stream()).toList());
    }

    /** Printable text, URL-ish punctuation, percent escapes valid and broken, and non-ASCII. */
    private static Arbitrary<String> queryText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcdefXYZ019-_.,:;+*~!$'()@/?=&[]{}|^\"<>`\\").ofMaxLength(30),
                Arbitraries.of("%", "%2", "%zz", "%00", "%ff", "%C3%28", "%E2%82", "%25", "%26", "%3D", "%2C",
                        "2026-11-01", "2026-02-30", "1763652600000", "-1", "99999999999999999999", "NaN", "now-7d",
                        "2026-11-01T00:00:00Z", "model", "team", "user", "cost", "members", "default", ""),
                Arbitraries.strings().withCharRange('\u00a0', '\u07ff').ofMaxLength(10)
                        .map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)),
                Arbitraries.strings().ascii().ofMaxLength(20)
                        .map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> pair = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(PARAMETERS), queryText()),
                queryText(),
                Arbitraries.of("=", "==", "", "=&"))
                .as((k, v, eq) -> k + eq + v);
        return pair.list().ofMaxSize(6).map(l -> String.join("&", l));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                jsonValue(4).map(this::write),
                jsonObjectWithKnownKeys().map(this::write),
                jsonObjectWithKnownKeys().map(this::write).flatMap(s -> Arbitraries.integers().between(0, s.length())
                        .map(n -> s.substring(0, n))),
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.of("", "null", "[]", "{}", "\"\"", "1e999", "-0", "{\"range\":null}",
                        "{\"targets\":[null]}", "{\"targets\":[{\"target\":null,\"payload\":[]}]}",
                        "{\"range\":{\"from\":\"x\",\"to\":\"y\"}}", "{\"key\":{}}", "{\"metric\":[]}",
                        "{\"payload\":\"by\"}", "\uFEFF{}", "{\"a\":1,\"a\":2}", "[" .repeat(2000), "{\"x\":\"\\ud800\"}"));
    }

    private String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Arbitrary<Object> jsonScalar() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.of("cost", "requests", "model", "team", "user", "location", "2026-11-01",
                        "2026-11-10T00:00:00.000Z", "now-7d", "=", "!=", "=~", "", "by").map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
    }

    private Arbitrary<Object> jsonValue(int depth) {
        if (depth == 0) {
            return jsonScalar();
        }
        Arbitrary<Object> child = Arbitraries.lazy(() -> jsonValue(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, jsonScalar()),
                net.jqwik.api.Tuple.of(1, child.list().ofMaxSize(4).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(2, Arbitraries.maps(Arbitraries.of(JSON_KEYS), child).ofMaxSize(5)
                        .map(m -> (Object) m)));
    }

    private Arbitrary<Object> jsonObjectWithKnownKeys() {
        return Arbitraries.maps(Arbitraries.of(JSON_KEYS), jsonValue(3)).ofMinSize(1).ofMaxSize(6).map(m -> (Object) m);
    }

    @Provide
    Arbitrary<List<Map.Entry<String, String>>> headerLists() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("Accept", "Content-Type", "Accept-Encoding", "Content-Encoding", "Expect", "Range",
                        "If-None-Match", "Origin", "X-Forwarded-For", "Cookie", "Transfer-Encoding-X", "Accept-Charset"),
                Arbitraries.strings().withChars("abcxyzABC-_0123456789").ofMinLength(1).ofMaxLength(20));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("application/openmetrics-text; version=1.0.0", "application/openmetrics-text;version=9",
                        "text/plain;version=0.0.4", "application/vnd.google.protobuf; proto=io.prometheus.client"
                                + ".MetricFamily; encoding=delimited", "*/*", "application/json; charset=latin1",
                        "text/html", ";;;", "gzip", "br, zstd", "100-continue", "bytes=0-1", "bytes=-5",
                        "application/json; charset=\"", "multipart/form-data; boundary=", "identity;q=0"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60),
                Arbitraries.strings().withCharRange('\u00a0', '\u00ff').ofMaxLength(10));
        return Combinators.combine(names, values).as(Map::entry).list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.oneOf(
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(10));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("api", "v1", "daily", "grafana", "query", "admin", "sync", "metrics", "..", ".",
                        "%2e%2e", "%2F", "%00", "%zz", "%", ";jsessionid=1", "~", "WEB-INF", "healthz", ""),
                Arbitraries.strings().withChars("abcXYZ09-_.~!$&'()*+,;=:@%").ofMaxLength(12));
        Arbitrary<String> random = segment.list().ofMinSize(1).ofMaxSize(5).map(l -> "/" + String.join("/", l));
        return Arbitraries.oneOf(Arbitraries.of(GET_PATHS), Arbitraries.of(POST_PATHS), random,
                Combinators.combine(anyPaths(), random).as((a, b) -> a + b),
                Arbitraries.of("*", "//", "/api/v1/daily/", "/METRICS", "http://127.0.0.1/metrics", "/grafana//query"));
    }

    @Provide
    Arbitrary<String> credentials() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60).map(s -> "Bearer " + s),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60).map(s -> "Basic " + s),
                Arbitraries.strings().all().ofMaxLength(40).map(s -> "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(s.getBytes(StandardCharsets.UTF_8))),
                Arbitraries.of("Bearer", "Basic", "Bearer  " + TOKEN.substring(1), "bearer " + TOKEN.toUpperCase()));
    }
}
