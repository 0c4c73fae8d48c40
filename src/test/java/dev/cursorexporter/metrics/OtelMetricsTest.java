package dev.cursorexporter.metrics;

import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.model.OtelLogRecord;
import dev.cursorexporter.model.OtelTokens;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtelMetricsTest {
    private static final Instant AT = Instant.parse("2026-03-18T11:00:00Z");
    private static final LocalDate DAY = LocalDate.ofInstant(AT, java.time.ZoneOffset.UTC);

    @TempDir
    Path dir;

    /**
     * ana sends her e-mail; bo only his account id (user_bo, a synced member); a cloud agent neither; "zed@x" is no
     * member: his e-mail is still his user label, with the directory's defaults.
     */
    private static void pushes(SqliteStore store) {
        OtelIdentity ana = new OtelIdentity("ANA@acme.io", "");
        OtelIdentity bo = new OtelIdentity("", "user_bo");
        OtelIdentity nobody = new OtelIdentity("", "user_not_a_member");
        store.otel().apply(new OtelBatch("metrics", List.of(
                new OtelIncrement(OtelFamily.TOKENS, ana, List.of("desktop", "gpt-5", "cache_write"), 30, DAY),
                new OtelIncrement(OtelFamily.TOKENS, bo, List.of("cli", "gpt-5", "input"), 40, DAY),
                new OtelIncrement(OtelFamily.TOKENS, nobody, List.of("cloud_agent", "gpt-5", "input"), 7, DAY),
                new OtelIncrement(OtelFamily.COST, ana, List.of("desktop", "gpt-5"), 1_250_000, DAY),
                new OtelIncrement(OtelFamily.TOOL_CALLS, bo, List.of("cli", "mcp", "search", "success", "linear"), 3,
                        DAY)),
                List.of()), AT);
        store.otel().apply(new OtelBatch("logs", List.of(), List.of(
                new OtelLogRecord("e1", "cursor.hook.execution_complete", new OtelIdentity("zed@x", ""), "cli",
                        "unknown", "unknown", "", "", "blocked", OtelTokens.NONE),
                new OtelLogRecord("e2", OtelLogRecord.MCP_AUTH_ERROR, OtelIdentity.NOBODY, "cloud_agent", "unknown",
                        "github", "", "", "", OtelTokens.NONE),
                new OtelLogRecord("e3", "cursor.cloud_agent.setup", new OtelIdentity("", "user_bo"), "cloud_agent",
                        "unknown", "unknown", "", "", "failed", OtelTokens.NONE))), AT.plusSeconds(1));
    }

    @Test
    void countersWithTheUserResolvedAndTheDirectorysTeams() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            pushes(store);
            assertEquals("""
                    cursor_exporter_otlp_last_received_timestamp_seconds{signal="logs"} 1.773831601E9
                    cursor_exporter_otlp_last_received_timestamp_seconds{signal="metrics"} 1.7738316E9
                    cursor_otel_cost_usd_total{location="Berlin",model="gpt-5",surface="desktop",team="Platform",user="ana@acme.io"} 1.25
                    cursor_otel_event_outcomes_total{event="cursor.cloud_agent.setup",location="London",outcome="failed",surface="cloud_agent",team="Payments"} 1.0
                    cursor_otel_event_outcomes_total{event="cursor.hook.execution_complete",location="unknown",outcome="blocked",surface="cli",team="unassigned"} 1.0
                    cursor_otel_log_events_total{event="cursor.cloud_agent.mcp_auth_error",location="unknown",surface="cloud_agent",team="unassigned"} 1.0
                    cursor_otel_log_events_total{event="cursor.cloud_agent.setup",location="London",surface="cloud_agent",team="Payments"} 1.0
                    cursor_otel_log_events_total{event="cursor.hook.execution_complete",location="unknown",surface="cli",team="unassigned"} 1.0
                    cursor_otel_mcp_auth_errors_total{mcp_server="github"} 1.0
                    cursor_otel_tokens_total{location="Berlin",model="gpt-5",surface="desktop",team="Platform",token_type="cache_write",user="ana@acme.io"} 30.0
                    cursor_otel_tokens_total{location="London",model="gpt-5",surface="cli",team="Payments",token_type="input",user="bo@acme.io"} 40.0
                    cursor_otel_tokens_total{location="unknown",model="gpt-5",surface="cloud_agent",team="unassigned",token_type="input",user="unknown"} 7.0
                    cursor_otel_tool_calls_total{location="London",mcp_server="linear",status="success",surface="cli",team="Payments",tool="search",tool_kind="mcp"} 3.0
                    """, GroupExposition.of(new OtelMetrics(store)).samples());
        }
    }

    @Test
    void theUserLabelModeNoneDropsTheLabelAndSumsTheUsers() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            pushes(store);
            store.otel().apply(new OtelBatch("metrics", List.of(new OtelIncrement(OtelFamily.TOKENS,
                    new OtelIdentity("dee@acme.io", ""), List.of("desktop", "gpt-5", "cache_write"), 5, DAY)),
                    List.of()),
                    AT);
            String samples = GroupExposition.of(new OtelMetrics(store), MetricsFixture.DIRECTORY, UserLabelMode.NONE,
                    MetricsFixture.ACCOUNT).samples();
            assertTrue(samples.contains("cursor_otel_tokens_total{location=\"Berlin\",model=\"gpt-5\","
                    + "surface=\"desktop\",team=\"Platform\",token_type=\"cache_write\"} 35.0"), samples);
            assertTrue(!samples.contains("user="), samples);
        }
    }

    @Test
    void theHashModeShowsThePseudonymOfTheResolvedMember() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            pushes(store);
            dev.cursorexporter.directory.UserLabeler hash = new dev.cursorexporter.directory.UserLabeler(
                    UserLabelMode.HASH, java.util.Optional.of(new dev.cursorexporter.model.Secret("pepper")));
            SnapshotBuilder builder = new SnapshotBuilder(List.of(new OtelMetrics(store)),
                    List.of(MetricsFixture.ACCOUNT), () -> MetricsFixture.DIRECTORY, hash, MetricsFixture.CLOCK,
                    TestSnapshots.DEFAULT_LIMITS, null);
            List<String> users = builder.build().families().stream().filter(f -> f.name().equals(OtelMetrics.TOKENS))
                    .flatMap(f -> f.samples().stream()).map(x -> x.labelValues().get(0)).sorted().toList();
            assertEquals(java.util.stream.Stream.of(hash.label(MetricsFixture.ANA).orElseThrow(),
                    hash.label(MetricsFixture.BO).orElseThrow(), "unknown").sorted().toList(), users);
            assertTrue(users.stream().noneMatch(u -> u.contains("@")), users.toString());
        }
    }

    @Test
    void severalAccountsDoNotAddAnAccountLabel() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsFixture.members(store);
            pushes(store);
            String samples = GroupExposition.of(new OtelMetrics(store), MetricsFixture.DIRECTORY, UserLabelMode.EMAIL,
                    MetricsFixture.ACCOUNT, "second").samples();
            assertTrue(samples.contains("user=\"bo@acme.io\""), "bo resolved through the first account: " + samples);
            assertTrue(!samples.contains("account="), samples);
        }
    }

    @Test
    void theSeriesCapFoldsIntoOtherAndKeepsTheTotal() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            List<OtelIncrement> many = new java.util.ArrayList<>();
            for (int i = 0; i < 150; i++) {
                many.add(new OtelIncrement(OtelFamily.TOKENS, new OtelIdentity("u" + i + "@acme.io", ""),
                        List.of("cli", "gpt-5", "input"), 2, DAY));
            }
            store.otel().apply(new OtelBatch("metrics", many, List.of()), AT);
            SnapshotBuilder builder = new SnapshotBuilder(List.of(new OtelMetrics(store)),
                    List.of(MetricsFixture.ACCOUNT), () -> MetricsFixture.DIRECTORY,
                    new dev.cursorexporter.directory.UserLabeler(UserLabelMode.EMAIL, java.util.Optional.empty()),
                    MetricsFixture.CLOCK, new SeriesLimits(100, 1000, 100), store);
            MetricFamily tokens = builder.build().families().stream()
                    .filter(f -> f.name().equals(OtelMetrics.TOKENS)).findFirst().orElseThrow();
            assertTrue(tokens.samples().size() <= 101, "capped: " + tokens.samples().size());
            assertEquals(300, tokens.samples().stream().mapToDouble(MetricFamily.Sample::value).sum());
        }
    }
}
