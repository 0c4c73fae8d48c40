package dev.cursorexporter.e2e;

import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.RecordedRequest;
import dev.cursorexporter.simulator.RemovedMembers;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter against the simulator over real HTTP with a real store file: every total in {@code /metrics}
 * equals the simulator's own, independently computed totals.
 */
class ExporterEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private static Simulator simulator(Profile profile, RemovedMembers removed) {
        return Simulator.start(SimulatorOptions.builder().users(25).days(45).seed(7).profile(profile)
                .removedMembers(removed).live(false).clock(CLOCK).build());
    }

    @ParameterizedTest(name = "{0}, removed members {1}")
    @CsvSource({"DOCS_LATEST, LISTED", "OBSERVED_2026_01, ABSENT", "OBSERVED_2026_01, LISTED"})
    void metricsEqualTheSimulatorsTotals(Profile profile, RemovedMembers removed) {
        try (Simulator sim = simulator(profile, removed);
             ExporterHarness exporter = ExporterHarness.start(
                     ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK)) {
            Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            SimulatorTotals totals = sim.totals();
            assertTrue(totals.duplicateEvents() > 0, "the organisation has genuinely repeated events");
            assertTrue(totals.eventsWithoutEmail() > 0, "removed members' events have no e-mail");
            assertScrapeMatches(totals, scrape);
            assertEquals(dev.cursorexporter.model.Source.values().length,
                    scrape.sum("cursor_exporter_source_up", l -> true), "all sources up");
            assertEquals(1, scrape.samples("cursor_exporter_build_info").size());
            assertEquals("live", scrape.samples("cursor_exporter_build_info").get(0).labels().get("mode"));
            // on SQLite the process is the only one on its store: it always polls
            assertEquals(List.of(new Exposition.Sample("cursor_exporter_poller", java.util.Map.of("account", "default"),
                    1.0)), scrape.samples("cursor_exporter_poller"));
            for (String receiver : List.of("cursor_exporter_otlp_enabled",
                    "cursor_exporter_otlp_started_timestamp_seconds", "cursor_exporter_otlp_silent_after_seconds")) {
                assertEquals(List.of(), scrape.samples(receiver), receiver + ": the OTLP receiver is off");
            }
            assertTrue(Http.get(exporter.url("/readyz")).statusCode() == 200);
        }
    }

    @Test
    void aRestartServesStoredDataAtOnceAndFetchesOnlyTheLookBack() {
        try (Simulator sim = simulator(Profile.DOCS_LATEST, RemovedMembers.LISTED)) {
            try (ExporterHarness first = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK)) {
                first.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            }
            int before = sim.requests().size();
            Clock later = Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC);
            try (ExporterHarness second = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), later)) {
                // Served from the store before the second sync has finished anything new.
                Exposition scrape = second.awaitAllSourcesSince(NOW.plusSeconds(60).getEpochSecond(), SYNC_TIMEOUT);
                assertScrapeMatches(sim.totals(), scrape);
            }
            List<RecordedRequest> secondRun = sim.requests().subList(before, sim.requests().size());
            List<RecordedRequest> daily = secondRun.stream()
                    .filter(r -> r.path().equals("/teams/daily-usage-data")).toList();
            assertEquals(1, daily.size(), "only the look-back window of daily usage: " + daily);
            String lookbackStart = Long.toString(Instant.parse("2026-11-18T00:00:00Z").toEpochMilli());
            assertTrue(daily.get(0).body().contains("\"startDate\":" + lookbackStart), daily.get(0).body());
            secondRun.stream().filter(r -> r.path().equals("/teams/filtered-usage-events"))
                    .forEach(r -> assertTrue(r.body().contains("\"startDate\":" + lookbackStart),
                            "events re-read only from the look-back start: " + r.body()));
        }
    }

    @Test
    void userLabelNoneDropsTheUserLabelAndKeepsTheTotals() {
        try (Simulator sim = simulator(Profile.DOCS_LATEST, RemovedMembers.LISTED);
             ExporterHarness exporter = ExporterHarness.start(
                     ExporterHarness.config(sim, dataDir, 60, UserLabelMode.NONE), CLOCK)) {
            Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            scrape.all().forEach(s -> assertFalse(s.labels().containsKey("user"), s.toString()));
            HttpResponse<String> raw = Http.get(exporter.url("/metrics"));
            assertFalse(raw.body().contains("@"), "no e-mail anywhere in the scrape");
            SimulatorTotals totals = sim.totals();
            double expectedCost = totals.totalCostCents().movePointLeft(2).doubleValue();
            assertEquals(expectedCost, scrape.sum("cursor_usage_cost_usd_total", l -> true), 0.005);
            assertEquals(totals.totalEvents(), scrape.sum("cursor_usage_requests_total", l -> true));
        }
    }

    @Test
    void userLabelHashHidesEveryEmail() {
        try (Simulator sim = simulator(Profile.DOCS_LATEST, RemovedMembers.LISTED);
             ExporterHarness exporter = ExporterHarness.start(
                     ExporterHarness.config(sim, dataDir, 60, UserLabelMode.HASH), CLOCK)) {
            exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            String body = Http.get(exporter.url("/metrics")).body();
            assertFalse(body.contains("@"), "no e-mail anywhere in the scrape");
            assertTrue(body.matches("(?s).*user=\"u_[0-9a-f]{16}\".*"), "pseudonyms present");
            assertTrue(body.contains("user=\"unknown\""), "removed members stay unknown");
        }
    }

    @Test
    void scrapeNegotiatesOpenMetrics() {
        try (Simulator sim = simulator(Profile.DOCS_LATEST, RemovedMembers.LISTED);
             ExporterHarness exporter = ExporterHarness.start(
                     ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK)) {
            exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
            HttpResponse<String> text = Http.get(exporter.url("/metrics"));
            assertTrue(text.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            HttpResponse<String> om = Http.get(exporter.url("/metrics"),
                    "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertTrue(om.headers().firstValue("Content-Type").orElseThrow().startsWith("application/openmetrics-text"));
            assertTrue(om.body().endsWith("# EOF\n"));
        }
    }
}
