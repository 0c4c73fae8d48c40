package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.RawHttp;
import dev.cursorexporter.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and malformed requests against every endpoint of a real exporter over real HTTP: query strings, JSON
 * bodies, headers, methods, paths, credentials and oversized requests. Whatever comes in, the answer is 2xx or 4xx,
 * an error is JSON without a stack trace or a Java class name, and the server still answers {@code /healthz}.
 * The generators are seeded ({@code -Dfuzz.seed=N} to explore other inputs); a failure names the seed and try.
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

    /** Open whatever the credentials, for container probes. */
    static final Set<String> PROBES = Set.of("/healthz", "/readyz");
    static final List<String> GET_PATHS = List.of("/", "/metrics", "/healthz", "/readyz", "/api/v1/daily",
            "/api/v1/members", "/api/v1/reconciliation", "/api/v1/status", "/grafana", "/grafana/");
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

    @BeforeAll
    static void start() throws IOException {
        sim = Simulator.start(SimulatorOptions.builder().users(4).days(10).seed(5).live(false)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).rateLimits(false).build());
        dataDir = Files.createTempDirectory("fuzz");
        exporter = ExporterHarness.start(ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL)
                .toBuilder().authToken(Optional.of(new Secret(TOKEN))).build(), new TestClock(NOW));
        port = java.net.URI.create(exporter.url("/")).getPort();
        Http.await(Duration.ofSeconds(60), "ready", () -> RawHttp.get(port, "/readyz", "Authorization", AUTH)
                .status() == 200);
    }

    @AfterAll
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

    private static final long SEED = Long.getLong("fuzz.seed", 20261120L);

    /** Runs {@code check} {@code tries} times, each with its own random source derived from the seed. */
    private static void forAll(int tries, java.util.function.BiConsumer<Random, String> check) {
        for (int i = 0; i < tries; i++) {
            check.accept(new Random(SEED * 31 + i), "seed " + SEED + ", try " + i + ": ");
        }
    }

    @Test
    void randomQueryStrings() {
        forAll(400, (random, at) -> {
            String target = pick(random, GET_PATHS) + "?" + query(random);
            assertSane(at + "GET " + target,
                    RawHttp.send(port, "GET", target, List.of(Map.entry("Authorization", AUTH)), null));
        });
    }

    @Test
    void randomJsonBodies() {
        forAll(400, (random, at) -> {
            String path = pick(random, POST_PATHS);
            String body = body(random);
            assertSane(at + "POST " + path + " " + clip(body), RawHttp.send(port, "POST", path,
                    List.of(Map.entry("Authorization", AUTH), Map.entry("Content-Type", "application/json")),
                    body.getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Test
    void randomHeaders() {
        forAll(300, (random, at) -> {
            String path = pick(random, ANY_PATHS);
            List<Map.Entry<String, String>> headers = headers(random);
            List<Map.Entry<String, String>> all = new ArrayList<>(headers);
            all.add(0, Map.entry("Authorization", AUTH));
            String method = POST_PATHS.contains(path) ? "POST" : "GET";
            assertSane(at + method + " " + path + " " + headers, RawHttp.send(port, method, path, all,
                    method.equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null));
        });
    }

    @Test
    void randomMethodsAndPaths() {
        forAll(400, (random, at) -> {
            String method = method(random);
            String path = path(random);
            RawHttp.Response r = RawHttp.send(port, method, path, List.of(Map.entry("Authorization", AUTH)), null);
            assertSane(at + method + " " + path, r);
        });
    }

    @Test
    void unauthenticatedGarbageIsRefused() {
        forAll(200, (random, at) -> {
            String path = pick(random, ANY_PATHS);
            String credentials = credentials(random);
            RawHttp.Response r = RawHttp.send(port, POST_PATHS.contains(path) ? "POST" : "GET", path,
                    List.of(Map.entry("Authorization", credentials)), null);
            assertSane(at + path + " with " + credentials, r);
            if (!PROBES.contains(path)) {
                assertEquals(401, r.status(), at + path + " with " + credentials);
            }
        });
    }

    // ---- oversized requests ------------------------------------------------------------------------------------

    @Test
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

    @Test
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

    @Test
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

    @Test
    void stillHealthyAfterEverything() {
        assertHealthy();
        assertEquals(200, RawHttp.get(port, "/metrics", "Authorization", AUTH).status());
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    // ---- generators --------------------------------------------------------------------------------------------

    static final List<String> ANY_PATHS = Stream.concat(GET_PATHS.stream(), POST_PATHS.stream()).toList();

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    @SafeVarargs
    private static <T> T oneOf(Random random, Supplier<T>... choices) {
        return choices[random.nextInt(choices.length)].get();
    }

    private static String chars(Random random, String alphabet, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String range(Random random, char from, char to, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) (from + random.nextInt(to - from + 1)));
        }
        return out.toString();
    }

    /** Any UTF-16 code units, lone surrogates and control characters included. */
    private static String anyText(Random random, int maxLength) {
        return range(random, '\u0000', '\uffff', maxLength);
    }

    private static String encoded(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Printable text, URL-ish punctuation, percent escapes valid and broken, and non-ASCII. */
    private static String queryText(Random random) {
        return oneOf(random,
                () -> chars(random, "abcdefXYZ019-_.,:;+*~!$'()@/?=&[]{}|^\"<>`\\", 30),
                () -> pick(random, List.of("%", "%2", "%zz", "%00", "%ff", "%C3%28", "%E2%82", "%25", "%26", "%3D",
                        "%2C", "2026-11-01", "2026-02-30", "1763652600000", "-1", "99999999999999999999", "NaN",
                        "now-7d", "2026-11-01T00:00:00Z", "model", "team", "user", "cost", "members", "default", "")),
                () -> encoded(range(random, '\u00a0', '\u07ff', 10)),
                () -> encoded(range(random, ' ', '~', 20)));
    }

    private static String query(Random random) {
        int pairs = random.nextInt(7);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String key = random.nextBoolean() ? pick(random, PARAMETERS) : queryText(random);
            out.add(key + pick(random, List.of("=", "==", "", "=&")) + queryText(random));
        }
        return String.join("&", out);
    }

    private static String body(Random random) {
        return oneOf(random,
                () -> write(jsonValue(random, 4)),
                () -> write(jsonObjectWithKnownKeys(random)),
                () -> {
                    String whole = write(jsonObjectWithKnownKeys(random));
                    return whole.substring(0, random.nextInt(whole.length() + 1));
                },
                () -> anyText(random, 200),
                () -> pick(random, List.of("", "null", "[]", "{}", "\"\"", "1e999", "-0", "{\"range\":null}",
                        "{\"targets\":[null]}", "{\"targets\":[{\"target\":null,\"payload\":[]}]}",
                        "{\"range\":{\"from\":\"x\",\"to\":\"y\"}}", "{\"key\":{}}", "{\"metric\":[]}",
                        "{\"payload\":\"by\"}", "\uFEFF{}", "{\"a\":1,\"a\":2}", "[".repeat(2000),
                        "{\"x\":\"\\ud800\"}")));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object jsonScalar(Random random) {
        return oneOf(random,
                () -> anyText(random, 20),
                () -> pick(random, List.of("cost", "requests", "model", "team", "user", "location", "2026-11-01",
                        "2026-11-10T00:00:00.000Z", "now-7d", "=", "!=", "=~", "", "by")),
                () -> random.nextLong(),
                () -> pick(random, List.of(0.0, -1.5, 1e308, Double.MIN_VALUE, random.nextDouble() * 1e6)),
                () -> random.nextBoolean(),
                () -> null);
    }

    private static Object jsonValue(Random random, int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(6);
        if (kind < 3) {
            return jsonScalar(random);
        }
        if (kind == 3) {
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) {
                list.add(jsonValue(random, depth - 1));
            }
            return list;
        }
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            map.put(pick(random, JSON_KEYS), jsonValue(random, depth - 1));
        }
        return map;
    }

    private static Object jsonObjectWithKnownKeys(Random random) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            map.put(pick(random, JSON_KEYS), jsonValue(random, 3));
        }
        return map;
    }

    private static List<Map.Entry<String, String>> headers(Random random) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            String name = random.nextBoolean()
                    ? pick(random, List.of("Accept", "Content-Type", "Accept-Encoding", "Content-Encoding", "Expect",
                    "Range", "If-None-Match", "Origin", "X-Forwarded-For", "Cookie", "Accept-Charset"))
                    : "X" + chars(random, "abcxyzABC-_0123456789", 20);
            String value = oneOf(random,
                    () -> pick(random, List.of("application/openmetrics-text; version=1.0.0",
                            "application/openmetrics-text;version=9", "text/plain;version=0.0.4",
                            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
                                    + "encoding=delimited", "*/*", "application/json; charset=latin1", "text/html",
                            ";;;", "gzip", "br, zstd", "100-continue", "bytes=0-1", "bytes=-5",
                            "application/json; charset=\"", "multipart/form-data; boundary=", "identity;q=0")),
                    () -> range(random, ' ', '~', 60).strip(),
                    () -> range(random, '\u00a0', '\u00ff', 10));
            out.add(Map.entry(name, value));
        }
        return out;
    }

    private static String method(Random random) {
        return random.nextBoolean()
                ? pick(random, List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"))
                : range(random, 'A', 'Z', 10) + "X";
    }

    private static String path(Random random) {
        Supplier<String> segment = () -> random.nextBoolean()
                ? pick(random, List.of("api", "v1", "daily", "grafana", "query", "admin", "sync", "metrics", "..",
                ".", "%2e%2e", "%2F", "%00", "%zz", "%", ";jsessionid=1", "~", "WEB-INF", "healthz", ""))
                : chars(random, "abcXYZ09-_.~!$&'()*+,;=:@%", 12);
        Supplier<String> randomPath = () -> {
            List<String> segments = new ArrayList<>();
            for (int i = 1 + random.nextInt(5); i > 0; i--) {
                segments.add(segment.get());
            }
            return "/" + String.join("/", segments);
        };
        return oneOf(random,
                () -> pick(random, ANY_PATHS),
                randomPath,
                () -> pick(random, ANY_PATHS) + randomPath.get(),
                () -> pick(random, List.of("*", "//", "/api/v1/daily/", "/METRICS", "http://127.0.0.1/metrics",
                        "/grafana//query")));
    }

    private static String credentials(Random random) {
        return oneOf(random,
                () -> range(random, ' ', '~', 80).strip(),
                () -> "Bearer " + range(random, ' ', '~', 60).strip(),
                () -> "Basic " + range(random, ' ', '~', 60).strip(),
                () -> "Basic " + java.util.Base64.getEncoder().encodeToString(anyText(random, 40)
                        .getBytes(StandardCharsets.UTF_8)),
                () -> pick(random, List.of("Bearer", "Basic", "Bearer  " + TOKEN.substring(1),
                        "bearer " + TOKEN.toUpperCase(java.util.Locale.ROOT))));
    }
}
