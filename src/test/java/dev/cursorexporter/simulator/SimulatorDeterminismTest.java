package dev.cursorexporter.simulator;

import dev.cursorexporter.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.cursorexporter.simulator.SimFixtures.DAY;
import static dev.cursorexporter.simulator.SimFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Same seed and clock, same bytes; live mode lets data appear as the clock moves, frozen mode does not. */
class SimulatorDeterminismTest {
    private static final long NOW_MS = NOW.toEpochMilli();

    private static List<String> snapshot(Simulator sim) {
        SimClient c = SimClient.basic(sim);
        Map<String, Object> window = Map.of("startDate", NOW_MS - 20 * DAY, "endDate", NOW_MS, "page", 2,
                "pageSize", 300);
        Map<String, Object> users = Map.of("startDate", NOW_MS - 20 * DAY, "endDate", NOW_MS, "page", 2,
                "pageSize", 5);
        return List.of(
                c.get("/teams/members").body(),
                c.post("/teams/daily-usage-data", users).body(),
                c.post("/teams/spend", Map.of()).body(),
                c.post("/teams/filtered-usage-events", window).body(),
                c.get("/_simulator/totals").body(),
                sim.directoryCsv());
    }

    @Test
    void sameSeedGivesTheSameJsonAndAnotherSeedDoesNot() {
        List<String> a;
        List<String> b;
        List<String> other;
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.OBSERVED_2026_01).build())) {
            a = snapshot(sim);
        }
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.OBSERVED_2026_01).build())) {
            b = snapshot(sim);
        }
        try (Simulator sim = Simulator.start(SimFixtures.small(Profile.OBSERVED_2026_01).seed(8).build())) {
            other = snapshot(sim);
        }
        assertEquals(a, b);
        for (int i = 0; i < a.size(); i++) {
            assertNotEquals(a.get(i), other.get(i), "part " + i);
        }
    }

    @Test
    void liveModeServesNewEventsAsTimePassesAndFrozenModeDoesNot() {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
        try (Simulator live = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).clock(clock).live(true).build());
             Simulator frozen = Simulator.start(SimFixtures.small(Profile.DOCS_LATEST).clock(clock).live(false)
                     .build())) {
            SimulatorTotals morning = live.totals();
            assertEquals(morning, frozen.totals());
            clock.advance(Duration.ofHours(8));
            SimulatorTotals evening = live.totals();
            assertTrue(evening.totalEvents() > morning.totalEvents(), "events kept coming during the day");
            assertTrue(evening.totalCostCents().compareTo(morning.totalCostCents()) > 0);
            assertEquals(morning.firstDay(), evening.firstDay());
            assertEquals(morning, frozen.totals());

            long end = clock.millis();
            long served = SimClient.basic(live).post("/teams/filtered-usage-events",
                    Map.of("startDate", end - 29 * DAY, "endDate", end + DAY, "pageSize", 1)).json()
                    .get("totalUsageEventsCount").asLong();
            long expected = SimClient.basic(live).post("/teams/filtered-usage-events",
                    Map.of("startDate", end - 29 * DAY, "endDate", end, "pageSize", 1)).json()
                    .get("totalUsageEventsCount").asLong();
            assertEquals(expected, served, "nothing from the future");

            clock.advance(Duration.ofDays(1)); // a new day appears with its own rows
            assertEquals("2026-03-03", live.totals().newestDay());
            assertEquals("2026-03-02", frozen.totals().newestDay());
        }
    }
}
