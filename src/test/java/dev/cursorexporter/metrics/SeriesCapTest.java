package dev.cursorexporter.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeriesCapTest {
    private static MetricFamily cost(int users, int models) {
        List<MetricFamily.Sample> samples = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int m = 0; m < models; m++) {
                samples.add(new MetricFamily.Sample(List.of("u" + u + "@x.com", u % 2 == 0 ? "A" : "B", "m" + m), 1.5));
            }
        }
        return new MetricFamily("cursor_usage_cost_usd", "h", MetricFamily.Type.COUNTER,
                List.of("user", "team", "model"), samples);
    }

    private static Map<String, Double> capped(List<MetricFamily> out) {
        return out.get(out.size() - 1).samples().stream()
                .collect(Collectors.toMap(s -> s.labelValues().get(0), MetricFamily.Sample::value));
    }

    @Test
    void underTheCapNothingChanges() {
        MetricFamily f = cost(10, 3);
        List<MetricFamily> out = new SeriesCap(30).apply(List.of(f));
        assertEquals(f, out.get(0));
        assertEquals(Map.of("cursor_usage_cost_usd", 0.0), capped(out));
    }

    @Test
    void overTheCapTheUserLabelIsDroppedAndValuesAreSummed() {
        List<MetricFamily> out = new SeriesCap(29).apply(List.of(cost(10, 3)));
        MetricFamily f = out.get(0);
        assertEquals(List.of("team", "model"), f.labelNames());
        assertEquals(6, f.samples().size());
        assertEquals(15 * 3, f.samples().stream().mapToDouble(MetricFamily.Sample::value).sum(), 1e-9);
        assertEquals(7.5, f.samples().get(0).value(), 1e-9, "five users of team A on m0");
        assertEquals(Map.of("cursor_usage_cost_usd", 1.0), capped(out));
    }

    @Test
    void stillOverTheCapTheFirstSeriesInLabelOrderAreKept() {
        MetricFamily f = new SeriesCap(4).apply(List.of(cost(10, 3))).get(0);
        assertEquals(List.of(List.of("A", "m0"), List.of("A", "m1"), List.of("A", "m2"), List.of("B", "m0")),
                f.samples().stream().map(MetricFamily.Sample::labelValues).toList());
    }
}
