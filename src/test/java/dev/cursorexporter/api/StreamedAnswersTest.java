package dev.cursorexporter.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JsonHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The datasource's big answers, byte for byte: every body equals the one captured from the exporter before its
 * answers were streamed ({@link StreamedAnswersGolden}), with and without {@code Accept-Encoding: gzip}. The
 * simulators are seeded and the clock fixed, so the synced store, and with it every answer, is the same on each
 * run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamedAnswersTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DAYS = "from=2026-11-16&to=2026-11-20";
    private static final String RANGE = "\"range\":{\"from\":\"2026-11-16T00:00:00.000Z\","
            + "\"to\":\"2026-11-20T15:30:00.000Z\"}";

    private final Map<String, ExporterHarness> exporters = new LinkedHashMap<>();
    private final List<Simulator> simulators = new java.util.ArrayList<>();

    @BeforeAll
    void sync(@TempDir Path one, @TempDir Path several) {
        Simulator sim = simulator(11, Profile.DOCS_LATEST, 6);
        exporters.put("one", ExporterHarness.start(ExporterHarness.config(sim, one, 10, UserLabelMode.EMAIL),
                CLOCK));
        Simulator a = simulator(7, Profile.DOCS_LATEST, 4);
        Simulator b = simulator(8, Profile.OBSERVED_2026_01, 3);
        Map<String, Map.Entry<Simulator, String>> accounts = new LinkedHashMap<>();
        accounts.put("alpha", Map.entry(a, a.apiKey()));
        accounts.put("beta", Map.entry(b, b.apiKey()));
        exporters.put("several", ExporterHarness.start(ExporterHarness.config(accounts, several, 10), CLOCK));
        exporters.get("one").awaitAllSourcesSince(NOW.getEpochSecond(), Duration.ofSeconds(60));
        awaitBothAccounts(exporters.get("several"));
    }

    private Simulator simulator(long seed, Profile profile, int users) {
        Simulator sim = Simulator.start(SimulatorOptions.builder().users(users).days(6).seed(seed).profile(profile)
                .live(false).clock(CLOCK).build());
        simulators.add(sim);
        return sim;
    }

    private static void awaitBothAccounts(ExporterHarness exporter) {
        int all = dev.cursorexporter.model.Source.values().length;
        Http.await(Duration.ofSeconds(60), "both accounts synced", () -> {
            Exposition m = exporter.scrape();
            return m.samples("cursor_exporter_source_last_success_timestamp_seconds").stream()
                    .filter(s -> s.value() >= NOW.getEpochSecond()).count() == 2L * all;
        });
    }

    @AfterAll
    void stop() {
        exporters.values().forEach(ExporterHarness::close);
        simulators.forEach(Simulator::close);
    }

    /** A request: GET when {@code body} is null, else a POST of it. */
    record Call(String exporter, String path, String body) {
        @Override
        public String toString() {
            return exporter + " " + (body == null ? "GET " : "POST ") + path + (body == null ? "" : " " + body);
        }
    }

    static Stream<Arguments> calls() {
        Map<String, Call> c = new LinkedHashMap<>();
        String daily = "/api/v1/daily?" + DAYS;
        c.put("daily", new Call("one", daily, null));
        c.put("daily-by-user", new Call("one", daily + "&by=user", null));
        c.put("daily-by-model-of-a-team", new Call("one", daily + "&by=model&team=Platform", null));
        c.put("daily-by-team-location-of-two-users", new Call("one",
                daily + "&by=team,location&user=AMARA.GARCIA@example.com,laura.park@example.com", null));
        c.put("daily-of-two-models", new Call("one", daily + "&model=gpt-5.2&model=default", null));
        c.put("daily-empty-days-by-location", new Call("one", "/api/v1/daily?from=2026-11-12&to=2026-11-15"
                + "&by=location", null));
        c.put("daily-nobody", new Call("one", daily + "&by=team&team=no-such-team", null));
        c.put("members", new Call("one", "/api/v1/members", null));
        c.put("members-filtered", new Call("one", "/api/v1/members?team=Platform&location=Remote", null));
        c.put("grafana-cost", new Call("one", "/grafana/query", "{" + RANGE
                + ",\"targets\":[{\"refId\":\"A\",\"target\":\"cost\"}]}"));
        c.put("grafana-cost-by-user-not-payments", new Call("one", "/grafana/query", "{" + RANGE
                + ",\"filters\":[{\"key\":\"team\",\"operator\":\"!=\",\"value\":\"Payments\"}],"
                + "\"targets\":[{\"refId\":\"A\",\"target\":\"cost\",\"payload\":{\"by\":[\"user\"]}}]}"));
        c.put("grafana-several-targets", new Call("one", "/grafana/query", "{" + RANGE
                + ",\"intervalMs\":172800000,\"targets\":["
                + "{\"refId\":\"A\",\"target\":\"tokens\",\"payload\":{\"by\":[\"model\"]}},"
                + "{\"refId\":\"B\",\"target\":\"active_users\",\"payload\":{\"by\":[\"team\"]}},"
                + "{\"refId\":\"C\",\"target\":\"cost\",\"hide\":true},"
                + "{\"refId\":\"D\",\"target\":\"\"},"
                + "{\"refId\":\"E\",\"target\":\"requests\",\"payload\":{\"by\":[\"location\"],"
                + "\"format\":\"table\"}}]}"));
        c.put("grafana-table-by-user-location-regex", new Call("one", "/grafana/query", "{" + RANGE
                + ",\"filters\":[{\"key\":\"user\",\"operator\":\"=~\",\"value\":\".*a.*@example.com\"}],"
                + "\"targets\":[{\"refId\":\"A\",\"target\":\"cost\","
                + "\"payload\":{\"by\":[\"user\",\"location\"],\"format\":\"table\"}}]}"));
        c.put("grafana-table-requests-few-points", new Call("one", "/grafana/query", "{" + RANGE
                + ",\"maxDataPoints\":2,\"targets\":[{\"refId\":\"A\",\"target\":\"requests\","
                + "\"payload\":{\"format\":\"table\"}}]}"));
        c.put("grafana-lines-by-user-dashboard-model", new Call("one", "/grafana/query", "{" + RANGE
                + ",\"filters\":[{\"key\":\"model\",\"operator\":\"=\",\"value\":\"default\"}],"
                + "\"targets\":[{\"refId\":\"A\",\"target\":\"lines_added\",\"payload\":{\"by\":[\"user\"]}},"
                + "{\"refId\":\"B\",\"target\":\"cache_read_tokens\",\"payload\":{\"by\":[\"team\"]}}]}"));
        c.put("grafana-code-mode-payload-and-value-lists", new Call("one", "/grafana/query", "{" + RANGE
                + ",\"filters\":[{\"key\":\"location\",\"operator\":\"=|\",\"values\":[\"Remote\",\"London\"]}],"
                + "\"targets\":[{\"refId\":\"A\",\"target\":\"tabs_accepted\","
                + "\"payload\":\"{\\\"by\\\":[\\\"location\\\",\\\"team\\\"],\\\"format\\\":\\\"table\\\"}\"},"
                + "{\"refId\":\"B\",\"target\":\"output_tokens\",\"payload\":{\"model\":[\"gpt-5.2\"]}}]}"));
        c.put("grafana-no-targets", new Call("one", "/grafana/query", "{" + RANGE + "}"));
        c.put("several-members", new Call("several", "/api/v1/members", null));
        c.put("several-daily-by-user", new Call("several", daily + "&by=user", null));
        c.put("several-grafana-cost-by-user-table-and-series", new Call("several", "/grafana/query", "{" + RANGE
                + ",\"targets\":[{\"refId\":\"A\",\"target\":\"cost\",\"payload\":{\"by\":[\"user\"],"
                + "\"format\":\"table\"}},{\"refId\":\"B\",\"target\":\"cost\",\"payload\":{\"by\":[\"team\"]}}]}"));
        return c.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void bodyIsTheCapturedOneWithAndWithoutGzip(String name, Call call) {
        HttpResponse<byte[]> plain = send(call, false);
        String body = new String(plain.body(), StandardCharsets.UTF_8);
        String golden = StreamedAnswersGolden.BODIES.get(name);
        if (golden == null || !golden.equals(body)) {
            dump(name, body);
        }
        assertNotNull(golden, "no captured body for " + name);
        assertEquals(200, plain.statusCode(), body);
        assertEquals("application/json", plain.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(golden, body, call.toString());
        assertFalse(plain.headers().firstValue("Content-Encoding").isPresent(), "not compressed unless asked");

        HttpResponse<byte[]> zipped = send(call, true);
        assertEquals(200, zipped.statusCode());
        assertEquals("application/json", zipped.headers().firstValue("Content-Type").orElseThrow());
        Optional<String> encoding = zipped.headers().firstValue("Content-Encoding");
        byte[] bytes = encoding.isPresent() ? gunzip(zipped.body()) : zipped.body();
        encoding.ifPresent(e -> assertEquals("gzip", e));
        assertEquals(golden, new String(bytes, StandardCharsets.UTF_8), "with Accept-Encoding: gzip");
        assertEquals(body.length() >= 1500, encoding.isPresent(), "Javalin compresses answers from 1500 bytes");
    }

    /**
     * Far more than one output buffer (Jackson's and Jetty's): every row arrives, plain and gzipped, and the grid
     * is complete (each user and model on each day).
     */
    @Test
    void aLargeAnswerArrivesWholeWithAndWithoutGzip() {
        Call call = new Call("one", "/api/v1/daily?from=2026-10-22&to=2026-11-20&by=user,model", null);
        HttpResponse<byte[]> plain = send(call, false);
        HttpResponse<byte[]> zipped = send(call, true);
        assertEquals(200, plain.statusCode());
        assertEquals(Optional.of("gzip"), zipped.headers().firstValue("Content-Encoding"));
        assertTrue(plain.body().length > 200_000, "large: " + plain.body().length + " bytes");
        assertEquals(new String(plain.body(), StandardCharsets.UTF_8),
                new String(gunzip(zipped.body()), StandardCharsets.UTF_8));
        JsonNode rows = parse(plain.body());
        Set<String> days = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (JsonNode r : rows) {
            days.add(r.get("date").asText());
            groups.add(r.get("user").asText() + "/" + r.get("model").asText());
        }
        assertEquals(30, days.size());
        assertTrue(groups.size() > 20, groups.toString());
        assertEquals(days.size() * groups.size(), rows.size());
    }

    private HttpResponse<byte[]> send(Call call, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(exporters.get(call.exporter()).url(call.path())))
                .timeout(Duration.ofSeconds(30));
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        if (call.body() == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call.body()));
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError("not valid gzip: " + e, e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JsonHttp.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not valid JSON: " + e, e);
        }
    }

    /** The actual body next to the build's output, for a diff when it differs from the captured one. */
    private static void dump(String name, String body) {
        try {
            Path dir = Path.of("target", "streamed-answers");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".json"), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
