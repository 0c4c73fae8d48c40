package dev.cursorexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's OpenTelemetry Export against its own Admin API (over HTTP): a push carries exactly the tokens and
 * the billed cost of the usage events the Admin API lists for the same window, one request log record per event,
 * with the wire shapes of OTEL-EXPORT.md; and the pusher's delivery rules (metrics at most once, logs retried).
 */
class OtelExportTest {
    private static final long FROM = SimFixtures.NOW.toEpochMilli() - 2 * SimFixtures.DAY;
    private static final long TO = SimFixtures.NOW.toEpochMilli() - SimFixtures.DAY;

    @Test
    void aPushCarriesWhatTheAdminApiListsForItsWindow() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build())) {
            OtelExport.Window window = sim.otelExport().window(FROM, TO);
            ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.parseFrom(
                    window.metrics().toByteArray());
            ExportLogsServiceRequest logs = ExportLogsServiceRequest.parseFrom(window.logs().toByteArray());

            Map<String, Long> adminTokens = new TreeMap<>();
            BigDecimal adminCents = BigDecimal.ZERO;
            int adminEvents = 0;
            for (JsonNode e : adminEvents(sim)) {
                adminEvents++;
                JsonNode t = e.path("tokenUsage");
                adminTokens.merge("input", t.path("inputTokens").asLong(), Long::sum);
                adminTokens.merge("output", t.path("outputTokens").asLong(), Long::sum);
                adminTokens.merge("cache_read", t.path("cacheReadTokens").asLong(), Long::sum);
                adminTokens.merge("cache_creation", t.path("cacheWriteTokens").asLong(), Long::sum);
                adminCents = adminCents.add(e.path("chargedCents").decimalValue());
            }
            assertTrue(adminEvents > 20, "a day of a 12-member team: " + adminEvents);

            Map<String, Long> pushedTokens = new TreeMap<>();
            double pushedUsd = 0;
            Set<String> surfaces = new HashSet<>();
            int withoutEmail = 0;
            int withoutUser = 0;
            for (ResourceMetrics rm : metrics.getResourceMetricsList()) {
                Map<String, String> resource = attributes(rm.getResource().getAttributesList());
                assertEquals("cursor", resource.get("service.name"));
                assertEquals("4242", resource.get("cursor.team.id"));
                surfaces.add(resource.get("cursor.surface"));
                withoutEmail += resource.containsKey("cursor.user.email") ? 0 : 1;
                withoutUser += resource.containsKey("cursor.user.account_id") ? 0 : 1;
                assertEquals(1, rm.getScopeMetricsCount());
                assertEquals(OtelExport.SCOPE, rm.getScopeMetrics(0).getScope().getName());
                for (Metric m : rm.getScopeMetrics(0).getMetricsList()) {
                    assertTrue(m.hasSum() && m.getSum().getIsMonotonic(), m.getName());
                    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                            m.getSum().getAggregationTemporality());
                    for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                        assertEquals(FROM * 1_000_000L, p.getStartTimeUnixNano());
                        assertEquals(TO * 1_000_000L, p.getTimeUnixNano());
                        Map<String, String> a = attributes(p.getAttributesList());
                        switch (m.getName()) {
                            case "cursor.token.usage" -> pushedTokens.merge(a.get("cursor.token.type"), p.getAsInt(),
                                    Long::sum);
                            case "cursor.cost.usage" -> pushedUsd += p.getAsDouble();
                            case "cursor.tool.calls" -> assertEquals(Set.of("builtin", "mcp").contains(
                                    a.get("cursor.tool.kind")), true);
                            default -> throw new AssertionError("unexpected metric " + m.getName());
                        }
                    }
                }
            }
            adminTokens.values().removeIf(v -> v == 0);
            assertEquals(adminTokens, pushedTokens, "tokens by type, exactly");
            assertEquals(adminCents.movePointLeft(2).doubleValue(), pushedUsd, 0.005, "billed cost, to the cent");
            assertEquals(0, adminCents.movePointLeft(2).compareTo(window.truth().totalCostUsd()));
            assertEquals(adminTokens.values().stream().mapToLong(Long::longValue).sum(),
                    window.truth().tokens().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(surfaces.containsAll(Set.of("desktop", "cli", "cloud_agent")), surfaces.toString());
            assertTrue(withoutEmail > 0 && withoutUser > 0, "Privacy Mode members and anonymous cloud-agent runs");

            Set<String> ids = new HashSet<>();
            Map<String, Integer> names = new TreeMap<>();
            int inField = 0;
            for (ResourceLogs rl : logs.getResourceLogsList()) {
                for (LogRecord r : rl.getScopeLogs(0).getLogRecordsList()) {
                    Map<String, String> a = attributes(r.getAttributesList());
                    assertTrue(ids.add(a.get("cursor.event.id")), "event ids are unique");
                    String name = r.getEventName().isEmpty() ? a.get("event.name") : r.getEventName();
                    inField += r.getEventName().isEmpty() ? 0 : 1;
                    names.merge(name, 1, Integer::sum);
                }
            }
            assertEquals(adminEvents, names.getOrDefault("cursor.api.request", 0)
                    + names.getOrDefault("cursor.api.error", 0), "one request record per usage event");
            assertTrue(inField > 0 && inField < ids.size(), "event names in the field and in an attribute");
            assertEquals(window.truth().logEvents().values().stream().mapToLong(Long::longValue).sum(), ids.size());

            assertArrayEquals(window.metrics().toByteArray(), sim.otelExport().window(FROM, TO).metrics()
                    .toByteArray(), "the same window pushes the same bytes");
        }
    }

    /**
     * Cloud-agent runs: a set-up that starts and then completes or fails (ERROR, with a reason), hook executions with
     * their outcome; the truth counts every such record by its outcome. A week of the demo-sized organisation has
     * set-up failures.
     */
    @Test
    void eventsThatSayHowTheyEndedCarryTheirOutcomeAndTheTruthCountsThem() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).users(40).build())) {
            OtelExport.Window window = sim.otelExport().window(FROM - 6 * SimFixtures.DAY, TO);
            Map<List<String>, Long> outcomes = new TreeMap<>(OtelTruth.KEY_ORDER);
            Map<String, List<String>> setupByRun = new TreeMap<>();
            for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(window.logs().toByteArray())
                    .getResourceLogsList()) {
                String surface = attributes(rl.getResource().getAttributesList()).get("cursor.surface");
                for (LogRecord r : rl.getScopeLogs(0).getLogRecordsList()) {
                    Map<String, String> a = attributes(r.getAttributesList());
                    String name = r.getEventName().isEmpty() ? a.get("event.name") : r.getEventName();
                    String outcome = switch (name) {
                        case "cursor.hook.execution_complete" -> a.get("cursor.hook.outcome");
                        case "cursor.cloud_agent.setup" -> a.get("cursor.cloud_agent.setup.kind");
                        default -> null;
                    };
                    if (outcome == null) {
                        continue;
                    }
                    outcomes.merge(List.of(name, outcome, surface), 1L, Long::sum);
                    boolean error = r.getSeverityNumber().getNumber() == 17;
                    assertEquals(outcome.equals("failed"), error, name + " " + outcome + ": ERROR exactly when failed");
                    if (name.equals("cursor.cloud_agent.setup")) {
                        assertEquals("cloud_agent", surface);
                        assertEquals(outcome.equals("failed"), a.containsKey("cursor.cloud_agent.setup.reason"));
                        setupByRun.computeIfAbsent(a.get("cursor.source_event.id"), k -> new ArrayList<>())
                                .add(outcome);
                    }
                }
            }
            assertEquals(window.truth().eventOutcomes(), outcomes);
            assertTrue(setupByRun.size() > 3, "set-ups in a week: " + setupByRun);
            setupByRun.forEach((run, kinds) -> assertTrue(kinds.equals(List.of("started", "completed"))
                    || kinds.equals(List.of("started", "failed")), run + ": " + kinds));
            assertTrue(setupByRun.values().stream().anyMatch(k -> k.contains("failed")), "a set-up failed");
            assertTrue(outcomes.keySet().stream().anyMatch(k -> k.get(1).equals("blocked")), "a hook was blocked");
        }
    }

    @Test
    void thePusherSendsMetricsAtMostOnceAndLogsAtLeastOnce() throws Exception {
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).build())) {
            AtomicInteger refuseLogs = new AtomicInteger(1);
            AtomicLong tokens = new AtomicLong();
            Set<String> eventIds = new HashSet<>();
            List<String> problems = new ArrayList<>();
            Javalin receiver = Javalin.create(cfg -> {
                cfg.routes.post("/otlp/v1/metrics", ctx -> {
                    check(ctx.header("Authorization"), ctx.contentType(), ctx.header("Content-Encoding"), null,
                            problems);
                    for (ResourceMetrics rm : ExportMetricsServiceRequest.parseFrom(ctx.bodyAsBytes())
                            .getResourceMetricsList()) {
                        for (Metric m : rm.getScopeMetrics(0).getMetricsList()) {
                            if (m.getName().equals("cursor.token.usage")) {
                                m.getSum().getDataPointsList().forEach(p -> tokens.addAndGet(p.getAsInt()));
                            }
                            for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                                long firstMs = p.getStartTimeUnixNano() / 1_000_000 + 1;
                                if (Math.floorDiv(firstMs, SimFixtures.DAY) != Math.floorDiv(
                                        p.getTimeUnixNano() / 1_000_000, SimFixtures.DAY)) {
                                    problems.add("a window over midnight: " + p);
                                }
                            }
                        }
                    }
                });
                cfg.routes.post("/otlp/v1/logs", ctx -> {
                    check(ctx.header("Authorization"), ctx.contentType(), ctx.header("Content-Encoding"), "gzip",
                            problems);
                    if (refuseLogs.getAndDecrement() > 0) {
                        ctx.status(503);
                        return;
                    }
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(ctx.bodyAsBytes()))) {
                        for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(in).getResourceLogsList()) {
                            rl.getScopeLogs(0).getLogRecordsList().forEach(r -> eventIds.add(
                                    attributes(r.getAttributesList()).get("cursor.event.id")));
                        }
                    }
                });
            }).start("127.0.0.1", 0);
            try {
                // FROM is 15:30: a quarter of a day later is the same day, TO the next
                AtomicLong now = new AtomicLong(FROM + SimFixtures.DAY / 4);
                try (OtelPusher pusher = new OtelPusher(sim.otelExport(), URI.create("http://127.0.0.1:"
                        + receiver.port() + "/otlp/"), "s3cret", now::get, FROM)) {
                    pusher.push();
                    assertArrayEquals(new int[] {200, 503}, pusher.lastStatuses());
                    now.set(TO);
                    pusher.push();
                    assertArrayEquals(new int[] {200, 200}, pusher.lastStatuses());
                    long midnight = Math.floorDiv(TO, SimFixtures.DAY) * SimFixtures.DAY;
                    OtelTruth sent = sim.otelExport().window(FROM, midnight - 1).truth()
                            .plus(sim.otelExport().window(midnight - 1, TO).truth());
                    assertEquals(sent, pusher.accepted(), "the metric windows, split at midnight, and the refused "
                            + "logs resent");
                    assertEquals(sim.otelExport().window(FROM, TO).truth().costUsd(), sent.costUsd());
                    assertEquals(2, sent.dailyCostUsd().keySet().stream().map(k -> k.get(0)).distinct().count(),
                            "the cost of each day under its day: " + sent.dailyCostUsd().keySet());
                    assertEquals(sent.tokens().values().stream().mapToLong(Long::longValue).sum(), tokens.get());
                    assertEquals(sent.logEvents().values().stream().mapToLong(Long::longValue).sum(),
                            eventIds.size());

                    receiver.stop(); // metrics at most once: a window nobody took is a gap, not a retry
                    now.set(TO + SimFixtures.DAY / 4);
                    pusher.push();
                    assertArrayEquals(new int[] {0, 0}, pusher.lastStatuses());
                    assertEquals(sent, pusher.accepted());
                }
            } finally {
                receiver.stop();
            }
            assertEquals(List.of(), problems);
        }
    }

    private static void check(String authorization, String contentType, String encoding, String expectedEncoding,
                              List<String> problems) {
        if (!"Bearer s3cret".equals(authorization) || !"application/x-protobuf".equals(contentType)
                || !java.util.Objects.equals(expectedEncoding, encoding)) {
            problems.add(authorization + " " + contentType + " " + encoding);
        }
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> out = new HashMap<>();
        for (KeyValue kv : attributes) {
            out.put(kv.getKey(), kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue())
                    : kv.getValue().getStringValue());
        }
        return out;
    }

    /** The Admin API's usage events of (FROM, TO], every page. */
    private static List<JsonNode> adminEvents(Simulator sim) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        SimClient client = SimClient.basic(sim);
        for (int page = 1; ; page++) {
            JsonNode answer = client.post("/teams/filtered-usage-events", Map.of("startDate", FROM + 1,
                    "endDate", TO, "page", page, "pageSize", 500)).json();
            answer.path("usageEvents").forEach(out::add);
            if (!answer.path("pagination").path("hasNextPage").asBoolean(false)) {
                return out;
            }
        }
    }
}
