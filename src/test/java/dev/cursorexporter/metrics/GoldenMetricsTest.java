package dev.cursorexporter.metrics;

import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.budget.TeamSpendPlanner;
import dev.cursorexporter.model.Budgets;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.BackfillRange;
import dev.cursorexporter.store.BackfillProgress;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden file pins the Cursor part of {@code /metrics}: {@link MetricsFixture}'s store, built into a snapshot
 * and rendered exactly as a scrape serves it (the cached snapshot part; the exporter's own Micrometer meters, which
 * count this process's calls, are not in it). Any change to a name, label, HELP text or value shows as a diff.
 *
 * <p>After an intended change, regenerate the file and review its diff:
 * {@code ./mvnw -B test -Dtest=GoldenMetricsTest -Dgolden.update=true}, then {@code git diff
 * src/test/resources/golden/metrics.txt}.
 */
class GoldenMetricsTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "metrics.txt");

    @TempDir
    Path dir;

    @Test
    void theExpositionOfTheFixtureStoreIsTheGoldenFile() throws IOException {
        String actual = render();
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(GOLDEN), GOLDEN + " is missing; create it with -Dgolden.update=true");
        assertSameExposition(Files.readString(GOLDEN, StandardCharsets.UTF_8), actual);
    }

    @Test
    void aChangedExpositionFailsTheComparison() throws IOException {
        String golden = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        String oneCentMore = golden.replace("cursor_cycle_spend_usd{location=\"Berlin\",team=\"Platform\","
                + "user=\"ana@acme.io\"} 42.5", "cursor_cycle_spend_usd{location=\"Berlin\",team=\"Platform\","
                + "user=\"ana@acme.io\"} 42.51");
        assertTrue(!oneCentMore.equals(golden), "the golden file holds ana's cycle spend of 42.5 USD");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertSameExposition(golden, oneCentMore));
        assertTrue(e.getMessage().contains("42.51"), e.getMessage());
    }

    @Test
    void promtoolAcceptsTheGoldenFile() {
        Path promtool = RealTools.require("promtool");
        RealTools.Result r = RealTools.run(Path.of("").toAbsolutePath(), 60, "sh", "-c",
                "'" + promtool + "' check metrics < '" + GOLDEN.toAbsolutePath() + "'");
        assertEquals(0, r.exitCode(), "promtool check metrics: " + r.output());
    }

    /**
     * What Prometheus gets (gzip, the snapshot part compressed once per snapshot and format) inflates to the same
     * bytes as the plain scrape, in one gzip member, in both text formats, scrape after scrape; except the values of
     * the process and JVM metrics, which move between two scrapes (CPU time, heap), so their samples are compared
     * by name only.
     */
    @Test
    void theGzipScrapeInflatesToThePlainScrape() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            MetricsPlane plane = plane(store);
            for (String accept : new String[]{null, "application/openmetrics-text;version=1.0.0"}) {
                for (int scrape = 0; scrape < 2; scrape++) {
                    MetricsPlane.GzipScrape gzip = plane.gzipScrape(accept);
                    byte[] plain = plane.scrape(accept).body();
                    assertEquals(plane.scrape(accept).contentType(), gzip.contentType());
                    byte[] compressed = gzip.stream().readAllBytes();
                    assertTrue(compressed.length * 5 < plain.length, compressed.length + " of " + plain.length);
                    String inflated = new String(GzipBodyTest.inflateOneMember(compressed), StandardCharsets.UTF_8);
                    assertTrue(inflated.contains("\nprocess_cpu_seconds_total "), "the standard metrics are in it");
                    assertEquals(Exposition.withoutMovingParts(new String(plain, StandardCharsets.UTF_8)),
                            Exposition.withoutMovingParts(inflated));
                }
            }
        }
    }

    /** The text body's snapshot part for the fixture, as {@code GET /metrics} (no Accept header) serves it. */
    private String render() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            return new String(plane(store).scrape(null).snapshotPart(), StandardCharsets.UTF_8);
        }
    }

    private static MetricsPlane plane(SqliteStore store) {
        {
            MetricsFixture.all(store);
            TeamSpendPlanner planner = new TeamSpendPlanner(store, store.daily(),
                    new Budgets(Optional.of(new BigDecimal("100")), Map.of("Platform", new BigDecimal("500"))),
                    MetricsFixture.CLOCK);
            BackfillProgress backfill = new BackfillProgress(store,
                    new BackfillRange(MetricsFixture.BACKFILL_DAYS, MetricsFixture.LOOKBACK_DAYS), MetricsFixture.CLOCK);
            SnapshotBuilder builder = new SnapshotBuilder(store, List.of(MetricsFixture.ACCOUNT),
                    () -> MetricsFixture.DIRECTORY, new UserLabeler(UserLabelMode.EMAIL, Optional.empty()),
                    MetricsFixture.CLOCK, Optional.of(planner), Optional.of(new CostReconciliation(store,
                            List.of(MetricsFixture.ACCOUNT), () -> MetricsFixture.DIRECTORY, true,
                            MetricsFixture.CLOCK)), TestSnapshots.DEFAULT_LIMITS, true, backfill,
                    MetricsFixture.INTERVALS);
            MetricsPlane plane = new MetricsPlane(builder, "test", "live");
            plane.refresh();
            return plane;
        }
    }

    /** Byte for byte; the message names the first line that differs, with its neighbours. */
    static void assertSameExposition(String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        int i = 0;
        while (i < Math.min(e.size(), a.size()) && e.get(i).equals(a.get(i))) {
            i++;
        }
        String message = "exposition differs from " + GOLDEN + " at line " + (i + 1) + "\n  expected: "
                + (i < e.size() ? e.get(i) : "<end>") + "\n  actual:   " + (i < a.size() ? a.get(i) : "<end>")
                + "\n(an intended change: regenerate with -Dgolden.update=true and review the diff)";
        throw new AssertionFailedError(message, expected, actual);
    }
}
