package dev.cursorexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cursorexporter.config.ExporterConfig;
import dev.cursorexporter.config.OtlpConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.simulator.OtelPusher;
import dev.cursorexporter.simulator.OtelTruth;
import dev.cursorexporter.simulator.Profile;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorFacts;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.testing.ExporterHarness;
import dev.cursorexporter.testing.Exposition;
import dev.cursorexporter.testing.Http;
import dev.cursorexporter.testing.JsonHttp;
import dev.cursorexporter.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter synced from the simulator over HTTP, which also pushes its OpenTelemetry Export of the week before to
 * the exporter's receiver, as the demo does: per day and team, {@code /api/v1/reconciliation}'s estimate is what the
 * simulator pushed for the day (its points' time) and its settled cost the simulator's own Admin API cost of the day,
 * both grouped by the simulator's directory; every day says whether the Admin API settled it; and the status and the
 * gauges of a real scrape give the same sums over the newest settled days.
 */
class ReconciliationEndToEndTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    private static final String TOKEN = "otel_reconcile_token_41c7";
    /** The exporter's look-back (ExporterHarness.config): days after TODAY - 3 are re-read, not stored for good. */
    private static final LocalDate LAST_SETTLED = TODAY.minusDays(3);
    /** The pushes start at the start of this day, as the demo's do. */
    private static final LocalDate FIRST_PUSHED = TODAY.minusDays(7);
    /**
     * A hundredth of a cent: what rounding can add up to over a day and team, the pushed doubles to micro-dollars on
     * one side, the simulator's float noise ({@code 166.073317500000005} cents) to the store's micro-cents on the
     * other; far below any drift worth showing.
     */
    private static final BigDecimal TOLERANCE = new BigDecimal("0.0001");

    @Test
    void estimateAndSettledCostPerDayAndTeamAreWhatTheSimulatorPushedAndBilled(@TempDir Path tmp) throws Exception {
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(12).days(12).seed(7).live(false)
                .profile(Profile.DOCS_LATEST).clock(Clock.fixed(NOW, ZoneOffset.UTC)).rateLimits(false).build())) {
            ExporterConfig config = ExporterHarness.config(sim, tmp.resolve("data"), 10, UserLabelMode.EMAIL)
                    .toBuilder().otlp(new OtlpConfig(0, Optional.of(new Secret(TOKEN)), 4 << 20)).build();
            try (ExporterHarness exporter = ExporterHarness.start(config, new TestClock(NOW))) {
                exporter.awaitAllSourcesSince(0, Duration.ofSeconds(90));
                OtelTruth pushed;
                try (OtelPusher pusher = new OtelPusher(sim.otelExport(), URI.create("http://127.0.0.1:"
                        + exporter.otlpPort() + "/"), TOKEN, NOW::toEpochMilli,
                        FIRST_PUSHED.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli())) {
                    pusher.push();
                    assertArrayEquals(new int[] {200, 200}, pusher.lastStatuses());
                    pushed = pusher.accepted();
                }
                Map<String, String> teams = sim.facts().teamByUser();
                Map<LocalDate, Map<String, BigDecimal>> estimated = new TreeMap<>();
                pushed.dailyCostUsd().forEach((k, usd) -> add(estimated, LocalDate.parse(k.get(0)),
                        teams.getOrDefault(k.get(1), "unassigned"), usd));
                Map<LocalDate, Map<String, BigDecimal>> settled = new TreeMap<>();
                for (SimulatorFacts.Usage u : sim.facts().usage()) {
                    add(settled, LocalDate.parse(u.day()), teams.getOrDefault(u.user(), "unassigned"),
                            u.costCents().movePointLeft(2));
                }
                assertEquals(8, estimated.size(), "an estimate on every day from the first pushed: "
                        + estimated.keySet());
                assertEquals(FIRST_PUSHED, ((TreeMap<LocalDate, ?>) estimated).firstKey());

                JsonNode rows = awaitReconciliation(exporter, pushed);
                LocalDate from = TODAY.minusDays(9);
                TreeSet<String> allTeams = new TreeSet<>();
                estimated.values().forEach(m -> allTeams.addAll(m.keySet()));
                settled.forEach((d, m) -> {
                    if (!d.isBefore(from)) {
                        allTeams.addAll(m.keySet());
                    }
                });
                assertEquals(10 * allTeams.size(), rows.size(), "every team on every day: " + allTeams);
                int compared = 0;
                for (JsonNode r : rows) {
                    LocalDate day = LocalDate.parse(r.path("date").asText());
                    String team = r.path("team").asText();
                    String where = day + " " + team + ": " + r;
                    assertEquals(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), r.path("time").asLong());
                    BigDecimal wantSettled = settled.getOrDefault(day, Map.of()).getOrDefault(team, BigDecimal.ZERO);
                    assertTrue(wantSettled.subtract(r.path("settledUsd").decimalValue()).abs().compareTo(TOLERANCE) <= 0,
                            where + " settled, the simulator billed " + wantSettled);
                    boolean anyEstimate = estimated.containsKey(day);
                    assertEquals(!anyEstimate ? "no_estimate" : day.isAfter(LAST_SETTLED) ? "pending" : "settled",
                            r.path("state").asText(), where);
                    if (!anyEstimate) {
                        assertTrue(r.path("estimatedUsd").isNull() && r.path("ratio").isNull(), where);
                        continue;
                    }
                    BigDecimal wantEstimate = estimated.get(day).getOrDefault(team, BigDecimal.ZERO);
                    BigDecimal got = r.path("estimatedUsd").decimalValue();
                    assertTrue(wantEstimate.subtract(got).abs().compareTo(TOLERANCE) <= 0,
                            where + " estimated, the simulator pushed " + wantEstimate);
                    assertEquals(0, got.subtract(r.path("settledUsd").decimalValue())
                            .compareTo(r.path("differenceUsd").decimalValue()), where);
                    compared++;
                }
                assertTrue(compared >= 8 * 5, "compared " + compared + " estimates");

                // the newest settled days: FIRST_PUSHED .. LAST_SETTLED, in the status and in the gauges
                BigDecimal[] total = {BigDecimal.ZERO, BigDecimal.ZERO};
                Map<String, BigDecimal[]> byTeam = new TreeMap<>();
                for (LocalDate d = FIRST_PUSHED; !d.isAfter(LAST_SETTLED); d = d.plusDays(1)) {
                    for (String team : allTeams) {
                        BigDecimal e = estimated.get(d).getOrDefault(team, BigDecimal.ZERO);
                        BigDecimal s = settled.getOrDefault(d, Map.of()).getOrDefault(team, BigDecimal.ZERO);
                        BigDecimal[] t = byTeam.computeIfAbsent(team, k -> new BigDecimal[] {BigDecimal.ZERO,
                                BigDecimal.ZERO});
                        t[0] = t[0].add(e);
                        t[1] = t[1].add(s);
                        total[0] = total[0].add(e);
                        total[1] = total[1].add(s);
                    }
                }
                JsonNode status = JsonHttp.get(exporter.url("/api/v1/status")).body().path("otelReconciliation");
                assertTrue(status.path("enabled").asBoolean(), status.toString());
                assertEquals(TODAY.toString(), status.path("newestEstimateDay").asText());
                JsonNode window = status.path("lastSettledDays");
                assertEquals(5, window.path("days").asInt(), window.toString());
                assertEquals(FIRST_PUSHED.toString(), window.path("from").asText());
                assertEquals(LAST_SETTLED.toString(), window.path("to").asText());
                assertTrue(total[1].subtract(window.path("settledUsd").decimalValue()).abs().compareTo(TOLERANCE) <= 0,
                        window.toString());
                assertTrue(total[0].subtract(window.path("estimatedUsd").decimalValue()).abs()
                        .compareTo(TOLERANCE) <= 0, window.toString());

                Exposition scrape = awaitGauge(exporter);
                int gauges = 0;
                for (Map.Entry<String, BigDecimal[]> e : byTeam.entrySet()) {
                    BigDecimal[] t = e.getValue();
                    Map<String, String> labels = Map.of("team", e.getKey(), "window", "7d");
                    double difference = scrape.sum("cursor_otel_cost_estimate_difference_usd",
                            l -> l.equals(labels));
                    assertEquals(t[0].subtract(t[1]).doubleValue(), difference, 1e-4, e.getKey());
                    List<Exposition.Sample> ratio = scrape.samples("cursor_otel_cost_estimate_ratio").stream()
                            .filter(s -> s.labels().equals(labels)).toList();
                    if (t[0].signum() > 0 && t[1].signum() > 0) {
                        assertEquals(1, ratio.size(), e.getKey());
                        assertEquals(t[0].divide(t[1], 6, RoundingMode.HALF_EVEN).doubleValue(),
                                ratio.get(0).value(), 1.5e-4, e.getKey());
                        gauges++;
                    } else {
                        assertEquals(List.of(), ratio, e.getKey() + ": no ratio without both");
                    }
                }
                assertTrue(gauges >= 4, "ratios compared: " + gauges);
                assertEquals(gauges, scrape.samples("cursor_otel_cost_estimate_ratio").size());
            }
        }
    }

    private static void add(Map<LocalDate, Map<String, BigDecimal>> into, LocalDate day, String team,
                            BigDecimal usd) {
        into.computeIfAbsent(day, d -> new HashMap<>()).merge(team, usd, BigDecimal::add);
    }

    /** The answer once it carries today's estimate (the push invalidates the cached answers at once). */
    private static JsonNode awaitReconciliation(ExporterHarness exporter, OtelTruth pushed) {
        String url = exporter.url("/api/v1/reconciliation?from=" + TODAY.minusDays(9) + "&to=" + TODAY
                + "&team=.*");
        JsonNode[] last = new JsonNode[1];
        Http.await(Duration.ofSeconds(30), "the reconciliation answers", () -> {
            JsonHttp.Answer a = JsonHttp.get(url);
            last[0] = a.body();
            return a.status() == 200 && a.body().isArray() && a.body().size() > 0
                    && pushed.totalCostUsd().signum() > 0;
        });
        return last[0];
    }

    /** A scrape with the gauges (the snapshot is rebuilt a few seconds after the push). */
    private static Exposition awaitGauge(ExporterHarness exporter) {
        Exposition[] last = new Exposition[1];
        Http.await(Duration.ofSeconds(30), "cursor_otel_cost_estimate_ratio in a scrape", () -> {
            last[0] = exporter.scrape();
            return !last[0].samples("cursor_otel_cost_estimate_ratio").isEmpty();
        });
        return last[0];
    }
}
