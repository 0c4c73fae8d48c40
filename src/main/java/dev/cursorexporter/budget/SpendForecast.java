package dev.cursorexporter.budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Spend at cycle end = spend so far + a recent daily run-rate over the time left in the cycle.
 *
 * <p>The run-rate is weekday-aware: the mean spend of the observed weekdays and, separately, of the observed
 * weekend days among the {@value #WINDOW_DAYS} complete UTC days before today. Each hour left in the cycle is
 * charged at the rate of its kind of day, today's remaining hours included. With only one kind of day observed,
 * its rate stands for both; with none (a fresh install without usage history), the cycle-to-date average
 * (spend so far over the days elapsed) is used, or nothing during the cycle's first day, when that average is
 * mostly noise. Pure function of its inputs; USD throughout.
 */
public final class SpendForecast {
    public static final int WINDOW_DAYS = 14;
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);

    private SpendForecast() {
    }

    /**
     * @param weekdayRate USD per weekday (Monday to Friday, UTC)
     * @param weekendRate USD per Saturday or Sunday (UTC)
     * @param observedDays how many days of the window the rates rest on (0 = cycle-average fallback)
     */
    public record Result(BigDecimal spentUsd, BigDecimal weekdayRate, BigDecimal weekendRate, int observedDays,
                         BigDecimal forecastUsd) {
    }

    /**
     * @param spentUsd  spend so far in the current cycle
     * @param dailyUsd  spend per UTC day for the days with data; days outside the window are ignored
     * @param cycle     the current billing cycle
     * @param now       the present; after the cycle end the forecast is the spend so far
     */
    public static Result forecast(BigDecimal spentUsd, Map<LocalDate, BigDecimal> dailyUsd, BillingCycle cycle,
                                  Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(WINDOW_DAYS);
        BigDecimal weekdaySum = BigDecimal.ZERO;
        BigDecimal weekendSum = BigDecimal.ZERO;
        int weekdays = 0;
        int weekends = 0;
        for (Map.Entry<LocalDate, BigDecimal> day : dailyUsd.entrySet()) {
            LocalDate d = day.getKey();
            if (d.isBefore(first) || !d.isBefore(today)) {
                continue;
            }
            if (weekend(d)) {
                weekendSum = weekendSum.add(day.getValue());
                weekends++;
            } else {
                weekdaySum = weekdaySum.add(day.getValue());
                weekdays++;
            }
        }
        BigDecimal weekdayRate;
        BigDecimal weekendRate;
        if (weekdays + weekends == 0) {
            BigDecimal elapsedDays = days(Duration.between(cycle.start(), now));
            BigDecimal average = elapsedDays.compareTo(BigDecimal.ONE) < 0 ? BigDecimal.ZERO
                    : spentUsd.divide(elapsedDays, MC);
            weekdayRate = average;
            weekendRate = average;
        } else {
            weekdayRate = weekdays == 0 ? null : weekdaySum.divide(BigDecimal.valueOf(weekdays), MC);
            weekendRate = weekends == 0 ? null : weekendSum.divide(BigDecimal.valueOf(weekends), MC);
            weekdayRate = weekdayRate == null ? weekendRate : weekdayRate;
            weekendRate = weekendRate == null ? weekdayRate : weekendRate;
        }
        BigDecimal rest = BigDecimal.ZERO;
        Instant from = now.isBefore(cycle.start()) ? cycle.start() : now;
        while (from.isBefore(cycle.end())) {
            LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC);
            Instant dayEnd = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant to = dayEnd.isBefore(cycle.end()) ? dayEnd : cycle.end();
            BigDecimal fraction = days(Duration.between(from, to));
            rest = rest.add(fraction.multiply(weekend(day) ? weekendRate : weekdayRate, MC));
            from = to;
        }
        BigDecimal forecast = spentUsd.add(rest).setScale(2, RoundingMode.HALF_UP);
        return new Result(spentUsd, weekdayRate, weekendRate, weekdays + weekends, forecast);
    }

    private static boolean weekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static BigDecimal days(Duration duration) {
        return BigDecimal.valueOf(duration.getSeconds()).divide(SECONDS_PER_DAY, MC);
    }
}
