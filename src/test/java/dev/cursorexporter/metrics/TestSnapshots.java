package dev.cursorexporter.metrics;

import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.store.StoreReader;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Snapshot builders for tests that need the Cursor metrics of a store and nothing else. */
public final class TestSnapshots {
    /** The configuration's defaults. */
    public static final SeriesLimits DEFAULT_LIMITS = new SeriesLimits(ExporterConfig.DEFAULT_MAX_SERIES_PER_METRIC,
            ExporterConfig.DEFAULT_MAX_USERS, ExporterConfig.DEFAULT_MAX_MODELS);
    private TestSnapshots() {
    }

    /**
     * Without budgets and forecasts, auth state or backfill progress, with the default series cap and every source
     * at its default poll interval.
     */
    public static SnapshotBuilder builder(StoreReader store, List<String> accounts, Supplier<Directory> directory,
                                          UserLabeler userLabeler, Clock clock) {
        return new SnapshotBuilder(store, accounts, directory, userLabeler, clock, Optional.empty(),
                Optional.empty(), DEFAULT_LIMITS, false, null, Map.of());
    }
}
