package dev.cursorexporter.metrics;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FamilyBuilderCapTest {
    private static final List<String> LABELS = List.of("user", "team", "model");

    private static FamilyBuilder cost(int cap) {
        return new FamilyBuilder("cursor_usage_cost_usd", MetricFamily.Type.COUNTER, "h", LABELS, cap,
                new HashMap<>());
    }

    private static Map<List<String>, Double> samples(MetricFamily f) {
        return f.samples().stream().collect(Collectors.toMap(MetricFamily.Sample::labelValues,
                MetricFamily.Sample::value));
    }

    @Test
    void underTheCapEverySeriesIsKeptAndSameLabelsSum() {
        FamilyBuilder f = cost(4);
        f.add(List.of("a@x.io", "A", "m1"), new BigDecimal("1.25"));
        f.add(List.of("a@x.io", "A", "m1"), new BigDecimal("2"));
        f.add(List.of("b@x.io", "B", "m2"), new BigDecimal("5"));
        assertEquals(Map.of(List.of("a@x.io", "A", "m1"), 3.25, List.of("b@x.io", "B", "m2"), 5.0),
                samples(f.build()));
        assertFalse(f.capped());
    }

    @Test
    void atTheCapANewSeriesGoesToItsOtherSeriesWhenThatExists() {
        FamilyBuilder f = cost(2);
        f.add(List.of("a@x.io", "A", "m1"), 1);
        f.add(List.of("other", "A", "other"), 10);
        f.add(List.of("c@x.io", "A", "m3"), 100); // same team: summed into user and model "other" of team A
        assertEquals(Map.of(List.of("a@x.io", "A", "m1"), 1.0, List.of("other", "A", "other"), 110.0),
                samples(f.build()));
        assertTrue(f.capped());
    }

    @Test
    void atTheCapOtherwiseEverythingGoesToOneSeriesWithEveryLabelOther() {
        FamilyBuilder f = cost(2);
        f.add(List.of("a@x.io", "A", "m1"), 1);
        f.add(List.of("b@x.io", "B", "m2"), 2);
        f.add(List.of("c@x.io", "C", "m3"), 4);
        f.add(List.of("d@x.io", "D", "m4"), 8);
        assertEquals(Map.of(List.of("a@x.io", "A", "m1"), 1.0, List.of("b@x.io", "B", "m2"), 2.0,
                List.of("other", "other", "other"), 12.0), samples(f.build()));
        assertTrue(f.capped());
    }

    @Test
    void whateverIsAddedTheFamilyNeverHoldsMoreThanTheCapPlusOneAndItsTotalStays() {
        FamilyBuilder f = cost(50);
        long total = 0;
        for (int i = 0; i < 20_000; i++) {
            f.add(List.of("u" + (i % 997) + "@x.io", "T" + (i % 13), "m" + (i % 101)), i);
            total += i;
        }
        MetricFamily built = f.build();
        assertTrue(built.samples().size() <= 51, built.samples().size() + " series");
        assertEquals(total, built.samples().stream().mapToDouble(MetricFamily.Sample::value).sum(), 1e-3);
    }
}
