package dev.cursorexporter.budget;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The forecast on constructed histories. "Now" is Wednesday 2026-03-18 12:00 UTC in a cycle from 2026-03-05
 * 07:52:48 to 2026-04-05 07:52:48 (a Sunday). Left of it: 12.5 weekdays (half of today, 12 full) and 5.328333
 * weekend days (Sat/Sun 21/22, 28/29 March, 4 April, and 07:52:48 of Sunday 5 April): 17.828333 days in all.
 * The window is the 14 days 4–17 March; its weekend days are 7, 8, 14 and 15 March.
 */
class SpendForecastTest {
    private static final Instant NOW = Instant.parse("2026-03-18T12:00:00Z");
    private static final BillingCycle CYCLE = BillingCycle.startingAt(Instant.parse("2026-03-05T07:52:48Z"));
    private static final BigDecimal SPENT = new BigDecimal("130");

    private static Map<LocalDate, BigDecimal> window(Function<LocalDate, String> usd) {
        Map<LocalDate, BigDecimal> days = new TreeMap<>();
        for (LocalDate d = LocalDate.parse("2026-03-04"); d.isBefore(LocalDate.parse("2026-03-18")); d = d.plusDays(1)) {
            days.put(d, new BigDecimal(usd.apply(d)));
        }
        return days;
    }

    private static boolean weekend(LocalDate d) {
        return d.getDayOfWeek().getValue() >= 6;
    }

    @Test
    void cycleEndIsOneMonthLaterAtTheSameTime() {
        assertEquals(Instant.parse("2026-04-05T07:52:48Z"), CYCLE.end());
    }

    @Test
    void flatSpendExtrapolatesTheDailyRate() {
        SpendForecast.Result r = SpendForecast.forecast(SPENT, window(d -> "10"), CYCLE, NOW);
        assertEquals(0, new BigDecimal("10").compareTo(r.weekdayRate()));
        assertEquals(0, new BigDecimal("10").compareTo(r.weekendRate()));
        assertEquals(14, r.observedDays());
        assertEquals(new BigDecimal("308.28"), r.forecastUsd()); // 130 + 10 × 17.828333
    }

    @Test
    void weekendHeavySpendChargesEachRemainingDayAtItsOwnRate() {
        SpendForecast.Result r = SpendForecast.forecast(SPENT, window(d -> weekend(d) ? "20" : "2"), CYCLE, NOW);
        assertEquals(0, new BigDecimal("2").compareTo(r.weekdayRate()));
        assertEquals(0, new BigDecimal("20").compareTo(r.weekendRate()));
        // 130 + 12.5 × 2 + 5.328333 × 20; a weekday-blind mean (100/14 per day) would give 257.34
        assertEquals(new BigDecimal("261.57"), r.forecastUsd());
    }

    @Test
    void growingSpendUsesTheMeansOfTheWindowAndIgnoresOlderDays() {
        Map<LocalDate, BigDecimal> days = window(d -> String.valueOf(d.getDayOfMonth() - 3)); // 1 … 14
        days.put(LocalDate.parse("2026-03-03"), new BigDecimal("1000")); // before the window
        days.put(LocalDate.parse("2026-03-18"), new BigDecimal("1000")); // today, incomplete
        SpendForecast.Result r = SpendForecast.forecast(SPENT, days, CYCLE, NOW);
        assertEquals(0, new BigDecimal("7.3").compareTo(r.weekdayRate()));  // 73 over 10 weekdays
        assertEquals(0, new BigDecimal("8").compareTo(r.weekendRate()));    // (4 + 5 + 11 + 12) / 4
        assertEquals(new BigDecimal("263.88"), r.forecastUsd());            // 130 + 12.5 × 7.3 + 5.328333 × 8
    }

    @Test
    void midCycleStartWithAFewObservedDaysUsesThoseDays() {
        Map<LocalDate, BigDecimal> days = Map.of(
                LocalDate.parse("2026-03-15"), new BigDecimal("30"),  // Sunday
                LocalDate.parse("2026-03-16"), new BigDecimal("6"),
                LocalDate.parse("2026-03-17"), new BigDecimal("4"));
        SpendForecast.Result r = SpendForecast.forecast(SPENT, days, CYCLE, NOW);
        assertEquals(3, r.observedDays());
        assertEquals(new BigDecimal("352.35"), r.forecastUsd()); // 130 + 12.5 × 5 + 5.328333 × 30
    }

    @Test
    void onlyWeekdaysObservedStandForWeekendsToo() {
        SpendForecast.Result r = SpendForecast.forecast(SPENT,
                Map.of(LocalDate.parse("2026-03-17"), new BigDecimal("10")), CYCLE, NOW);
        assertEquals(0, r.weekdayRate().compareTo(r.weekendRate()));
        assertEquals(new BigDecimal("308.28"), r.forecastUsd());
    }

    @Test
    void withoutAnyObservedDayTheCycleAverageIsUsed() {
        SpendForecast.Result r = SpendForecast.forecast(SPENT, Map.of(), CYCLE, NOW);
        assertEquals(0, r.observedDays());
        // 130 spent over 13.171667 days elapsed = 9.869669/day, × 17.828333 days left = 175.96
        assertEquals(new BigDecimal("305.96"), r.forecastUsd());
    }

    @Test
    void duringTheCyclesFirstDayWithoutHistoryTheForecastIsTheSpendSoFar() {
        Instant early = CYCLE.start().plusSeconds(3600);
        assertEquals(new BigDecimal("5.00"),
                SpendForecast.forecast(new BigDecimal("5"), Map.of(), CYCLE, early).forecastUsd());
    }

    @Test
    void rightAfterACycleRolloverTheRateOfThePreviousCycleCarriesOn() {
        Instant now = Instant.parse("2026-04-06T12:00:00Z");
        BillingCycle cycle = BillingCycle.containing(CYCLE.start(), now);
        assertEquals(Instant.parse("2026-04-05T07:52:48Z"), cycle.start());
        assertEquals(Instant.parse("2026-05-05T07:52:48Z"), cycle.end());
        Map<LocalDate, BigDecimal> days = new TreeMap<>();
        for (LocalDate d = LocalDate.parse("2026-03-23"); d.isBefore(LocalDate.parse("2026-04-06")); d = d.plusDays(1)) {
            days.put(d, BigDecimal.TEN);
        }
        // spend so far has reset to the 3 USD of the new cycle; 28.828333 days are left
        assertEquals(new BigDecimal("291.28"), SpendForecast.forecast(new BigDecimal("3"), days, cycle, now).forecastUsd());
    }

    @Test
    void afterTheCycleEndNothingIsAdded() {
        Instant later = CYCLE.end().plusSeconds(60);
        assertEquals(new BigDecimal("130.00"), SpendForecast.forecast(SPENT, window(d -> "10"), CYCLE, later).forecastUsd());
    }

    @Test
    void shortMonthsClampTheCycleEndAndTheAnchorDayIsKept() {
        Instant jan31 = Instant.parse("2026-01-31T10:00:00Z");
        assertEquals(Instant.parse("2026-02-28T10:00:00Z"), BillingCycle.startingAt(jan31).end());
        BillingCycle march = BillingCycle.containing(jan31, Instant.parse("2026-03-15T00:00:00Z"));
        assertEquals(Instant.parse("2026-02-28T10:00:00Z"), march.start());
        assertEquals(Instant.parse("2026-03-31T10:00:00Z"), march.end());
    }
}
