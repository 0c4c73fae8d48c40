package dev.cursorexporter.e2e;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.OtlpConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.OtelPusher;
import dev.cursorexporter.simulator.OtelTruth;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator pushes Cursor's OpenTelemetry Export of a day of its team's usage to an exporter's receiver over
 * HTTP, in two windows; every {@code cursor_otel_*} series then equals what the simulator says it pushed (tokens,
 * calls and log records exactly, estimated cost to the cent), with the mixed-case e-mails lower-cased, members
 * without an e-mail (Privacy Mode) resolved through their Admin API id, and user-less runs as {@code unknown}.
 */
class OtelExportEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final String TOKEN = "otel_e2e_token_9d2f";

    @Test
    void whatTheSimulatorPushesIsWhatMetricsShow(@TempDir Path tmp) throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(3).seed(5).live(false)
                .profile(Profile.DOCS_LATEST).clock(Clock.fixed(NOW, ZoneOffset.UTC)).rateLimits(false).build())) {
            ExporterConfig config = ExporterHarness.config(sim, tmp.resolve("data"), 2, UserLabelMode.EMAIL)
                    .toBuilder().otlp(new OtlpConfig(0, Optional.of(new Secret(TOKEN)), 4 << 20)).build();
            try (ExporterHarness exporter = ExporterHarness.start(config, new TestClock(NOW))) {
                Http.await(Duration.ofSeconds(60), "ready",
                        () -> Http.get(exporter.url("/readyz")).statusCode() == 200);
                // members (and their ids) are synced, so e-mail-less pushes resolve to them
                Http.await(Duration.ofSeconds(60), "members synced",
                        () -> !exporter.scrape().samples("cursor_members").isEmpty());
                long from = NOW.toEpochMilli() - Duration.ofDays(1).toMillis();
                AtomicLong now = new AtomicLong(from + Duration.ofHours(8).toMillis());
                OtelTruth pushed;
                try (OtelPusher pusher = new OtelPusher(sim.otelExport(), URI.create("http://127.0.0.1:"
                        + exporter.otlpPort() + "/"), TOKEN, now::get, from)) {
                    pusher.push();
                    assertArrayEquals(new int[] {200, 200}, pusher.lastStatuses());
                    now.set(NOW.toEpochMilli());
                    pusher.push();
                    assertArrayEquals(new int[] {200, 200}, pusher.lastStatuses());
                    pushed = pusher.accepted();
                }
                assertTrue(pushed.totalCostUsd().signum() > 0 && pushed.tokens().size() > 20, pushed.toString());

                OtelTruth expected = pushed;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                long records = expected.logEvents().values().stream().mapToLong(Long::longValue).sum();
                while (!(tokensOf(exporter.scrape()).equals(expected.tokens()) && exporter.scrape()
                        .samples("cursor_otel_log_events_total").stream().mapToDouble(Exposition.Sample::value)
                        .sum() >= records) && System.nanoTime() < deadline) {
                    Thread.sleep(200); // the receiver's snapshot refresh is coalesced: a few seconds
                }
                Exposition scrape = exporter.scrape();
                assertEquals(pushed.tokens(), tokensOf(scrape));

                Map<List<String>, BigDecimal> cost = new TreeMap<>(KEYS);
                for (Exposition.Sample s : scrape.samples("cursor_otel_cost_usd_total")) {
                    cost.merge(List.of(s.labels().get("user"), s.labels().get("model"), s.labels().get("surface")),
                            BigDecimal.valueOf(s.value()), BigDecimal::add);
                }
                assertEquals(pushed.costUsd().keySet(), cost.keySet());
                pushed.costUsd().forEach((k, usd) -> assertEquals(usd.doubleValue(), cost.get(k).doubleValue(),
                        0.005, k.toString()));

                Map<List<String>, Long> calls = new TreeMap<>(KEYS);
                for (Exposition.Sample s : scrape.samples("cursor_otel_tool_calls_total")) {
                    calls.merge(List.of(s.labels().get("surface"), s.labels().get("tool_kind"), s.labels().get("tool"),
                            s.labels().get("status"), s.labels().get("mcp_server")), (long) s.value(), Long::sum);
                }
                assertEquals(pushed.toolCalls(), calls);

                Map<List<String>, Long> events = new TreeMap<>(KEYS);
                for (Exposition.Sample s : scrape.samples("cursor_otel_log_events_total")) {
                    events.merge(List.of(s.labels().get("event"), s.labels().get("surface")), (long) s.value(),
                            Long::sum);
                }
                assertEquals(pushed.logEvents(), events);
                Map<List<String>, Long> outcomes = new TreeMap<>(KEYS);
                for (Exposition.Sample s : scrape.samples("cursor_otel_event_outcomes_total")) {
                    outcomes.merge(List.of(s.labels().get("event"), s.labels().get("outcome"),
                            s.labels().get("surface")), (long) s.value(), Long::sum);
                }
                assertEquals(pushed.eventOutcomes(), outcomes);
                for (List<String> shown : List.of(List.of("cursor.cloud_agent.setup", "started", "cloud_agent"),
                        List.of("cursor.hook.execution_complete", "blocked", "desktop"))) {
                    assertTrue(outcomes.getOrDefault(shown, 0L) > 0, "the day has " + shown + ": " + outcomes);
                }
                Map<String, Long> mcp = new TreeMap<>();
                scrape.samples("cursor_otel_mcp_auth_errors_total").forEach(s -> mcp.merge(
                        s.labels().get("mcp_server"), (long) s.value(), Long::sum));
                assertEquals(pushed.mcpAuthErrors(), mcp);
            }
        }
    }

    private static final java.util.Comparator<List<String>> KEYS = (a, b) -> String.join("\u0000", a)
            .compareTo(String.join("\u0000", b));

    private static Map<List<String>, Long> tokensOf(Exposition scrape) {
        Map<List<String>, Long> out = new TreeMap<>(KEYS);
        for (Exposition.Sample s : scrape.samples("cursor_otel_tokens_total")) {
            out.merge(List.of(s.labels().get("user"), s.labels().get("model"), s.labels().get("token_type"),
                    s.labels().get("surface")), (long) s.value(), Long::sum);
        }
        return out;
    }
}
