package dev.cursorexporter.budget;

import dev.cursorexporter.store.DailyUsageCost;
import dev.cursorexporter.store.SpendSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-day team spend from snapshots where they are consecutive, else from usage-event cost. */
class DailySpendHistoryTest {
    private static final LocalDate D1 = LocalDate.parse("2026-03-10");
    private static final LocalDate D2 = D1.plusDays(1);
    private static final LocalDate D3 = D1.plusDays(2);
    private static final LocalDate D4 = D1.plusDays(3);
    private static final Instant CYCLE_A = Instant.parse("2026-02-12T07:00:00Z");
    private static final Instant CYCLE_B = Instant.parse("2026-03-12T07:00:00Z");
    private static final Map<String, String> TEAMS = Map.of("ana@x.com", "Platform", "bo@x.com", "Platform",
            "cy@x.com", "Payments");

    private static SpendSnapshot snap(LocalDate day, String email, Instant cycle, String cents) {
        return new SpendSnapshot(day, email, null, cycle, new BigDecimal(cents), BigDecimal.ZERO, null,
                day.atTime(23, 0).toInstant(java.time.ZoneOffset.UTC));
    }

    private static DailyUsageCost cost(LocalDate day, String email, String cents) {
        return new DailyUsageCost(day, null, email, null, null, 1, new BigDecimal(cents), 0, 0, 0, 0);
    }

    private static Map<LocalDate, String> usd(Map<LocalDate, BigDecimal> days) {
        Map<LocalDate, String> out = new TreeMap<>();
        days.forEach((d, v) -> out.put(d, v.stripTrailingZeros().toPlainString()));
        return out;
    }

    private static Map<String, Map<LocalDate, BigDecimal>> history(List<SpendSnapshot> snaps,
                                                                   List<DailyUsageCost> costs, Set<LocalDate> covered) {
        return DailySpendHistory.byTeam(D2, D4, snaps, costs, covered,
                e -> TEAMS.getOrDefault(e, "unassigned"), Set.of("Platform", "Payments", "Idle"));
    }

    @Test
    void consecutiveSnapshotsOfOneCycleGiveTheDailyIncrementAndWinOverEventCost() {
        var h = history(List.of(snap(D1, "ana@x.com", CYCLE_A, "100"), snap(D2, "ana@x.com", CYCLE_A, "300"),
                        snap(D3, "ana@x.com", CYCLE_A, "600"), snap(D4, "ana@x.com", CYCLE_A, "600")),
                List.of(cost(D2, "ana@x.com", "999"), cost(D2, "bo@x.com", "50")), Set.of(D2));
        // D2: ana 2.00 from snapshots (her 9.99 of events is not counted twice) + bo 0.50 from events
        assertEquals(Map.of(D2, "2.5", D3, "3", D4, "0"), usd(h.get("Platform")));
        assertEquals(Map.of(D2, "0", D3, "0", D4, "0"), usd(h.get("Idle")), "observed days without spend are zeros");
    }

    @Test
    void aCycleRolloverFallsBackToEventCostInsteadOfANegativeIncrement() {
        var h = history(List.of(snap(D1, "cy@x.com", CYCLE_A, "4000"), snap(D2, "cy@x.com", CYCLE_A, "4500"),
                        snap(D3, "cy@x.com", CYCLE_B, "80"), snap(D4, "cy@x.com", CYCLE_B, "200")),
                List.of(cost(D3, "cy@x.com", "130")), Set.of(D3));
        assertEquals(Map.of(D2, "5", D3, "1.3", D4, "1.2"), usd(h.get("Payments")));
    }

    @Test
    void aMidCycleStartHasOneSnapshotAndLivesOnEventCostWhereEventsAreStored() {
        var h = history(List.of(snap(D4, "ana@x.com", CYCLE_A, "12345")),
                List.of(cost(D2, "ana@x.com", "700"), cost(D3, "ana@x.com", "300"), cost(D3, "", "25")),
                Set.of(D2, D3));
        assertEquals(Map.of(D2, "7", D3, "3"), usd(h.get("Platform")), "D4 has neither events nor a snapshot pair");
        assertEquals(Map.of(D2, "0", D3, "0.25"), usd(h.get("unassigned")), "removed members' events count too");
    }

    @Test
    void aDecreaseWithinACycleCountsAsZero() {
        var h = history(List.of(snap(D1, "bo@x.com", CYCLE_A, "500"), snap(D2, "bo@x.com", CYCLE_A, "450")),
                List.of(), Set.of());
        assertEquals(Map.of(D2, "0"), usd(h.get("Platform")));
    }
}
