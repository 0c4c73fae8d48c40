package dev.cursorexporter.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every metric at or under {@code metrics.max_series_per_metric} series. A family over the cap first loses
 * its {@code user} label (its series are summed per remaining labels, so totals stay right and only the per-user
 * split is gone); a family still over the cap, or without a {@code user} label, keeps the first series in label
 * order (deterministic, so the same series survive every scrape). Adds {@code cursor_exporter_series_capped} and
 * logs one line when a family becomes capped. Thread-safe.
 */
final class SeriesCap {
    static final String CAPPED_METRIC = "cursor_exporter_series_capped";
    private static final Logger LOG = LoggerFactory.getLogger(SeriesCap.class);
    private static final Comparator<List<String>> LABEL_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private final int max;
    private final Set<String> capped = ConcurrentHashMap.newKeySet();

    SeriesCap(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max series per metric must be positive, got " + max);
        }
        this.max = max;
    }

    /** The families within the cap, followed by the {@code cursor_exporter_series_capped} family. */
    List<MetricFamily> apply(List<MetricFamily> families) {
        List<MetricFamily> out = new ArrayList<>(families.size() + 1);
        List<MetricFamily.Sample> cappedSamples = new ArrayList<>();
        for (MetricFamily family : families) {
            boolean isCapped = family.samples().size() > max;
            List<String> how = new ArrayList<>();
            out.add(isCapped ? cap(family, how) : family);
            cappedSamples.add(new MetricFamily.Sample(List.of(family.name()), isCapped ? 1 : 0));
            if (isCapped && capped.add(family.name())) {
                LOG.warn("metrics: {} has {} series, over metrics.max_series_per_metric {}; {}", family.name(),
                        family.samples().size(), max, String.join(", then ", how));
            } else if (!isCapped) {
                capped.remove(family.name());
            }
        }
        out.add(new MetricFamily(CAPPED_METRIC,
                "1 when the metric would exceed metrics.max_series_per_metric and was aggregated (user label dropped) "
                        + "or truncated, else 0; refreshed with every snapshot.",
                MetricFamily.Type.GAUGE, List.of("metric"), cappedSamples));
        return out;
    }

    /** @param how receives what was done, for the log line */
    private MetricFamily cap(MetricFamily family, List<String> how) {
        MetricFamily f = family;
        int user = f.labelNames().indexOf("user");
        if (user >= 0) {
            List<String> names = new ArrayList<>(f.labelNames());
            names.remove(user);
            Map<List<String>, Double> summed = new LinkedHashMap<>();
            for (MetricFamily.Sample s : f.samples()) {
                List<String> values = new ArrayList<>(s.labelValues());
                values.remove(user);
                summed.merge(values, s.value(), Double::sum);
            }
            List<MetricFamily.Sample> samples = new ArrayList<>();
            summed.forEach((values, value) -> samples.add(new MetricFamily.Sample(values, value)));
            f = new MetricFamily(f.name(), f.help(), f.type(), names, samples);
            how.add("dropped the user label (" + samples.size() + " series)");
        }
        if (f.samples().size() > max) {
            List<MetricFamily.Sample> kept = f.samples().stream()
                    .sorted(Comparator.comparing(MetricFamily.Sample::labelValues, LABEL_ORDER))
                    .limit(max).toList();
            f = new MetricFamily(f.name(), f.help(), f.type(), f.labelNames(), kept);
            how.add("kept the first " + max + " series in label order");
        }
        return f;
    }
}
