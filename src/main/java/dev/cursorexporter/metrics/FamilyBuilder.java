package dev.cursorexporter.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates the samples of one metric. Adding twice to the same label values sums, which is what makes the
 * user-label mode {@code none} (no {@code user} label) and several users sharing a pseudonym come out right.
 * Sums are exact decimals until {@link #build()}.
 */
final class FamilyBuilder {
    private final String name;
    private final String help;
    private final MetricFamily.Type type;
    private final List<String> labelNames;
    private final Map<List<String>, BigDecimal> values = new LinkedHashMap<>();
    private int dropped;

    FamilyBuilder(String name, MetricFamily.Type type, String help, List<String> labelNames) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
    }

    List<String> labelNames() {
        return labelNames;
    }

    void add(List<String> labelValues, BigDecimal value) {
        if (labelValues.size() != labelNames.size()) {
            throw new IllegalArgumentException(name + ": expected labels " + labelNames + ", got " + labelValues);
        }
        values.merge(List.copyOf(labelValues), value, BigDecimal::add);
    }

    void add(List<String> labelValues, long value) {
        add(labelValues, BigDecimal.valueOf(value));
    }

    /** A point in time as Unix seconds, to the millisecond (the {@code _timestamp_seconds} gauges). */
    void add(List<String> labelValues, Instant instant) {
        add(labelValues, BigDecimal.valueOf(instant.toEpochMilli()).divide(BigDecimal.valueOf(1000), 3,
                RoundingMode.UNNECESSARY));
    }

    /**
     * The family without the series no exposition may carry: a value that is not a finite double, or a negative
     * counter (client_java refuses both, which would fail every scrape). Such values can only come from a store
     * written before the boundary checks; they are counted in {@link #dropped()} instead.
     */
    MetricFamily build() {
        List<MetricFamily.Sample> samples = new ArrayList<>(values.size());
        dropped = 0;
        values.forEach((labels, value) -> {
            double d = value.doubleValue();
            if (!Double.isFinite(d) || type == MetricFamily.Type.COUNTER && d < 0) {
                dropped++;
            } else {
                samples.add(new MetricFamily.Sample(labels, d));
            }
        });
        return new MetricFamily(name, help, type, labelNames, samples);
    }

    /** Series the last {@link #build()} left out. */
    int dropped() {
        return dropped;
    }

    String name() {
        return name;
    }
}
