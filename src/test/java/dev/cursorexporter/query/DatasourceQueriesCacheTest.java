package dev.cursorexporter.query;

import dev.cursorexporter.model.AccountConfig;
import dev.cursorexporter.model.Secret;
import dev.cursorexporter.model.UserLabelMode;
import dev.cursorexporter.model.ApiCallListener;
import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.cursor.CursorClient;
import dev.cursorexporter.model.Source;
import dev.cursorexporter.directory.Directory;
import dev.cursorexporter.directory.UserLabeler;
import dev.cursorexporter.simulator.Simulator;
import dev.cursorexporter.simulator.SimulatorOptions;
import dev.cursorexporter.store.SqliteStore;
import dev.cursorexporter.testing.TestClock;
import dev.cursorexporter.sync.AccountSync;
import dev.cursorexporter.sync.WindowPlanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Answers are cached, and a sync job that writes makes the next answer include what it wrote. */
class DatasourceQueriesCacheTest {
    private static final Instant START = Instant.parse("2026-11-20T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aSyncThatWritesChangesTheAnswer() {
        // the live simulator and the sync both follow this clock
        TestClock clock = new TestClock(START);
        LocalDate today = LocalDate.ofInstant(START, ZoneOffset.UTC);
        try (Simulator sim = Simulator.start(SimulatorOptions.builder().users(20).days(3).seed(5).live(true)
                .clock(clock).build());
             SqliteStore store = SqliteStore.open(dir);
             CursorClient client = CursorClient.create(new AccountConfig("default", new Secret(sim.apiKey()),
                     sim.baseUrl()), ApiCallListener.NONE)) {
            DatasourceQueries queries = new DatasourceQueries(store, store.daily(), () -> Directory.EMPTY,
                    new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), clock);
            Map<Source, Duration> hourly = new EnumMap<>(Source.class);
            for (Source s : Source.values()) {
                hourly.put(s, Duration.ofHours(1));
            }
            WindowPlanner planner = new WindowPlanner(3, 1, CursorApi.MAX_WINDOW_DAYS);
            try (AccountSync wired = new AccountSync("default", client, store, planner, hourly, clock,
                         queries::invalidate);
                 AccountSync unwired = new AccountSync("default", client, store, planner, hourly, clock, () -> { })) {
                SeriesQuery todayOnly = new SeriesQuery(today, today, 1, List.of(), List.of(), false);

                assertTrue(wired.runOnce(Source.USAGE_EVENTS));
                List<SeriesRow> first = queries.series(todayOnly);
                assertCents(sim.totals().costCentsByDay().get(today.toString()), first.get(0).costCents());

                clock.advance(Duration.ofHours(6));
                BigDecimal later = sim.totals().costCentsByDay().get(today.toString());
                assertTrue(later.compareTo(first.get(0).costCents()) > 0, "six more hours of usage");

                assertTrue(unwired.runOnce(Source.USAGE_EVENTS));
                assertSame(first, queries.series(todayOnly), "without invalidation the cached answer stands");

                assertTrue(wired.runOnce(Source.USAGE_EVENTS));
                assertCents(later, queries.series(todayOnly).get(0).costCents());
            }
        }
    }

    @Test
    void answersAreWeighedInRowsSoABigAnswerIsNotKept() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            DatasourceQueries queries = new DatasourceQueries(store, store.daily(), () -> Directory.EMPTY,
                    new UserLabeler(UserLabelMode.EMAIL, Optional.empty()), Clock.systemUTC(), 1_000, 80);
            LocalDate day = LocalDate.of(2026, 3, 1);
            // Without grouping there is one row per day, data or not.
            SeriesQuery eightRows = new SeriesQuery(day, day.plusDays(7), 1, List.of(), List.of(), false);
            SeriesQuery twelveRows = new SeriesQuery(day, day.plusDays(11), 1, List.of(), List.of(), false);

            List<SeriesRow> small = queries.series(eightRows);
            assertSame(small, queries.series(eightRows), "8 rows fit an answer's 10-row share of the 80-row cache");
            List<SeriesRow> big = queries.series(twelveRows);
            assertEquals(12, big.size());
            assertNotSame(big, queries.series(twelveRows), "12 rows exceed the share: computed again");
        }
    }

    private static void assertCents(BigDecimal expected, BigDecimal actual) {
        assertTrue(expected.subtract(actual).abs().compareTo(new BigDecimal("0.5")) < 0,
                "expected " + expected + " cents, got " + actual);
    }
}
