package dev.cursorexporter.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link MetricsSnapshot} into client_java snapshots for the exposition writers. The snapshot is written
 * as it is rather than kept in registered meters, so series that disappear from it disappear from the scrape, and
 * there is no register/remove race with scrapes (unlike Micrometer MultiGauge overwrites, micrometer#6851).
 */
final class ClientSnapshots {

    private ClientSnapshots() {
    }

    static MetricSnapshots of(List<MetricFamily> families) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (MetricFamily family : families) {
            out.add(toSnapshot(family));
        }
        return new MetricSnapshots(out);
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
