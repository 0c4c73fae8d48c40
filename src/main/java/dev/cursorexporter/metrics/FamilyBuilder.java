package dev.cursorexporter.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Accumulates the samples of one metric. Adding twice to the same label values sums, which is what makes the
 * user-label mode {@code none} (no {@code user} label), several users sharing a pseudonym and the users and models
 * folded into {@code other} come out right. Sums are exact decimals until {@link #build()}.
 * <p>
 * It never holds more than {@code metrics.max_series_per_metric} series, whatever is added: the cap applies while
 * adding, not to the finished family. {@link LabelRanking} normally keeps a family well under it; when a family is
 * at the cap all the same, a new series is added to the one with {@code user} and {@code model} (where the family
 * has them) set to {@code other}, and if that one does not exist yet, to a single series with every label
 * {@code other}. Totals stay exact; {@link #capped()} then reports it.
 */
final class FamilyBuilder {
    private final String name;
    private final String help;
    private final MetricFamily.Type type;
    private final List<String> labelNames;
    private final Map<List<String>, BigDecimal> values = new LinkedHashMap<>();
    private final int cap;
    private final int userIndex;
    private final int modelIndex;
    /** One instance per distinct label value across the draft: store rows bring a new String every time. */
    private final Map<String, String> labelValuePool;
    private boolean capped;
    private int dropped;

    /**
     * @param cap            most series held (one more when every label is {@code other})
     * @param labelValuePool shared by the families of one build
     */
    FamilyBuilder(String name, MetricFamily.Type type, String help, List<String> labelNames, int cap,
                  Map<String, String> labelValuePool) {
        if (cap < 1) {
            throw new IllegalArgumentException(name + ": cap must be positive, got " + cap);
        }
        this.name = name;
        this.type = type;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        this.cap = cap;
        this.userIndex = this.labelNames.indexOf("user");
        this.modelIndex = this.labelNames.indexOf("model");
        this.labelValuePool = labelValuePool;
    }

    List<String> labelNames() {
        return labelNames;
    }

    void add(List<String> labelValues, BigDecimal value) {
        if (labelValues.size() != labelNames.size()) {
            throw new IllegalArgumentException(name + ": expected labels " + labelNames + ", got " + labelValues);
        }
        String[] pooled = new String[labelValues.size()];
        for (int i = 0; i < pooled.length; i++) {
            String v = Objects.requireNonNull(labelValues.get(i), "label value");
            pooled[i] = labelValuePool.computeIfAbsent(v, same -> same);
        }
        List<String> key = List.of(pooled);
        BigDecimal sum = values.get(key);
        if (sum != null) {
            values.put(key, sum.add(value));
        } else if (values.size() < cap) {
            values.put(key, value);
        } else {
            capped = true;
            List<String> folded = folded(key);
            values.merge(values.containsKey(folded) ? folded : allOther(), value, BigDecimal::add);
        }
    }

    /** {@code key} with user and model (where present) set to {@code other}. */
    private List<String> folded(List<String> key) {
        String[] out = key.toArray(String[]::new);
        if (userIndex >= 0) {
            out[userIndex] = LabelRanking.OTHER;
        }
        if (modelIndex >= 0) {
            out[modelIndex] = LabelRanking.OTHER;
        }
        return List.of(out);
    }

    private List<String> allOther() {
        return Collections.nCopies(labelNames.size(), LabelRanking.OTHER);
    }

    /** Whether a series was folded because the family was at its cap. */
    boolean capped() {
        return capped;
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
