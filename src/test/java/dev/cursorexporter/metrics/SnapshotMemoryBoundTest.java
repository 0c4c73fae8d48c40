package dev.cursorexporter.metrics;

import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits bound the memory of building a snapshot, not only its output: a store holding a hostile answer of
 * 100,000 models (4 token types each: 400,000 token series before any limit) builds and renders in a JVM with a
 * 48 MiB heap, where holding those series would not fit: run with {@code -Dlimits.models=100000} (every model keeps
 * its label, as before the limits) and the same build runs out of memory (checked 2026-12-06).
 */
class SnapshotMemoryBoundTest {
    private static final int MODELS = 100_000;
    private static final int USERS = 250;

    @TempDir
    Path dir;

    @Test
    void aHundredThousandModelStoreBuildsInASmallHeapWithinTheLimits() {
        LocalDate day = MetricsFixture.TODAY.minusDays(2);
        Instant t = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.startCounterEpoch(MetricsFixture.ACCOUNT, day.minusDays(1));
            try (EventWindow w = store.openEventWindow(MetricsFixture.ACCOUNT, day, day)) {
                List<UsageEvent> page = new ArrayList<>();
                for (int i = 0; i < MODELS; i++) {
                    // model i costs i cents: the largest models are the last ones added
                    page.add(MetricsFixture.charged(t.plusMillis(i), "u" + (i % USERS) + "@x.io", "model-" + i,
                            Integer.toString(i)));
                    if (page.size() == 5_000) {
                        w.add(page);
                        page.clear();
                    }
                }
                w.add(page);
                w.commit(true);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        RealTools.Result r = RealTools.run(dir, 300, java, "-Xmx48m", "-Dlimits.models=" + System.getProperty("limits.models", "100"), "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), SmallHeapSnapshot.class.getName(), dir.toString());
        assertEquals(0, r.exitCode(), "the snapshot did not build in 48 MiB:\n" + r.output());
        Map<String, Integer> series = new HashMap<>();
        r.output().lines().filter(l -> l.matches("cursor_\\S+ \\d+")).forEach(l -> {
            String[] parts = l.split(" ");
            series.put(parts[0], Integer.parseInt(parts[1]));
        });
        // 250 users (all kept) x at most 100 models + other each; in practice each user has 400 models, so
        // every user has its few kept models and one "other"
        int tokens = series.get(UsageMetrics.TOKENS);
        assertTrue(tokens <= USERS * (TestSnapshots.DEFAULT_LIMITS.models() + 1) * 4, tokens + " token series");
        assertTrue(tokens < MODELS, tokens + " token series");
        assertTrue(r.output().contains("rendered "), r.output());
    }
}
