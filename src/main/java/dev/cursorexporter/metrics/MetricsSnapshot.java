package dev.cursorexporter.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Everything {@code /metrics} shows about Cursor, built from the store after a sync; never mutated. */
public record MetricsSnapshot(List<MetricFamily> families, Instant builtAt) {

    public static final MetricsSnapshot EMPTY = new MetricsSnapshot(List.of(), Instant.EPOCH);

    public MetricsSnapshot {
        families = List.copyOf(families);
    }

    public Optional<MetricFamily> family(String name) {
        return families.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
