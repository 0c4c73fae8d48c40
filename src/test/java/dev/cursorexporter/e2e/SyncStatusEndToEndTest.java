package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.AppOptions;
import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.RecordedRequest;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/status}, {@code POST /admin/sync}, a refused key, and an API that keeps less history than asked. */
class SyncStatusEndToEndTest {
    private static final Set<String> CORE = Set.of("members", "spend", "daily_usage", "usage_events");
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private static Simulator simulator(SimulatorOptions.Builder b) {
        return Simulator.start(b.users(8).seed(9).live(false).clock(CLOCK).rateLimits(false).build());
    }

    @Test
    void statusShowsEverySourceAndTheBackfillAndForcedSyncsPollAgain() {
        try (Simulator sim = simulator(SimulatorOptions.builder().days(40))) {
            TestClock clock = new TestClock(NOW);
            // 39 complete days before today plus today: exactly the simulator's 40 days of history
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 39, UserLabelMode.EMAIL), clock)) {
                Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                assertEquals(40.0 * 86_400, scrape.sum("cursor_exporter_backfill_covered_seconds", l -> true) / 2);
                assertEquals(2.0, scrape.sum("cursor_exporter_backfill_progress_ratio", l -> true));
                assertEquals(0.0, scrape.sum("cursor_exporter_auth_failing", l -> true));

                HttpResponse<String> raw = Http.get(exporter.url("/api/v1/status"));
                assertEquals(200, raw.statusCode());
                assertFalse(raw.body().contains(sim.apiKey()), "no secret in the status");
                JsonNode status = json(raw.body());
                assertEquals("live", status.get("mode").asText());
                assertFalse(status.get("version").asText().isBlank());
                assertEquals("sqlite", status.at("/store/kind").asText());
                assertTrue(status.at("/store/sizeBytes").asLong() > 0);
                JsonNode account = status.at("/accounts/0");
                assertEquals("default", account.get("name").asText());
                assertFalse(account.get("authFailing").asBoolean());
                assertEquals(Source.values().length, account.get("sources").size());
                for (JsonNode source : account.get("sources")) {
                    assertEquals("available", source.get("availability").asText(), source.toString());
                    assertEquals(NOW.toString(), source.get("lastSuccess").asText());
                    assertTrue(source.get("lastError").isNull());
                }
                JsonNode events = account.get("sources").get(3);
                assertEquals("usage_events", events.get("source").asText());
                assertEquals(40, events.at("/backfill/daysCovered").asInt());
                assertEquals(40, events.at("/backfill/daysTotal").asInt());
                assertEquals(1.0, events.at("/backfill/ratio").asDouble());
                assertEquals(LocalDate.of(2026, 10, 12).toString(), events.at("/backfill/oldestDay").asText());
                assertNull(account.get("sources").get(0).get("backfill"), "members have no backfill");

                HttpResponse<String> bad = Http.post(exporter.url("/admin/sync?source=billing"));
                assertEquals(400, bad.statusCode());
                assertEquals("unknown source 'billing'; expected one of members, spend, daily_usage, usage_events, "
                        + "billing_groups, analytics, ai_code, audit_logs",
                        json(bad.body()).get("error").asText());
                assertEquals(400, Http.post(exporter.url("/admin/sync?account=other")).statusCode());

                long spendCalls = sim.requestCount("/teams/spend");
                long memberCalls = sim.requestCount("/teams/members");
                clock.advance(Duration.ofMinutes(1));
                HttpResponse<String> accepted = Http.post(exporter.url("/admin/sync?source=spend"));
                assertEquals(202, accepted.statusCode());
                assertEquals("{\"status\":\"queued\",\"accounts\":[\"default\"],\"sources\":[\"spend\"]}",
                        accepted.body());
                Http.await(SYNC_TIMEOUT, "the forced spend poll", () -> sim.requestCount("/teams/spend") > spendCalls);
                assertEquals(memberCalls, sim.requestCount("/teams/members"), "only the named source");
            }
        }
    }

    @Test
    void aRefusedKeyIsReportedNotFatalAndEverySourceShowsDown() {
        try (Simulator sim = simulator(SimulatorOptions.builder().days(10))) {
            ExporterConfig good = ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL);
            ExporterConfig wrongKey = good.toBuilder().port(0).dataDir(dataDir).backfillDays(10).lookbackDays(2)
                    .accounts(List.of(new AccountConfig("default", new Secret("crsr_wrong_SECRET"), sim.baseUrl())))
                    .userLabel(UserLabelMode.EMAIL).build();
            try (ExporterHarness exporter = ExporterHarness.start(wrongKey, CLOCK,
                    AppOptions.defaults().withClientSettings(ExporterHarness.fastRetries()))) {
                Http.await(SYNC_TIMEOUT, "auth failing", () ->
                        exporter.scrape().sum("cursor_exporter_auth_failing", l -> true) == 1.0);
                // every source has had its first run: the core four refused, the Enterprise four not called
                Http.await(SYNC_TIMEOUT, "every source tried", () -> {
                    JsonNode sources = json(Http.get(exporter.url("/api/v1/status")).body()).at("/accounts/0/sources");
                    for (JsonNode s : sources) {
                        if (!"failing".equals(s.get("availability").asText())) {
                            return false;
                        }
                    }
                    return sources.size() == Source.values().length;
                });
                Exposition scrape = exporter.scrape();
                assertEquals(0.0, scrape.sum("cursor_exporter_source_up", l -> true));
                assertEquals(CORE.size(),
                        scrape.sum("cursor_exporter_api_requests_total", l -> "401".equals(l.get("code"))),
                        "one call per core source, no retry of a 401, no Enterprise probe with a refused key");
                assertEquals(0, scrape.samples("cursor_exporter_source_available").size(),
                        "no conclusion about the plan from a refused key");
                assertEquals(503, Http.get(exporter.url("/readyz")).statusCode(), "nothing synced: not ready");
                String status = Http.get(exporter.url("/api/v1/status")).body();
                assertFalse(status.contains("SECRET"));
                JsonNode account = json(status).at("/accounts/0");
                assertTrue(account.get("authFailing").asBoolean());
                assertTrue(account.get("authError").asText().contains("HTTP 401"), account.toString());
                assertEquals(200, Http.get(exporter.url("/healthz")).statusCode(), "the exporter stays up");
            }
        }
    }

    /**
     * A wrong key and then the right one on the same data dir: the refused key left no conclusion about the plan
     * (and the refusal is shown at once after the restart until the first poll clears it); with the right key the
     * Enterprise sources are probed at start and available within 2 minutes.
     */
    @Test
    void aWrongKeyThenTheRightOneMakesTheEnterpriseSourcesAvailable() {
        try (Simulator sim = simulator(SimulatorOptions.builder().days(10))) {
            ExporterConfig good = ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL);
            ExporterConfig wrongKey = good.toBuilder().port(0).dataDir(dataDir).backfillDays(10).lookbackDays(2)
                    .accounts(List.of(new AccountConfig("default", new Secret("crsr_wrong_SECRET"), sim.baseUrl())))
                    .userLabel(UserLabelMode.EMAIL).build();
            AppOptions fast = AppOptions.defaults().withClientSettings(ExporterHarness.fastRetries());
            try (ExporterHarness exporter = ExporterHarness.start(wrongKey, CLOCK, fast)) {
                Http.await(SYNC_TIMEOUT, "auth failing", () ->
                        exporter.scrape().sum("cursor_exporter_auth_failing", l -> true) == 1.0);
            }
            Instant restart = Instant.now();
            try (ExporterHarness exporter = ExporterHarness.start(good, CLOCK, fast)) {
                Http.await(Duration.ofMinutes(2), "Enterprise sources available", () -> {
                    Exposition scrape = exporter.scrape();
                    return scrape.sum("cursor_exporter_source_available", l -> true)
                            == Source.values().length - CORE.size()
                            && scrape.sum("cursor_exporter_auth_failing", l -> true) == 0.0;
                });
                System.out.println("RESULT wrong key then right key: Enterprise sources available "
                        + Duration.between(restart, Instant.now()).toMillis() + " ms after the restart");
                JsonNode sources = json(Http.get(exporter.url("/api/v1/status")).body()).at("/accounts/0/sources");
                for (JsonNode s : sources) {
                    assertEquals("available", s.get("availability").asText(), s.toString());
                }
                assertEquals(200, Http.get(exporter.url("/readyz")).statusCode());
            }
        }
    }

    @Test
    void aSlowAnswerIsRetriedAndASourceThatKeepsFailingIsDownButKeepsItsLastGoodData() {
        try (Simulator sim = simulator(SimulatorOptions.builder().days(10)
                .faults(dev.cursorexporter.simulator.FaultOptions.NONE.withSlowDelay(Duration.ofSeconds(2))))) {
            TestClock clock = new TestClock(NOW);
            sim.faults().slowNext(1); // the first call (members) outlasts the read timeout
            AppOptions options = AppOptions.defaults().withClientSettings(ExporterHarness.fastRetries()
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(5)));
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 10, UserLabelMode.EMAIL), clock, options)) {
                Exposition first = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                assertEquals(1.0, first.sum("cursor_exporter_api_requests_total", l -> "error".equals(l.get("code"))),
                        "the timed-out call is counted as error");
                assertScrapeMatches(sim.totals(), first);

                sim.faults().burst429(10, false); // more than the ten attempts of a page
                clock.advance(Duration.ofMinutes(1));
                assertEquals(202, Http.post(exporter.url("/admin/sync?source=spend")).statusCode());
                Http.await(SYNC_TIMEOUT, "spend down", () ->
                        exporter.scrape().sum("cursor_exporter_source_up", l -> "spend".equals(l.get("source"))) == 0);
                Exposition down = exporter.scrape();
                assertEquals(Source.values().length - 1, down.sum("cursor_exporter_source_up", l -> true),
                        "the other sources stay up");
                assertEquals(first.sumBy("cursor_cycle_spend_usd", "user"), down.sumBy("cursor_cycle_spend_usd", "user"),
                        "the last good spend is still served");
                assertEquals(NOW.getEpochSecond(), down.sum("cursor_exporter_source_last_success_timestamp_seconds",
                        l -> "spend".equals(l.get("source"))));
                JsonNode spend = json(Http.get(exporter.url("/api/v1/status")).body()).at("/accounts/0/sources/1");
                assertEquals("failing", spend.get("availability").asText());
                assertTrue(spend.get("lastError").asText().contains("HTTP 429"), spend.toString());
                assertEquals(clock.instant().toString(), spend.get("lastErrorAt").asText());
                assertEquals(0.0, down.sum("cursor_exporter_auth_failing", l -> true), "a 429 is not an auth problem");
            }
        }
    }

    @Test
    void emptyOldWindowsEndTheBackfillCleanlyAndAreNotFetchedAgain() {
        // Cursor keeps 20 days; the exporter asks for 120.
        try (Simulator sim = simulator(SimulatorOptions.builder().days(120).retentionDays(20))) {
            TestClock clock = new TestClock(NOW);
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 120, UserLabelMode.EMAIL), clock)) {
                Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                assertScrapeMatches(sim.totals(), scrape);
                // look-back, the window reaching past the retention, one empty window; not the two older ones
                assertEquals(3, windows(sim, "/teams/daily-usage-data").size(), windows(sim, "/teams/daily-usage-data").toString());
                assertEquals(3, windows(sim, "/teams/filtered-usage-events").size());
                assertEquals(2.0, scrape.sum("cursor_exporter_backfill_progress_ratio", l -> true),
                        "the backfill is complete for both sources");

                int before = sim.requests().size();
                clock.advance(Duration.ofMinutes(1));
                assertEquals(202, Http.post(exporter.url("/admin/sync")).statusCode());
                exporter.awaitAllSourcesSince(clock.instant().getEpochSecond(), SYNC_TIMEOUT);
                List<RecordedRequest> again = sim.requests().subList(before, sim.requests().size());
                String lookbackStart = Long.toString(Instant.parse("2026-11-18T00:00:00Z").toEpochMilli());
                again.stream().filter(r -> r.body().contains("startDate")).forEach(r ->
                        assertTrue(r.body().contains("\"startDate\":" + lookbackStart), "only the look-back: " + r));
            }
        }
    }

    private static List<String> windows(Simulator sim, String path) {
        return sim.requests().stream().filter(r -> r.path().equals(path))
                .map(r -> json(r.body()).get("startDate").asText() + ".." + json(r.body()).get("endDate").asText())
                .distinct().toList();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
