package dev.cursorexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a {@link MetricsSnapshot} into client_java snapshots for the exposition writers. Series that disappear
 * from the snapshot disappear from the scrape, and there is no register/remove race with scrapes (unlike
 * Micrometer MultiGauge overwrites, micrometer#6851).
 */
final class SnapshotCollector implements MultiCollector {
    private final Supplier<MetricsSnapshot> current;
    private final List<String> names;

    SnapshotCollector(Supplier<MetricsSnapshot> current, List<String> names) {
        this.current = current;
        this.names = List.copyOf(names);
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        for (MetricFamily family : current.get().families()) {
            out.add(toSnapshot(family));
        }
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return names;
    }

    private static MetricSnapshot toSnapshot(MetricFamily family) {
        String[] labelNames = family.labelNames().toArray(String[]::new);
        if (family.type() == MetricFamily.Type.COUNTER) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(family.name()).help(family.help());
            for (MetricFamily.Sample s : family.samples()) {
                b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of(labelNames, s.labelValues().toArray(String[]::new)))
                        .value(s.value()).build());
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(family.name()).help(family.help());
        for (MetricFamily.Sample s : family.samples()) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of(labelNames, s.labelValues().toArray(String[]::new)))
                    .value(s.value()).build());
        }
        return b.build();
    }
}
