package dev.cursorexporter.sync;

import java.time.LocalDate;

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
}
