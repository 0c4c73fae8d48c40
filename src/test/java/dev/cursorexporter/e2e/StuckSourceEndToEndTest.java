package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cursorexporter.AppOptions;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import static dev.cursorexporter.testing.TotalsAssertions.assertScrapeMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One source stuck upstream (an answer that trickles out forever, a pagination that never ends) fails on its own
 * deadline with its reason, while the account's other sources keep syncing; once Cursor behaves, a forced sync
 * brings it back exact. Real HTTP against the simulator, real store file.
 */
class StuckSourceEndToEndTest {
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String EVENTS = "/teams/filtered-usage-events";

    @TempDir
    Path dataDir;

    @Test
    void aTricklingAnswerEndsAtTheCallDeadlineAndTheOtherSourcesKeepSyncing() {
        stuckThenRecovered(sim -> sim.faults().drip(EVENTS, 200), sim -> sim.faults().drip(null, 0),
                "timeout: no complete answer within the 3 s call deadline");
    }

    @Test
    void anEndlessPaginationIsRefusedAndTheOtherSourcesKeepSyncing() {
        stuckThenRecovered(sim -> sim.faults().endlessPages(true), sim -> sim.faults().endlessPages(false),
                "pagination");
    }

    /**
     * The answer limit of the configuration reaches the client: usage-event pages of this organisation are larger
     * than 64 KiB, so with that limit usage_events fails with its reason while the small answers of the other
     * sources pass.
     */
    @Test
    void theConfiguredAnswerLimitRefusesLargerAnswersOfOneSourceOnly() {
        Clock clock = Clock.systemUTC();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(10).days(10).seed(11).live(false)
                .clock(clock).rateLimits(false).build());
             ExporterHarness exporter = ExporterHarness.start(
                     ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL).toBuilder()
                             .maxAnswerBytes(64 * 1024).build(),
                     clock, AppOptions.defaults().withClientSettings(ExporterHarness.fastRetries()))) {
            Http.await(WAIT, "the other sources synced, usage_events refused", () -> {
                long othersUp = exporter.scrape().samples("cursor_exporter_source_up").stream()
                        .filter(s -> !s.labels().get("source").equals("usage_events") && s.value() == 1).count();
                return othersUp == Source.values().length - 1 && lastError(exporter) != null;
            });
            assertEquals(0, exporter.scrape().sum("cursor_exporter_source_up",
                    l -> "usage_events".equals(l.get("source"))));
            assertTrue(lastError(exporter).startsWith("POST /teams/filtered-usage-events: answer too large ("),
                    lastError(exporter));
            assertTrue(lastError(exporter).endsWith("the limit is 65536 bytes, sync.max_answer_size); not read "
                    + "further"), lastError(exporter));
        }
    }

    private void stuckThenRecovered(Consumer<Simulator> stick, Consumer<Simulator> unstick, String reason) {
        Clock clock = Clock.systemUTC();
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(10).days(10).seed(11).live(false)
                .clock(clock).rateLimits(false).build())) {
            stick.accept(sim);
            AppOptions options = AppOptions.defaults().withClientSettings(ExporterHarness.fastRetries()
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), CALL_DEADLINE));
            Instant started = Instant.now();
            try (ExporterHarness exporter = ExporterHarness.start(
                    ExporterHarness.config(sim, dataDir, 30, UserLabelMode.EMAIL), clock, options)) {
                Http.await(WAIT, "every other source synced while usage_events is stuck", () -> {
                    Exposition m = exporter.scrape();
                    long othersUp = m.samples("cursor_exporter_source_up").stream()
                            .filter(s -> !s.labels().get("source").equals("usage_events") && s.value() == 1).count();
                    return othersUp == Source.values().length - 1 && lastError(exporter) != null;
                });
                Duration othersFresh = Duration.between(started, Instant.now());
                Exposition stuck = exporter.scrape();
                assertEquals(0, stuck.sum("cursor_exporter_source_up", l -> "usage_events".equals(l.get("source"))));
                String error = lastError(exporter);
                assertTrue(error.contains(reason), "usage_events failed with its reason: " + error);
                // Two attempts at the call deadline, then the other sources: well under a poll interval.
                assertTrue(othersFresh.compareTo(Duration.ofSeconds(60)) < 0, "others fresh after " + othersFresh);
                System.out.println("RESULT stuck usage_events (" + reason + "): the other sources were fresh "
                        + othersFresh.toSeconds() + " s after start; usage_events: " + error);

                unstick.accept(sim);
                Instant fixed = Instant.now();
                assertEquals(202, Http.post(exporter.url("/admin/sync")).statusCode());
                Exposition after = exporter.awaitAllSourcesSince(fixed.getEpochSecond(), WAIT);
                assertTrue(after.samples("cursor_exporter_source_up").stream().allMatch(s -> s.value() == 1));
                assertScrapeMatches(sim.totals(), after);
            }
        }
    }

    /** usage_events' last error in /api/v1/status, or null. */
    private static String lastError(ExporterHarness exporter) {
        try {
            JsonNode status = new ObjectMapper().readTree(Http.get(exporter.url("/api/v1/status")).body());
            for (JsonNode s : status.path("accounts").path(0).path("sources")) {
                if (s.path("source").asText().equals("usage_events")) {
                    return s.path("lastError").isTextual() ? s.path("lastError").asText() : null;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
