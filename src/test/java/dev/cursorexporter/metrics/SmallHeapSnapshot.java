package dev.cursorexporter.metrics;

import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.SqliteStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Run in a JVM of its own by {@link SnapshotMemoryBoundTest}: builds and renders the {@code /metrics} snapshot of the
 * store in {@code args[0]} with the default limits, then prints one line per family ({@code name series}) and
 * {@code rendered <bytes>}. An OutOfMemoryError ends it with a non-zero status.
 */
public final class SmallHeapSnapshot {
    private SmallHeapSnapshot() {
    }

    public static void main(String[] args) {
        try (SqliteStore store = SqliteStore.open(Path.of(args[0]))) {
            SnapshotBuilder builder = new SnapshotBuilder(store, List.of(MetricsFixture.ACCOUNT),
                    () -> Directory.EMPTY, new UserLabeler(UserLabelMode.EMAIL, Optional.empty()),
                    MetricsFixture.CLOCK, Optional.empty(), Optional.empty(), limits(), false, null, Map.of());
            MetricsPlane plane = new MetricsPlane(builder, "test", "live");
            plane.refresh();
            if (!plane.built()) {
                throw new IllegalStateException("the snapshot was not built (see the log above)");
            }
            plane.current().families().forEach(f -> System.out.println(f.name() + " " + f.samples().size()));
            System.out.println("rendered " + plane.scrape(null).body().length);
        }
    }

    /** The defaults; {@code -Dlimits.models=N} changes the model limit. */
    private static SeriesLimits limits() {
        SeriesLimits d = TestSnapshots.DEFAULT_LIMITS;
        return new SeriesLimits(d.perMetric(), d.users(), Integer.getInteger("limits.models", d.models()));
    }
}
