package dev.cursorexporter.sync;

import dev.cursorexporter.model.BackfillRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides which day windows a day-based source must fetch: every day of the backfill range (the
 * {@code backfillDays} complete UTC days before today, plus today, which is partial) not yet stored, plus
 * the look-back days (today and the {@code lookbackDays} days before it) on every run because Cursor restates
 * them (REFERENCE.md Q13). Windows never mix final and look-back days, never exceed {@code maxWindowDays}, and
 * come newest first so recent data is available before old history.
 */
public final class WindowPlanner {
    private final BackfillRange range;
    private final int backfillDays;
    private final int maxWindowDays;

    public WindowPlanner(int backfillDays, int lookbackDays, int maxWindowDays) {
        if (backfillDays < 1 || lookbackDays < 0 || maxWindowDays < 1) {
            throw new IllegalArgumentException("backfillDays >= 1, lookbackDays >= 0, maxWindowDays >= 1");
        }
        this.range = new BackfillRange(backfillDays, lookbackDays);
        this.backfillDays = backfillDays;
        this.maxWindowDays = maxWindowDays;
    }

    /** The days planned from, the same the read side reports backfill progress against. */
    public BackfillRange range() {
        return range;
    }

    /** @see BackfillRange#firstDay */
    public LocalDate firstDay(LocalDate today) {
        return range.firstDay(today);
    }

    public int backfillDays() {
        return backfillDays;
    }

    public List<DayWindow> plan(LocalDate today, Set<LocalDate> covered) {
        LocalDate first = firstDay(today);
        LocalDate firstRestatable = range.firstRestatableDay(today);
        List<DayWindow> windows = new ArrayList<>();
        // The look-back part, always re-read.
        LocalDate lookbackStart = firstRestatable.isBefore(first) ? first : firstRestatable;
        addChunked(windows, lookbackStart, today, false);
        // Final days not yet stored, as maximal runs, newest first.
        LocalDate day = lookbackStart.minusDays(1);
        LocalDate runEnd = null;
        while (!day.isBefore(first)) {
            boolean missing = !covered.contains(day);
            if (missing && runEnd == null) {
                runEnd = day;
            } else if (!missing && runEnd != null) {
                addChunked(windows, day.plusDays(1), runEnd, true);
                runEnd = null;
            }
            day = day.minusDays(1);
        }
        if (runEnd != null) {
            addChunked(windows, first, runEnd, true);
        }
        return windows;
    }

    /** Splits from..to into windows of at most maxWindowDays, newest first. */
    private void addChunked(List<DayWindow> out, LocalDate from, LocalDate to, boolean isFinal) {
        LocalDate end = to;
        while (!end.isBefore(from)) {
            LocalDate start = end.minusDays(maxWindowDays - 1L);
            if (start.isBefore(from)) {
                start = from;
            }
            out.add(new DayWindow(start, end, isFinal));
            end = start.minusDays(1);
        }
    }
}
