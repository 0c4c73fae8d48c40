package dev.cursorexporter.metrics;

import java.util.List;

/**
 * One metric of the immutable snapshot: its name (counters without {@code _total}, which the exposition adds),
 * HELP text, type and samples.
 */
public record MetricFamily(String name, String help, Type type, List<String> labelNames, List<Sample> samples) {

    public enum Type { COUNTER, GAUGE }

    /** One series: label values in the order of {@link #labelNames()}. */
    public record Sample(List<String> labelValues, double value) {
        public Sample {
            labelValues = List.copyOf(labelValues);
        }
    }

    public MetricFamily {
        labelNames = List.copyOf(labelNames);
        samples = List.copyOf(samples);
    }
}
