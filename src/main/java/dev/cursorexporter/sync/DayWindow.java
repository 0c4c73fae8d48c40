package dev.cursorexporter.sync;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * UTC days {@code from}..{@code to}, both inclusive, fetched in one request series.
 *
 * @param final_ true when every day in it is older than the look-back, so once stored it is never fetched again
 */
public record DayWindow(LocalDate from, LocalDate to, boolean final_) {
    public DayWindow {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("window ends before it starts: " + from + ".." + to);
        }
    }

    public long days() {
        return to.toEpochDay() - from.toEpochDay() + 1;
    }

    /** The first instant of the window, for sources that take instants. */
    public Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The last millisecond of the window, or {@code now} (to the millisecond) when that is earlier: a fixed end in
     * the past keeps pages stable while newer events arrive (they sort first).
     */
    public Instant readUpTo(Instant now) {
        Instant endOfDay = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1);
        return endOfDay.isAfter(now) ? now.truncatedTo(ChronoUnit.MILLIS) : endOfDay;
    }
}
