package dev.cursorexporter.e2e;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.OtlpConfig;
import dev.cursorexporter.config.SecretFile;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.OtlpRequests;
import dev.cursorexporter.testing.SqliteFiles;
import dev.cursorexporter.testing.TestClock;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.cursorexporter.testing.OtlpRequests.deltaSum;
import static dev.cursorexporter.testing.OtlpRequests.event;
import static dev.cursorexporter.testing.OtlpRequests.num;
import static dev.cursorexporter.testing.OtlpRequests.point;
import static dev.cursorexporter.testing.OtlpRequests.resource;
import static dev.cursorexporter.testing.OtlpRequests.resourceMetrics;
import static dev.cursorexporter.testing.OtlpRequests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OTLP receiver of an exporter that polls a simulator, over real HTTP, with requests built from the official
 * OTLP classes: what it counts (read back from a real {@code /metrics} scrape), what it refuses and with which
 * status, what it never stores, and that the main port is not affected. Each test uses its own model or event names,
 * so the tests of this class do not see each other's counts.
 */
class OtlpReceiverEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final String TOKEN = "otlp_E2E_token_5b1c";
    private static final String PROTOBUF = "application/x-protobuf";
    private static final long LIMIT = 64 * 1024;
    private static final Duration VISIBLE = Duration.ofSeconds(30);
    private static final Duration SILENT_AFTER = Duration.ofMinutes(45);

    private static Simulator sim;
    private static ExporterHarness exporter;
    private static Path dataDir;
    private static Path tokenFile;
    /** Two synced members: e-mail, Admin API id, team. */
    private static List<String[]> members;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        sim = Simulator.start(SimulatorOptions.builder().users(4).days(3).seed(11).live(false)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).rateLimits(false).build());
        dataDir = tmp.resolve("data");
        tokenFile = Files.writeString(tmp.resolve("otlp-token"), TOKEN + "\n");
        ExporterConfig config = ExporterHarness.config(sim, dataDir, 3, UserLabelMode.EMAIL).toBuilder()
                .otlp(new OtlpConfig(0, Optional.of(SecretFile.reloading(tokenFile, TOKEN)), LIMIT, SILENT_AFTER))
                .build();
        exporter = ExporterHarness.start(config, new TestClock(NOW));
        Http.await(Duration.ofSeconds(60), "ready", () -> Http.get(exporter.url("/readyz")).statusCode() == 200);
        members = membersWithIds();
    }

    @AfterAll
    static void stop() {
        if (exporter != null) {
            exporter.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static List<String[]> membersWithIds() throws Exception {
        Map<String, String> teams = new java.util.HashMap<>();
        sim.directoryCsv().lines().skip(1).forEach(l -> teams.put(l.split(",")[0].toLowerCase(), l.split(",")[1]));
        List<String[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + SqliteFiles.storeIn(dataDir));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT email, user_id FROM members WHERE user_id IS NOT NULL "
                     + "AND email <> '' ORDER BY email LIMIT 2")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2), teams.get(rs.getString(1))});
            }
        }
        assertEquals(2, out.size(), "the simulator's members carry ids");
        return out;
    }

    private static HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + TOKEN));
        if (!List.of(headers).contains("Content-Type")) {
            all.addAll(List.of("Content-Type", PROTOBUF));
        }
        all.addAll(List.of(headers));
        return OtlpRequests.post(exporter.otlpPort(), path, body, all.toArray(String[]::new));
    }

    private static double value(Exposition e, String name, Map<String, String> labels) {
        return e.sum(name, l -> labels.entrySet().stream().allMatch(x -> x.getValue().equals(l.get(x.getKey()))));
    }

    /** Waits until the scrape shows {@code expected} for the series, and returns that scrape. */
    private static Exposition await(String name, Map<String, String> labels, double expected) {
        Exposition[] last = new Exposition[1];
        try {
            Http.await(VISIBLE, name + labels + " = " + expected, () -> {
                last[0] = exporter.scrape();
                return Math.abs(value(last[0], name, labels) - expected) < 1e-9;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last value " + value(last[0], name, labels), e);
        }
        return last[0];
    }

    /** What the CursorOtlpSilent alert reads: the receiver is on, since when, and its silence limit. */
    @Test
    void theRunningReceiverShowsItselfItsStartAndItsSilenceLimit() {
        Exposition scrape = exporter.scrape();
        assertEquals(List.of(1.0), scrape.samples("cursor_exporter_otlp_enabled").stream()
                .map(Exposition.Sample::value).toList());
        assertEquals(List.of((double) NOW.getEpochSecond()), scrape
                .samples("cursor_exporter_otlp_started_timestamp_seconds").stream().map(Exposition.Sample::value)
                .toList(), "the exporter's clock when the receiver started");
        assertEquals(List.of(2700.0), scrape.samples("cursor_exporter_otlp_silent_after_seconds").stream()
                .map(Exposition.Sample::value).toList(), "otlp.silent_after 45m");
        for (String name : List.of("cursor_exporter_otlp_enabled", "cursor_exporter_otlp_started_timestamp_seconds",
                "cursor_exporter_otlp_silent_after_seconds")) {
            assertEquals(Map.of(), scrape.samples(name).get(0).labels(), name + " has no labels");
        }
    }

    @Test
    void deltasOfSeveralResourcesAccumulatePerSeriesAndTwoPostsDoubleThem() throws Exception {
        String[] ana = members.get(0);
        String[] bo = members.get(1);
        byte[] body = OtlpRequests.metricsAt(NOW,
                resourceMetrics(resource("desktop", str("cursor.user.email", ana[0].toUpperCase())),
                        deltaSum("cursor.token.usage",
                                point(100, str("cursor.token.type", "input"), str("cursor.model.name", "m-delta")),
                                point(30, str("cursor.token.type", "cache_creation"),
                                        str("cursor.model.name", "m-delta"))),
                        deltaSum("cursor.cost.usage", point(0.125, str("cursor.model.name", "m-delta"))),
                        deltaSum("cursor.tool.calls", point(3, str("cursor.tool.kind", "mcp"),
                                str("cursor.tool.name", "search_issues"), str("cursor.tool.status", "success"),
                                str("cursor.mcp.server.name", "linear")))),
                resourceMetrics(resource("cli", num("cursor.user.id", 7), str("cursor.user.account_id", bo[1])),
                        deltaSum("cursor.token.usage", point(40, str("cursor.token.type", "output"),
                                str("cursor.model.name", "m-delta")))),
                resourceMetrics(resource("cloud_agent"),
                        deltaSum("cursor.token.usage", point(7, str("cursor.token.type", "input"),
                                str("cursor.model.name", "m-delta"))))).toByteArray();

        HttpResponse<byte[]> first = post("/v1/metrics", body);
        assertEquals(200, first.statusCode(), new String(first.body(), StandardCharsets.UTF_8));
        assertEquals(PROTOBUF, first.headers().firstValue("Content-Type").orElse(""));
        assertFalse(ExportMetricsServiceResponse.parseFrom(first.body()).hasPartialSuccess());
        HttpResponse<byte[]> second = post("/v1/metrics", OtlpRequests.gzip(body), "Content-Encoding", "gzip");
        assertEquals(200, second.statusCode());

        String tokens = "cursor_otel_tokens_total";
        Exposition e = await(tokens, Map.of("user", ana[0], "model", "m-delta", "token_type", "input"), 200);
        assertEquals(200, value(e, tokens, Map.of("user", ana[0], "team", ana[2], "location", value(e, ana[0]),
                "model", "m-delta", "token_type", "input", "surface", "desktop")));
        assertEquals(60, value(e, tokens, Map.of("user", ana[0], "token_type", "cache_write", "model", "m-delta")));
        assertEquals(80, value(e, tokens, Map.of("user", bo[0], "team", bo[2], "token_type", "output",
                "surface", "cli", "model", "m-delta")), "user resolved by account id");
        assertEquals(14, value(e, tokens, Map.of("user", "unknown", "team", "unassigned", "surface", "cloud_agent",
                "model", "m-delta")), "no identity: unknown");
        assertEquals(0.25, value(e, "cursor_otel_cost_usd_total", Map.of("user", ana[0], "model", "m-delta",
                "surface", "desktop")), 1e-12);
        assertEquals(6, value(e, "cursor_otel_tool_calls_total", Map.of("team", ana[2], "surface", "desktop",
                "tool_kind", "mcp", "tool", "search_issues", "status", "success", "mcp_server", "linear")));
        assertTrue(value(e, "cursor_exporter_otlp_requests_total", Map.of("signal", "metrics", "code", "200")) >= 2);
        assertTrue(value(e, "cursor_exporter_otlp_last_received_timestamp_seconds", Map.of("signal", "metrics"))
                >= NOW.getEpochSecond());
    }

    /** The location label of a member's series, whatever the directory says (read from the scrape). */
    private static String value(Exposition e, String email) {
        return e.samples("cursor_otel_tokens_total").stream().filter(s -> email.equals(s.labels().get("user")))
                .map(s -> s.labels().get("location")).findFirst().orElseThrow();
    }

    @Test
    void whatCannotBeCountedIsRejectedInPartialSuccessAndTheUnknownIsTolerated() throws Exception {
        byte[] body = OtlpRequests.metricsAt(NOW, resourceMetrics(resource("cli",
                        str("cursor.user.email", "pat@x.test"), str("cursor.new.resource.attribute", "v")),
                OtlpRequests.sum("cursor.token.usage", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                        point(5, str("cursor.token.type", "input")), point(6, str("cursor.token.type", "output"))),
                deltaSum("cursor.brand.new.metric", point(9)),
                deltaSum("cursor.token.usage",
                        point(11, str("cursor.token.type", "input"), str("cursor.model.name", "m-partial"),
                                str("cursor.future.attribute", "x")),
                        point(12, str("cursor.token.type", "reasoning"), str("cursor.model.name", "m-partial")),
                        point(-3.0, str("cursor.token.type", "input"), str("cursor.model.name", "m-partial"))),
                // a cost that would overflow the micro-dollar counter in one push, and one that is merely real
                deltaSum("cursor.cost.usage", point(1e13, str("cursor.model.name", "m-partial")),
                        point(0.25, str("cursor.model.name", "m-partial")))))
                .toByteArray();
        HttpResponse<byte[]> r = post("/v1/metrics", body);
        assertEquals(200, r.statusCode());
        ExportMetricsServiceResponse response = ExportMetricsServiceResponse.parseFrom(r.body());
        assertEquals(4, response.getPartialSuccess().getRejectedDataPoints());
        assertTrue(response.getPartialSuccess().getErrorMessage().contains("not a monotonic delta sum"),
                response.getPartialSuccess().getErrorMessage());

        Exposition e = await("cursor_otel_tokens_total", Map.of("model", "m-partial"), 11);
        assertEquals(0.25, value(e, "cursor_otel_cost_usd_total", Map.of("model", "m-partial")), 1e-9);
        for (String reason : List.of("unknown_metric", "unknown_token_type", "unknown_attribute")) {
            assertTrue(value(e, "cursor_exporter_otlp_ignored_total", Map.of("signal", "metrics", "reason", reason))
                    >= 1, reason);
        }
    }

    /**
     * A data point belongs to the UTC day of its time: one without a time, or timed where no push from Cursor can be
     * (more than 8 days old, or ahead of the receipt beyond clock skew), is rejected; a week-old one still counts.
     */
    @Test
    void aDataPointAtAnImplausibleTimeIsRejected() throws Exception {
        KeyValue model = str("cursor.model.name", "m-time");
        byte[] body = OtlpRequests.metricsAt(NOW, resourceMetrics(resource("cli",
                        str("cursor.user.email", "pat@x.test")),
                deltaSum("cursor.token.usage",
                        OtlpRequests.withoutTime(point(1, str("cursor.token.type", "input"), model)),
                        OtlpRequests.at(NOW.minus(Duration.ofDays(8)).minusSeconds(1),
                                point(10, str("cursor.token.type", "input"), model)),
                        OtlpRequests.at(NOW.plus(Duration.ofMinutes(10)).plusSeconds(1),
                                point(100, str("cursor.token.type", "input"), model)),
                        OtlpRequests.at(NOW.minus(Duration.ofDays(7)),
                                point(1000, str("cursor.token.type", "input"), model)),
                        OtlpRequests.at(NOW.plus(Duration.ofMinutes(9)),
                                point(10000, str("cursor.token.type", "input"), model))),
                deltaSum("cursor.cost.usage", OtlpRequests.at(Instant.EPOCH.plusSeconds(2), point(5.0, model)),
                        point(0.5, model))))
                .toByteArray();
        HttpResponse<byte[]> r = post("/v1/metrics", body);
        assertEquals(200, r.statusCode());
        ExportMetricsServiceResponse response = ExportMetricsServiceResponse.parseFrom(r.body());
        assertEquals(4, response.getPartialSuccess().getRejectedDataPoints());
        assertEquals("4 rejected; the first because a data point of cursor.token.usage has no time, or one more than "
                + "8 days before or 10 minutes after its receipt", response.getPartialSuccess().getErrorMessage());
        Exposition e = await("cursor_otel_tokens_total", Map.of("model", "m-time"), 11000);
        assertEquals(0.5, value(e, "cursor_otel_cost_usd_total", Map.of("model", "m-time")), 1e-9);
    }

    @Test
    void refusalsCarryTheirStatusAndStoreNothing() {
        byte[] body = OtlpRequests.metricsAt(NOW, resourceMetrics(resource("cli"), deltaSum("cursor.token.usage",
                point(1000, str("cursor.token.type", "input"), str("cursor.model.name", "m-refused")))))
                .toByteArray();
        int port = exporter.otlpPort();
        assertEquals(401, OtlpRequests.post(port, "/v1/metrics", body, "Content-Type", PROTOBUF).statusCode());
        HttpResponse<byte[]> wrong = OtlpRequests.post(port, "/v1/metrics", body, "Content-Type", PROTOBUF,
                "Authorization", "Bearer " + TOKEN + "x");
        assertEquals(401, wrong.statusCode());
        assertFalse(new String(wrong.body(), StandardCharsets.UTF_8).contains(TOKEN));
        assertEquals(401, OtlpRequests.post(port, "/v1/logs", body, "Content-Type", PROTOBUF,
                "Authorization", "Basic " + TOKEN).statusCode());
        assertEquals(415, post("/v1/metrics", body, "Content-Type", "application/json").statusCode());
        assertEquals(415, post("/v1/metrics", body, "Content-Encoding", "br").statusCode());
        assertEquals(400, post("/v1/metrics", "not protobuf at all \u00ff\u00ff\u00ff".getBytes(
                StandardCharsets.ISO_8859_1)).statusCode());
        assertEquals(400, post("/v1/logs", new byte[] {(byte) 0xff, 0x01, 0x02}).statusCode());
        assertEquals(400, post("/v1/metrics", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2},
                "Content-Encoding", "gzip").statusCode(), "broken gzip");
        assertEquals(413, post("/v1/metrics", new byte[(int) LIMIT + 1]).statusCode(), "too large");
        byte[] bomb = OtlpRequests.gzip(new byte[(int) LIMIT * 16]);
        assertTrue(bomb.length < LIMIT);
        assertEquals(413, post("/v1/metrics", bomb, "Content-Encoding", "gzip").statusCode(), "too large inflated");
        assertEquals(405, OtlpRequests.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/metrics")).header("Authorization", "Bearer " + TOKEN).GET().build()).statusCode());
        assertEquals(404, post("/v1/traces", body).statusCode());

        // the one accepted request after all of those is the only one counted
        assertEquals(200, post("/v1/metrics", body).statusCode());
        Exposition e = await("cursor_otel_tokens_total", Map.of("model", "m-refused"), 1000);
        for (String code : List.of("401", "415", "400", "413")) {
            assertTrue(value(e, "cursor_exporter_otlp_requests_total", Map.of("code", code)) >= 1, code);
        }
        assertFalse(exporter.scrape().toString().contains(TOKEN));
    }

    @Test
    void aRotatedTokenFileAppliesAtOnce() throws Exception {
        byte[] body = OtlpRequests.metricsAt(NOW).toByteArray();
        String rotated = "otlp_rotated_token_90ab";
        try {
            Files.writeString(tokenFile, rotated + "\n");
            Files.setLastModifiedTime(tokenFile, FileTime.from(Instant.now().plusSeconds(5)));
            assertEquals(401, post("/v1/metrics", body).statusCode(), "the old token after rotation");
            assertEquals(200, OtlpRequests.post(exporter.otlpPort(), "/v1/metrics", body, "Content-Type", PROTOBUF,
                    "Authorization", "Bearer " + rotated).statusCode());
        } finally {
            Files.writeString(tokenFile, TOKEN + "\n");
            Files.setLastModifiedTime(tokenFile, FileTime.from(Instant.now().plusSeconds(10)));
        }
        assertEquals(200, post("/v1/metrics", body).statusCode());
    }

    @Test
    void logRecordsCountOncePerEventIdAndConversationsAreNeverStored() throws Exception {
        String marker = "PROMPT_MARKER_7d41e0_secret_source_code";
        String[] ana = members.get(0);
        byte[] body = OtlpRequests.logs(resource("desktop", str("cursor.user.email", ana[0])),
                event("cursor.skill.activated", "ev-skill-1", str("cursor.skill.name", "review")),
                event("cursor.skill.activated", "ev-skill-2", str("cursor.skill.name", "review")),
                event("cursor.cloud_agent.mcp_auth_error", "ev-mcp-1", str("cursor.mcp.server.name", "gh-e2e")),
                event("cursor.api.request", "ev-req-1", str("cursor.usage_event.id", "use-1"),
                        str("cursor.model.name", "m-logs"), num("cursor.api.request.input_tokens", 900),
                        num("cursor.api.request.output_tokens", 90),
                        num("cursor.api.request.cache_read_tokens", 9),
                        num("cursor.api.request.cache_creation_tokens", 1)),
                event("cursor.api.correction", "ev-corr-1", str("cursor.usage_event.id", "use-1"),
                        str("cursor.api.correction.kind", "not_billed_errored")),
                event("cursor.conversation.user_message", "ev-conv-1", str("cursor.conversation.text", marker))
                        .toBuilder().setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                                .setStringValue(marker)).build(),
                event("", null, str("event.name", "cursor.conversation.assistant_message"),
                        str("cursor.event.id", "ev-conv-2"), str("text", marker)),
                event("cursor.hook.execution_complete", null)).toByteArray();
        HttpResponse<byte[]> first = post("/v1/logs", body);
        assertEquals(200, first.statusCode());
        ExportLogsServiceResponse response = ExportLogsServiceResponse.parseFrom(first.body());
        assertEquals(1, response.getPartialSuccess().getRejectedLogRecords(), "the record without an event id");
        assertEquals(200, post("/v1/logs", OtlpRequests.gzip(body), "Content-Encoding", "gzip").statusCode());

        Exposition e = await("cursor_otel_log_events_total", Map.of("event", "cursor.skill.activated",
                "surface", "desktop"), 2);
        assertEquals(ana[2], e.samples("cursor_otel_log_events_total").stream()
                .filter(s -> s.labels().get("event").equals("cursor.skill.activated")).findFirst().orElseThrow()
                .labels().get("team"));
        assertEquals(1, value(e, "cursor_otel_mcp_auth_errors_total", Map.of("mcp_server", "gh-e2e")));
        assertEquals(1, value(e, "cursor_otel_corrected_requests_total", Map.of("model", "m-logs",
                "kind", "not_billed_errored", "surface", "desktop")));
        assertEquals(900, value(e, "cursor_otel_corrected_tokens_total", Map.of("model", "m-logs",
                "token_type", "input")));
        assertTrue(value(e, "cursor_exporter_otlp_duplicates_total", Map.of()) >= 5);
        assertTrue(value(e, "cursor_exporter_otlp_ignored_total", Map.of("signal", "logs",
                "reason", "conversation_content")) >= 4);
        assertEquals(0, e.samples("cursor_otel_log_events_total").stream()
                .filter(s -> s.labels().get("event").startsWith("cursor.conversation")).count());
        StringBuilder stored = new StringBuilder();
        for (Path file : List.of(SqliteFiles.storeIn(dataDir), Path.of(SqliteFiles.storeIn(dataDir) + "-wal"))) {
            if (Files.exists(file)) {
                stored.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(stored.indexOf("ev-skill-1") >= 0, "the check reads the files the records went to");
        assertTrue(stored.indexOf(marker) < 0, "prompt text in the store");
        assertTrue(stored.indexOf("ev-conv-") < 0, "a conversation event id in the store");
    }

    @Test
    void theMainPortKeepsServingWhileTheReceiverIsHammered() throws Exception {
        byte[] body = OtlpRequests.metricsAt(NOW, resourceMetrics(resource("cli"), deltaSum("cursor.token.usage",
                point(1, str("cursor.token.type", "input"), str("cursor.model.name", "m-hammer")))))
                .toByteArray();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(6);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            sent.add(senders.submit(() -> {
                int ok = 0;
                for (int i = 0; i < 300 && !stop.get(); i++) {
                    if (post("/v1/metrics", body).statusCode() == 200) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        long worstMillis = 0;
        try {
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                HttpResponse<String> scrape = Http.get(exporter.url("/metrics"));
                worstMillis = Math.max(worstMillis, (System.nanoTime() - started) / 1_000_000);
                assertEquals(200, scrape.statusCode());
                assertEquals(200, Http.get(exporter.url("/healthz")).statusCode());
                Thread.sleep(100);
            }
        } finally {
            stop.set(true);
            senders.shutdown();
            assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));
        }
        int accepted = 0;
        for (Future<Integer> f : sent) {
            accepted += f.get();
        }
        assertTrue(worstMillis < 2_000, "slowest scrape while hammered: " + worstMillis + " ms");
        assertTrue(accepted > 0);
        await("cursor_otel_tokens_total", Map.of("model", "m-hammer"), accepted);
    }
}
