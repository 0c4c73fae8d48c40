package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.AppOptions;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.model.BudgetFamily;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.RecordedRequest;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.simulator.SimulatorTotals;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter against a misbehaving simulator over real HTTP: faults are retried until the totals are exact,
 * request budgets keep a full backfill free of 429s, and restated days raise counters that never go down.
 */
class ResilienceEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> API_PATHS = Set.of("/teams/members", "/teams/spend", "/teams/daily-usage-data",
            "/teams/filtered-usage-events");

    @TempDir
    Path dataDir;

    @Test
    void serverErrors429BurstsAndATruncatedPageAreRetriedAndTheTotalsStayExact() {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(20).days(40).seed(11)
                .profile(Profile.OBSERVED_2026_01).live(false).clock(CLOCK).rateLimits(false).errorRate(0.2)
                .build())) {
            sim.faults().burst429(4, false);
            sim.faults().truncateNext(1);
            AppOptions options = AppOptions.defaults().withClientSettings(ExporterHarness.fastRetries())
                    .withRateLimitWindow(Duration.ofMillis(100));
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL), CLOCK, options)) {
                Exposition scrape = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                assertScrapeMatches(sim.totals(), scrape);
                assertEquals(Source.values().length, scrape.sum("cursor_exporter_source_up", l -> true), "every source up");
                assertEquals(200, Http.get(exporter.url("/healthz")).statusCode());

                List<RecordedRequest> api = sim.requests().stream()
                        .filter(r -> !r.path().startsWith("/_simulator")).toList();
                Map<String, Double> byCode = scrape.sumBy("cursor_exporter_api_requests_total", "code");
                assertEquals(api.size(), scrape.sum("cursor_exporter_api_requests_total", l -> true),
                        "every call the simulator answered was counted: " + byCode);
                assertEquals(4.0, byCode.get("429"), "the burst: " + byCode);
                double serverErrors = byCode.getOrDefault("500", 0.0) + byCode.getOrDefault("502", 0.0)
                        + byCode.getOrDefault("503", 0.0);
                assertEquals(api.stream().filter(r -> r.status() >= 500).count(), (long) serverErrors, byCode.toString());
                assertTrue(serverErrors >= 3, "about a fifth of the calls failed: " + byCode);
            }
        }
    }

    @Test
    void withBudgetsOnAFullBackfillGetsNo429() {
        // Cursor's limits scaled to a one-second window: 4 admin and 8 usage-event requests per window; the
        // exporter allows itself 3 and 7. Data is frozen, the rate-limit windows follow the wall clock.
        Duration window = Duration.ofSeconds(1);
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(10).days(60).seed(5).live(false)
                .clock(Clock.systemUTC()).rateLimits(true).rateLimitWindow(window).adminRequestsPerMinute(4)
                .eventsRequestsPerMinute(8).build())) {
            Instant simNow = Instant.ofEpochMilli(sim.totals().nowMs());
            Clock clock = Clock.fixed(simNow, ZoneOffset.UTC);
            ExporterConfig config = ExporterHarness.withRateLimits(
                    ExporterHarness.config(sim, dataDir, 60, UserLabelMode.EMAIL),
                    Map.of(BudgetFamily.ADMIN, 3, BudgetFamily.USAGE_EVENTS, 7));
            AppOptions options = AppOptions.defaults().withRateLimitWindow(window)
                    .withClientSettings(ExporterHarness.fastRetries().withPageSizes(500, 500, 400));
            try (ExporterHarness exporter = ExporterHarness.start(config, clock, options)) {
                Exposition scrape = exporter.awaitAllSourcesSince(simNow.getEpochSecond(), SYNC_TIMEOUT);
                List<RecordedRequest> requests = sim.requests();
                assertEquals(List.of(), requests.stream().filter(r -> r.status() == 429).toList(), "no 429 answered");
                assertEquals(0.0, scrape.sum("cursor_exporter_api_requests_total", l -> "429".equals(l.get("code"))));
                long events = requests.stream().filter(r -> r.path().equals("/teams/filtered-usage-events")).count();
                long admin = requests.stream().filter(r -> API_PATHS.contains(r.path())).count() - events;
                assertTrue(events > 2 * 8 && admin > 4, "the backfill needed several windows of each family: "
                        + admin + " admin, " + events + " event requests");
                assertScrapeMatches(sim.totals(), scrape);
            }
        }
    }

    @Test
    void restatedDaysRaiseTheCountersWhichNeverGoDown() {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(15).days(30).seed(3).live(false)
                .clock(CLOCK).rateLimits(false).restateDays(2).build())) {
            TestClock clock = new TestClock(NOW);
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL), clock)) {
                Exposition first = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                SimulatorTotals original = sim.totals();
                assertScrapeMatches(original, first);

                sim.restate(3);
                SimulatorTotals raised = sim.totals();
                assertTrue(raised.totalEvents() > original.totalEvents());
                Exposition second = pollAgain(exporter, clock);
                assertScrapeMatches(raised, second);
                assertNeverDown(first, second);

                sim.restate(0); // Cursor lowering a day: the exporter's counters must hold
                Exposition third = pollAgain(exporter, clock);
                assertNeverDown(second, third);
                assertEquals(raised.totalEvents(), third.sum("cursor_usage_requests_total", l -> true));
                assertEquals(raised.totalCostCents().movePointLeft(2).doubleValue(),
                        third.sum("cursor_usage_cost_usd_total", l -> true), 0.005);
                assertEquals(raised.linesAddedByUser().values().stream().mapToLong(Long::longValue).sum(),
                        third.sum("cursor_lines_added_total", l -> "all".equals(l.get("source"))));
            }
        }
    }

    /**
     * Cursor finalising billing (REFERENCE.md Q21): events of the look-back days re-classified as not charged or
     * restated cheaper. The next poll replaces them: counters minus withdrawn, and the per-day history, equal the
     * simulator's corrected totals to the cent; no counter goes down; taking the corrections back restores it all.
     */
    @Test
    void correctedEventsReplaceTheirOldVersionsAndTotalsEqualCursors() {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(15).days(30).seed(5).live(false)
                .clock(CLOCK).rateLimits(false).restateDays(2).build())) {
            TestClock clock = new TestClock(NOW);
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL), clock)) {
                Exposition first = exporter.awaitAllSourcesSince(NOW.getEpochSecond(), SYNC_TIMEOUT);
                SimulatorTotals original = sim.totals();
                assertScrapeMatches(original, first);
                assertEquals(List.of(), first.samples("cursor_usage_withdrawn_cost_usd_total"));

                sim.correct(3);
                SimulatorTotals corrected = sim.totals();
                BigDecimal taken = original.totalCostCents().subtract(corrected.totalCostCents());
                assertTrue(taken.signum() > 0, "the correction lowers Cursor's cost");
                assertEquals(original.totalEvents(), corrected.totalEvents(), "a correction moves, never adds");
                Exposition second = pollAgain(exporter, clock);
                assertNeverDown(first, second);
                assertHistoryMatches(exporter, corrected);
                assertScrapeMatches(corrected, second.netOfWithdrawn());
                assertEquals(taken.movePointLeft(2).doubleValue(),
                        second.sum("cursor_usage_withdrawn_cost_usd_total", l -> true), 0.005);
                assertHistoryMatches(exporter, corrected);

                sim.correct(0);
                Exposition third = pollAgain(exporter, clock);
                assertNeverDown(second, third);
                assertScrapeMatches(original, third.netOfWithdrawn());
                assertHistoryMatches(exporter, original);
            }
        }
    }

    /** Σ of /api/v1/daily cost over every day equals the simulator's total cost, day by day. */
    private static void assertHistoryMatches(ExporterHarness exporter, SimulatorTotals t) {
        String from = LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(40).toString();
        String to = LocalDate.ofInstant(NOW, ZoneOffset.UTC).toString();
        JsonNode rows;
        try {
            rows = new ObjectMapper().readTree(Http.get(exporter.url("/api/v1/daily?from=" + from + "&to=" + to))
                    .body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, BigDecimal> byDay = new TreeMap<>();
        for (JsonNode r : rows) {
            if (r.path("costUsd").isNumber()) {
                byDay.merge(r.path("date").asText(), r.path("costUsd").decimalValue(), BigDecimal::add);
            }
        }
        byDay.values().removeIf(v -> v.signum() == 0);
        Map<String, BigDecimal> expected = new TreeMap<>();
        t.costCentsByDay().forEach((day, cents) -> {
            if (cents.signum() != 0) {
                expected.put(day, cents.movePointLeft(2));
            }
        });
        assertEquals(expected.keySet(), byDay.keySet(), "days with cost");
        expected.forEach((day, usd) -> assertEquals(usd.doubleValue(), byDay.get(day).doubleValue(), 0.005,
                "cost of " + day));
    }

    /** Moves the exporter's clock a minute on, forces a poll of every source and waits for it. */
    private static Exposition pollAgain(ExporterHarness exporter, TestClock clock) {
        clock.advance(Duration.ofMinutes(1));
        assertEquals(202, Http.post(exporter.url("/admin/sync")).statusCode());
        return exporter.awaitAllSourcesSince(clock.instant().getEpochSecond(), SYNC_TIMEOUT);
    }

    private static final Set<String> COUNTERS = Set.of("cursor_usage_cost_usd_total", "cursor_usage_requests_total",
            "cursor_usage_tokens_total", "cursor_lines_added_total", "cursor_tab_completions_total",
            "cursor_feature_requests_total");

    private static void assertNeverDown(Exposition before, Exposition after) {
        Map<String, Double> later = after.all().stream().filter(s -> COUNTERS.contains(s.name()))
                .collect(Collectors.toMap(s -> s.name() + s.labels(), Exposition.Sample::value));
        before.all().stream().filter(s -> COUNTERS.contains(s.name())).forEach(s -> {
            Double now = later.get(s.name() + s.labels());
            assertTrue(now != null && now >= s.value() - 1e-9, s + " went down to " + now);
        });
    }
}
