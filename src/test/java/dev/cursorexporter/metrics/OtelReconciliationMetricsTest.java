package dev.cursorexporter.metrics;

import dev.cursorexporter.budget.CostReconciliation;
import dev.cursorexporter.model.OtelBatch;
import dev.cursorexporter.model.OtelFamily;
import dev.cursorexporter.model.OtelIdentity;
import dev.cursorexporter.model.OtelIncrement;
import dev.cursorexporter.model.TokenUsage;
import dev.cursorexporter.model.UsageEvent;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.store.EventWindow;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimate-against-settled gauges from a small store: per team over the newest settled days, exactly the
 * quotient and difference of the sums written; the ratio only where both sides have cost; nothing while the receiver
 * is off; no user or account label.
 */
class OtelReconciliationMetricsTest {
    private static final LocalDate TODAY = LocalDate.ofInstant(MetricsFixture.NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    /**
     * Eight days stored for good, TODAY-10 .. TODAY-3: ana (Platform) costs $2 a day and estimates $1.90; bo
     * (Payments) costs $1 a day and sends no estimate; an identity nobody knows estimates $0.05 a day (unassigned).
     * Only seven of those days count.
     */
    private static void history(SqliteStore store) {
        MetricsFixture.members(store);
        List<UsageEvent> events = new ArrayList<>();
        List<OtelIncrement> otel = new ArrayList<>();
        for (LocalDate d = TODAY.minusDays(10); !d.isAfter(TODAY.minusDays(3)); d = d.plusDays(1)) {
            events.add(event(d, MetricsFixture.ANA, "200"));
            events.add(event(d, MetricsFixture.BO, "100"));
            otel.add(new OtelIncrement(OtelFamily.COST, new OtelIdentity("", "user_ana"), List.of("desktop", "m"),
                    1_900_000, d));
            otel.add(new OtelIncrement(OtelFamily.COST, new OtelIdentity("", "user_nobody"), List.of("cli", "m"),
                    50_000, d));
        }
        try (EventWindow w = store.openEventWindow(MetricsFixture.ACCOUNT, TODAY.minusDays(10), TODAY.minusDays(3))) {
            w.add(events);
            w.commit(true);
        }
        store.otel().apply(new OtelBatch("metrics", otel, List.of()), MetricsFixture.NOW);
    }

    private static UsageEvent event(LocalDate day, String email, String cents) {
        return new UsageEvent(day.atTime(8, 0).toInstant(ZoneOffset.UTC), email, "m", "Usage-based", false,
                BigDecimal.ONE, new TokenUsage(1, 1, 0, 0, new BigDecimal(cents)), new BigDecimal(cents), null, false,
                null);
    }

    private static OtelReconciliationMetrics group(SqliteStore store, boolean receiverOn) {
        return new OtelReconciliationMetrics(Optional.of(new CostReconciliation(store, List.of(MetricsFixture.ACCOUNT),
                () -> MetricsFixture.DIRECTORY, receiverOn, MetricsFixture.CLOCK)), new Freshness(
                MetricsFixture.INTERVALS));
    }

    @Test
    void perTeamOverTheSevenNewestSettledDays() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            history(store);
            String samples = GroupExposition.of(group(store, true), MetricsFixture.DIRECTORY, UserLabelMode.EMAIL,
                    MetricsFixture.ACCOUNT, "second").samples();
            assertEquals("""
                    cursor_otel_cost_estimate_difference_usd{team="Payments",window="7d"} -7.0
                    cursor_otel_cost_estimate_difference_usd{team="Platform",window="7d"} -0.7
                    cursor_otel_cost_estimate_difference_usd{team="unassigned",window="7d"} 0.35
                    cursor_otel_cost_estimate_ratio{team="Platform",window="7d"} 0.95
                    """, samples, "7 x $1.90 / 7 x $2; Payments settled without estimate, unassigned the reverse");
        }
    }

    @Test
    void nothingWhileTheReceiverIsOffOrWithoutAnEstimate(@TempDir Path empty) {
        try (SqliteStore store = SqliteStore.open(dir)) {
            history(store);
            assertEquals("\n", GroupExposition.of(group(store, false)).samples());
        }
        try (SqliteStore store = SqliteStore.open(empty)) {
            MetricsFixture.all(store);
            assertEquals("\n", GroupExposition.of(group(store, true)).samples(), "settled cost, no estimate");
        }
    }

    @Test
    void theHelpSaysItIsAGaugeOverEventDays() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            history(store);
            String help = GroupExposition.of(group(store, true)).help(OtelReconciliationMetrics.RATIO);
            assertTrue(help.contains("a gauge over event days, from the store"), help);
            assertTrue(help.contains("settled cost of the Admin API's usage events"), help);
        }
    }
}
