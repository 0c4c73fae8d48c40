package dev.cursorexporter.metrics;

import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.model.Actor;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.MemberSpend;
import dev.cursorexporter.model.SpendReport;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which users and models keep their labels, on a real store: chosen by value, totals exact. */
class LabelRankingTest {
    private static final String ACCOUNT = MetricsFixture.ACCOUNT;
    private static final LocalDate DAY = MetricsFixture.TODAY.minusDays(3);

    @TempDir
    Path dir;

    /**
     * Six members: a..d spend 60, 50, 40, 30 cents on usage, e has no usage but cycle spend, f has neither. Models
     * m1 (80 cents), m2 (70), m3 (30).
     */
    private static void organisation(SqliteStore store) {
        List<Member> members = new ArrayList<>();
        for (String u : List.of("a", "b", "c", "d", "e", "f")) {
            members.add(new Member("user_" + u, u + "@x.io", u, "member", false));
        }
        store.saveMembers(ACCOUNT, members, MetricsFixture.NOW);
        store.saveSpend(ACCOUNT, new SpendReport(List.of(
                new MemberSpend("user_e", "e@x.io", "e", "member", new BigDecimal("900"), null, null, null, null,
                        null)), Instant.parse("2026-03-01T00:00:00Z")), MetricsFixture.NOW);
        store.startCounterEpoch(ACCOUNT, DAY.minusDays(10));
        Instant t = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        List<UsageEvent> events = List.of(
                MetricsFixture.charged(t.plusSeconds(1), "a@x.io", "m1", "40"),
                MetricsFixture.charged(t.plusSeconds(2), "a@x.io", "m3", "20"),
                MetricsFixture.charged(t.plusSeconds(3), "b@x.io", "m2", "50"),
                MetricsFixture.charged(t.plusSeconds(4), "c@x.io", "m1", "40"),
                MetricsFixture.charged(t.plusSeconds(5), "d@x.io", "m2", "20"),
                MetricsFixture.charged(t.plusSeconds(6), "d@x.io", "m3", "10"));
        MetricsFixture.events(store, ACCOUNT, DAY, DAY, events);
    }

    private MetricsSnapshot build(SqliteStore store, SeriesLimits limits) {
        return new SnapshotBuilder(store, List.of(ACCOUNT), () -> Directory.EMPTY,
                new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), MetricsFixture.CLOCK, Optional.empty(),
                Optional.empty(), limits, false, null, Map.of()).build();
    }

    private static MetricFamily family(MetricsSnapshot s, String name) {
        return s.families().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, Double> sumBy(MetricFamily f, String label) {
        int i = f.labelNames().indexOf(label);
        return f.samples().stream().collect(Collectors.groupingBy(s -> s.labelValues().get(i),
                Collectors.summingDouble(MetricFamily.Sample::value)));
    }

    private static double total(MetricFamily f) {
        return f.samples().stream().mapToDouble(MetricFamily.Sample::value).sum();
    }

    @Test
    void theLargestSpendersKeepTheirLabelAndTheRestAreSummedIntoOther() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            organisation(store);
            MetricsSnapshot s = build(store, new SeriesLimits(1000, 3, 100));
            MetricFamily cost = family(s, UsageMetrics.COST);
            Map<String, Double> byUser = sumBy(cost, "user");
            assertEquals(Set.of("a@x.io", "b@x.io", "c@x.io", "other"), byUser.keySet());
            assertEquals(0.3, byUser.get("other"), 1e-9, "d's 30 cents");
            assertEquals(1.8, total(cost), 1e-9);
            // e has no usage: in the per-member metrics it is summed into other as well, with f
            Map<String, Double> spend = sumBy(family(s, SpendMetrics.CYCLE_SPEND), "user");
            assertEquals(Set.of("other"), spend.keySet());
            assertEquals(9.0, spend.get("other"), 1e-9);
            assertEquals(3.0, value(s, SnapshotDraft.FOLDED_VALUES, "user"), "d, e and f");
            assertEquals(0.0, value(s, SnapshotDraft.FOLDED_VALUES, "model"));
        }
    }

    @Test
    void usersKeepTheirLabelOnlyWhileTheirUsageSeriesFitUnderTheCap() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            organisation(store);
            // a cap of 10 leaves 9 for kept users: a's 2 models take 8 token series, b's one more would take 12;
            // c would fit alone but ranks after b, so it is folded too (the kept users are the largest spenders)
            MetricsSnapshot s = build(store, new SeriesLimits(10, 100, 100));
            assertEquals(Set.of("a@x.io", "other"), sumBy(family(s, UsageMetrics.COST), "user").keySet());
            assertEquals(1.8, total(family(s, UsageMetrics.COST)), 1e-9);
            assertEquals(5.0, value(s, SnapshotDraft.FOLDED_VALUES, "user"));
        }
    }

    /**
     * The actor label multiplies a member's usage series: a's one model spent as a person and by a cloud agent is
     * two token series sets (8), so under a cap of 10 b's 4 more do not fit, although b has one model too.
     */
    @Test
    void eachActorOfAMemberCountsAgainstTheSeriesBudget() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.startCounterEpoch(ACCOUNT, DAY.minusDays(10));
            Instant t = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            MetricsFixture.events(store, ACCOUNT, DAY, DAY, List.of(
                    MetricsFixture.charged(t.plusSeconds(1), "a@x.io", "m1", "40"),
                    MetricsFixture.charged(t.plusSeconds(2), "a@x.io", "m1", "30", Actor.CLOUD_AGENT, null),
                    MetricsFixture.charged(t.plusSeconds(3), "b@x.io", "m1", "50")));
            MetricsSnapshot s = build(store, new SeriesLimits(10, 100, 100));
            MetricFamily cost = family(s, UsageMetrics.COST);
            assertEquals(Set.of("a@x.io", "other"), sumBy(cost, "user").keySet());
            Map<String, Double> byActor = sumBy(cost, "actor");
            assertEquals(Set.of("human", "cloud_agent"), byActor.keySet());
            assertEquals(0.9, byActor.get("human"), 1e-9);
            assertEquals(0.3, byActor.get("cloud_agent"), 1e-9);
            assertEquals(1.2, total(cost), 1e-9);
            assertEquals(1.0, value(s, SnapshotDraft.FOLDED_VALUES, "user"), "b: counted per model only, it would fit");
        }
    }

    @Test
    void cycleSpendBreaksTheTieBetweenMembersWithoutUsage() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            organisation(store);
            MetricsSnapshot s = build(store, new SeriesLimits(1000, 5, 100));
            Map<String, Double> spend = sumBy(family(s, SpendMetrics.CYCLE_SPEND), "user");
            assertEquals(Set.of("e@x.io"), spend.keySet(), "e (900 cents of cycle spend) ranks before f");
            assertEquals(new TreeSet<>(List.of("a@x.io", "b@x.io", "c@x.io", "d@x.io")),
                    new TreeSet<>(sumBy(family(s, UsageMetrics.COST), "user").keySet()));
            assertEquals(1.0, value(s, SnapshotDraft.FOLDED_VALUES, "user"), "f");
        }
    }

    @Test
    void theLargestModelsKeepTheirLabelAndTheRestAreSummedIntoOther() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            organisation(store);
            MetricsSnapshot s = build(store, new SeriesLimits(1000, 100, 2));
            for (String name : List.of(UsageMetrics.COST, UsageMetrics.REQUESTS, UsageMetrics.TOKENS)) {
                assertEquals(Set.of("m1", "m2", "other"), sumBy(family(s, name), "model").keySet(), name);
            }
            Map<String, Double> byModel = sumBy(family(s, UsageMetrics.COST), "model");
            assertEquals(Map.of("m1", 0.8, "m2", 0.7, "other", 0.3), round(byModel));
            assertEquals(6.0, total(family(s, UsageMetrics.REQUESTS)), 1e-9, "every event still counted");
            assertEquals(1.0, value(s, SnapshotDraft.FOLDED_VALUES, "model"), "m3");
            assertEquals(Set.of("a@x.io", "b@x.io", "c@x.io", "d@x.io"),
                    sumBy(family(s, UsageMetrics.COST), "user").keySet(), "users untouched");
        }
    }

    private static Map<String, Double> round(Map<String, Double> m) {
        return m.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> Math.round(e.getValue() * 1e6) / 1e6));
    }

    private static double value(MetricsSnapshot s, String name, String label) {
        return family(s, name).samples().stream().filter(x -> x.labelValues().equals(List.of(label)))
                .findFirst().orElseThrow().value();
    }
}
