package dev.cursorexporter.e2e;

import dev.cursorexporter.metrics.TestSnapshots;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.cursor.CursorClient;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.metrics.MetricsPlane;
import dev.cursorexporter.metrics.SnapshotBuilder;
import dev.cursorexporter.simulator.EnterpriseMode;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.sync.AccountSync;
import dev.cursorexporter.sync.WindowPlanner;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.TestClock;
import dev.cursorexporter.testing.ExporterHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Enterprise sources against the simulator over real HTTP with a real store file: available (metrics equal
 * the simulator's totals), unavailable in both plan-gate shapes (visible, others undisturbed, re-probed daily),
 * and 304s for unchanged Analytics answers.
 */
class EnterpriseEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Source> ENTERPRISE = List.of(Source.BILLING_GROUPS, Source.ANALYTICS, Source.AI_CODE);

    @TempDir
    Path dataDir;

    private static SimulatorOptions.Builder options(EnterpriseMode mode) {
        return SimulatorOptions.builder().users(25).days(45).seed(7).profile(Profile.DOCS_LATEST).live(false)
                .clock(CLOCK).enterprise(mode);
    }

    @Test
    void availableSourcesEqualTheSimulatorsTotals() throws IOException {
        try (Simulator sim = Simulator.start(options(EnterpriseMode.ON).build());
             ExporterHarness exporter = ExporterHarness.start(
                     ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK)) {
            Exposition m = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            SimulatorTotals t = sim.totals();
            assertScrapeMatches(t, m);
            assertEquals(Source.values().length, m.sum("cursor_exporter_source_up", l -> true), "all sources up");
            for (Source s : ENTERPRISE) {
                assertEquals(1, m.sum("cursor_exporter_source_available", l -> s.label().equals(l.get("source"))));
            }
            for (String source : List.of("tab", "composer", "non_ai")) {
                Map<String, Double> expected = new TreeMap<>();
                t.aiCodeLinesAddedByUser().forEach((user, bySource) -> {
                    if (bySource.get(source) != 0) {
                        expected.put(user, bySource.get(source).doubleValue());
                    }
                });
                Map<String, Double> actual = new TreeMap<>(m.sumBy("cursor_ai_code_lines_added_total", "user",
                        l -> source.equals(l.get("source"))));
                actual.values().removeIf(v -> v == 0);
                assertEquals(expected, actual, "committed " + source + " lines by user");
            }
            assertEquals(doubles(t.aiCodeCommitsByUser()), m.sumBy("cursor_ai_code_commits_total", "user"));
            assertEquals(doubles(t.modelMessagesByModel()), m.sumBy("cursor_model_messages_total", "model"));
            assertEquals((double) t.agentEditsByOutcome().get("accepted"),
                    m.sum("cursor_agent_edits_total", l -> "accepted".equals(l.get("outcome"))));
            assertEquals((double) t.dauByDay().get(t.newestDay()), m.sum("cursor_analytics_dau", l -> true));
            Map<String, Double> groupSpend = new TreeMap<>();
            t.billingGroupSpendCentsByGroup().forEach((k, v) -> groupSpend.put(k, v.movePointLeft(2).doubleValue()));
            assertEquals(groupSpend, m.sumBy("cursor_billing_group_spend_usd", "team"));
            assertEquals(t.cycleEndMs() / 1000.0, m.sum("cursor_cycle_end_timestamp_seconds", l -> true), 0.001);
            assertTrue(m.samples("cursor_client_version_users").size() > 0);
            assertTrue(sim.requestCount("/analytics/ai-code/commits") > 0);
            assertEquals(doubles(t.auditEventsByType()), m.sumBy("cursor_audit_events_total", "event_type"));
            assertTrue(t.auditEventsByType().keySet().containsAll(List.of("login", "team_settings")),
                    t.auditEventsByType().toString());

            // Privacy: the simulator sends a message with every commit; none reaches the store.
            String stored = storeText();
            // nor the audit log's IP addresses and changed values
            for (String secret : List.of("198.51.100.", "203.0.113.7", "team_hard_limit_dollars", "LOGIN_TYPE_WEB")) {
                assertFalse(stored.contains(secret), "audit detail in the store: " + secret);
            }
            for (String message : List.of("Fix flaky retry test", "Add pagination", "Refactor config loading",
                    "Bump dependencies", "Handle empty responses")) {
                assertFalse(stored.contains(message), "commit message in the store: " + message);
            }
        }
    }

    private String storeText() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(SqliteStore.FILE_NAME)).toList()) {
                sb.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(sb.indexOf("acme/") >= 0, "the store file was read (repo names are stored)");
        return sb.toString();
    }

    private static <N extends Number> Map<String, Double> doubles(Map<String, N> map) {
        Map<String, Double> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.doubleValue()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = EnterpriseMode.class, names = {"OFF", "OFF_DOCS"})
    void unavailableSourcesAreVisibleAndTheOthersUndisturbed(EnterpriseMode mode) {
        try (Simulator sim = Simulator.start(options(mode).build());
             ExporterHarness exporter = ExporterHarness.start(
                     ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK)) {
            Exposition m = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            assertScrapeMatches(sim.totals(), m);
            assertEquals(Source.values().length, m.sum("cursor_exporter_source_up", l -> true),
                    "a plan gate is not a failed poll");
            for (Source s : ENTERPRISE) {
                assertEquals(List.of(0.0), m.samples("cursor_exporter_source_available").stream()
                        .filter(x -> s.label().equals(x.labels().get("source"))).map(Exposition.Sample::value)
                        .toList(), s.label());
            }
            assertEquals(List.of(), m.samples("cursor_ai_code_commits_total"));
            assertEquals(List.of(), m.samples("cursor_billing_group_spend_usd"));
            assertEquals(List.of(), m.samples("cursor_audit_events_total"));
            assertEquals(1, sim.requestCount("/analytics/ai-code/commits"), "one probe, no retries");
            assertEquals(1, sim.requestCount("/teams/audit-logs"), "one probe, no retries");
            assertEquals(1, sim.requestCount("/analytics/team/dau"), "the first metric's answer stops the job");
        }
    }

    /** The account's sync driven by hand, with the metrics built from its store as the exporter would. */
    private static final class Rig implements AutoCloseable {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final SqliteStore store;
        final CursorClient client;
        final AccountSync sync;
        final MetricsPlane metrics;

        Rig(Simulator sim, Path dir, Clock clock) {
            store = SqliteStore.open(dir);
            client = new CursorClient(sim.baseUrl(), new Secret(sim.apiKey()), ClientSettings.defaults(),
                    (endpoint, code) -> calls.add(endpoint + " " + code), wait -> { }, clock);
            metrics = new MetricsPlane(TestSnapshots.builder(store, List.of("default"), () -> Directory.EMPTY,
                    new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), clock), "test", "live");
            Map<Source, Duration> intervals = new java.util.EnumMap<>(Source.class);
            for (Source s : Source.values()) {
                intervals.put(s, Duration.ofHours(1));
            }
            sync = new AccountSync("default", client, client.enterprise(), store,
                    new WindowPlanner(45, 2, CursorApi.MAX_WINDOW_DAYS), intervals, clock, metrics::refresh);
        }

        Exposition scrape() {
            return Exposition.parse(new String(metrics.scrape("text/plain").body(), StandardCharsets.UTF_8));
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }

        @Override
        public void close() {
            sync.close();
            client.close();
            store.close();
        }
    }

    @Test
    void anUnavailableSourceIsProbedAgainAfterADayAndThenServed() {
        TestClock clock = new TestClock(NOW);
        try (Simulator sim = Simulator.start(options(EnterpriseMode.OFF).rateLimits(false).build());
             Rig rig = new Rig(sim, dataDir, clock)) {
            assertTrue(rig.sync.runOnce(Source.AI_CODE));
            assertEquals(1, rig.count("/analytics/ai-code/commits 401"));
            assertEquals(0, rig.scrape().sum("cursor_exporter_source_available", l -> true));

            sim.enterprise(EnterpriseMode.ON);
            clock.advance(Duration.ofHours(23));
            assertTrue(rig.sync.runOnce(Source.AI_CODE));
            assertEquals(1, rig.calls.size(), "not probed again within the day: " + rig.calls);

            clock.advance(Duration.ofHours(2));
            assertTrue(rig.sync.runOnce(Source.AI_CODE));
            assertTrue(rig.count("/analytics/ai-code/commits 200") > 0, rig.calls.toString());
            Exposition m = rig.scrape();
            assertEquals(1, m.sum("cursor_exporter_source_available", l -> true));
            assertTrue(m.sum("cursor_ai_code_commits_total", l -> true) > 0);
        }
    }

    @Test
    void unchangedAnalyticsAnswersAre304sAndKeepTheStoredData() {
        TestClock clock = new TestClock(NOW);
        try (Simulator sim = Simulator.start(options(EnterpriseMode.ON).rateLimits(false).build());
             Rig rig = new Rig(sim, dataDir, clock)) {
            assertTrue(rig.sync.runOnce(Source.ANALYTICS));
            Exposition first = rig.scrape();
            long ok = rig.count("/analytics/team/models 200");
            assertEquals(3, ok, "45 days of backfill in two windows plus the look-back: " + rig.calls);
            assertEquals(0, rig.count("/analytics/team/models 304"));

            clock.advance(Duration.ofMinutes(10)); // the frozen simulator's data has not changed
            rig.calls.clear();
            assertTrue(rig.sync.runOnce(Source.ANALYTICS));
            assertEquals(List.of("/analytics/team/dau 304", "/analytics/team/models 304",
                    "/analytics/team/agent-edits 304", "/analytics/team/tabs 304",
                    "/analytics/team/client-versions 304"), rig.calls, "only the look-back window, all 304");
            Exposition second = rig.scrape();
            assertEquals(first.sumBy("cursor_model_messages_total", "model"),
                    second.sumBy("cursor_model_messages_total", "model"));
            assertEquals(sim.totals().modelMessagesByModel().values().stream().mapToLong(Long::longValue).sum(),
                    second.sum("cursor_model_messages_total", l -> true));
            assertEquals(first.sum("cursor_analytics_dau", l -> true), second.sum("cursor_analytics_dau", l -> true));
        }
    }
}
