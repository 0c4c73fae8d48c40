package dev.cursorexporter.sync;

import dev.cursorexporter.model.ClientSettings;
import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.CursorClient;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.cursor.Sleeper;
import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 item 2: a long backfill job yields the account's one thread at a committed window once it has had its
 * slice, so the other sources keep their schedule; the next run continues where it stopped and nothing is fetched
 * twice.
 */
class JobSliceTest {
    private static final Instant NOW = Instant.parse("2026-11-20T15:30:00Z");

    @TempDir
    Path dir;

    @Test
    void aLongBackfillYieldsAtAWindowAndContinuesWhereItStopped() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Simulator sim = slowSimulator(clock);
             SqliteStore store = SqliteStore.open(dir);
             CursorClient client = new CursorClient(sim.baseUrl(), new Secret(sim.apiKey()),
                     ClientSettings.defaults(), ApiCallListener.NONE, Sleeper.SYSTEM, clock)) {
            Map<Source, Duration> intervals = hourly();
            WindowPlanner planner = new WindowPlanner(90, 2, CursorApi.MAX_WINDOW_DAYS);
            int planned = planner.plan(NOW.atZone(ZoneOffset.UTC).toLocalDate(), java.util.Set.of()).size();
            AccountSync sync = new AccountSync("default", client, store, planner, intervals, clock, () -> { });
            sync.jobSlice(Duration.ofMillis(100));

            java.time.LocalDate today = NOW.atZone(ZoneOffset.UTC).toLocalDate();
            int runs = 0;
            int previous = 0;
            // until only the look-back window (re-read every poll, never "covered") is left to plan
            while (planner.plan(today, store.coveredDays("default", Source.USAGE_EVENTS)).stream()
                    .anyMatch(DayWindow::final_)) {
                assertTrue(sync.runOnce(Source.USAGE_EVENTS));
                int covered = store.coveredDays("default", Source.USAGE_EVENTS).size();
                assertTrue(covered > previous, "each run commits at least one window: " + covered);
                previous = covered;
                runs++;
                assertTrue(runs <= planned, "at most one run per window");
            }
            assertTrue(runs > 1, "the backfill yielded at least once (" + runs + " runs for " + planned
                    + " windows)");
            // 90 complete days + today, less today and the 2 look-back days (re-read on every poll)
            assertEquals(88, store.coveredDays("default", Source.USAGE_EVENTS).size());
        }
    }

    @Test
    void aRunThatContinuesAYieldedOneDoesNotReadTheLookBackAgain() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Simulator sim = slowSimulator(clock);
             SqliteStore store = SqliteStore.open(dir);
             CursorClient client = new CursorClient(sim.baseUrl(), new Secret(sim.apiKey()),
                     ClientSettings.defaults(), ApiCallListener.NONE, Sleeper.SYSTEM, clock)) {
            Map<Source, Duration> intervals = hourly();
            WindowPlanner planner = new WindowPlanner(90, 2, CursorApi.MAX_WINDOW_DAYS);
            java.time.LocalDate today = NOW.atZone(ZoneOffset.UTC).toLocalDate();
            long lookBackStart = today.minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            try (AccountSync sync = new AccountSync("default", client, store, planner, intervals, clock, () -> { })) {
                sync.jobSlice(Duration.ofMillis(100));
                sync.start(); // the scheduled polls: a yielded run is continued at once
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (store.coveredDays("default", Source.USAGE_EVENTS).size() < 88) {
                    assertTrue(System.nanoTime() < deadline, "backfilled within 90 s: "
                            + store.coveredDays("default", Source.USAGE_EVENTS).size());
                    Thread.sleep(50);
                }
            }
            List<String> eventReads = sim.requests().stream()
                    .filter(r -> r.path().equals("/teams/filtered-usage-events")).map(r -> r.body()).toList();
            long lookBackReads = eventReads.stream().filter(b -> b.contains("\"startDate\":" + lookBackStart)).count();
            assertTrue(eventReads.size() > 3, "several windows, several runs: " + eventReads.size());
            assertEquals(1, lookBackReads, "the look-back is read by the first run only: " + eventReads);
        }
    }

    /** 95 days of 5 members, each call 150 ms late: a backfill long enough to yield with a 100 ms slice. */
    private static Simulator slowSimulator(Clock clock) {
        return Simulator.start(SimulatorOptions.builder().users(5).days(95).seed(2).live(false).clock(clock)
                .rateLimits(false)
                .faults(dev.cursorexporter.simulator.FaultOptions.NONE.withLatency(Duration.ofMillis(150))).build());
    }

    private static Map<Source, Duration> hourly() {
        Map<Source, Duration> intervals = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            intervals.put(s, Duration.ofHours(1));
        }
        return intervals;
    }
}
