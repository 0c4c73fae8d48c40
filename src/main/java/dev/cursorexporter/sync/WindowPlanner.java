package dev.cursorexporter.sync;

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
    private final int backfillDays;
    private final int lookbackDays;
    private final int maxWindowDays;

    public WindowPlanner(int backfillDays, int lookbackDays, int maxWindowDays) {
        if (backfillDays < 1 || lookbackDays < 0 || maxWindowDays < 1) {
            throw new IllegalArgumentException("backfillDays >= 1, lookbackDays >= 0, maxWindowDays >= 1");
        }
        this.backfillDays = backfillDays;
        this.lookbackDays = lookbackDays;
        this.maxWindowDays = maxWindowDays;
    }

    /**
     * First day of the backfill range: {@code backfillDays} complete UTC days before today, so that
     * {@code backfill_days: 30} holds the 30 full days before today; today (partial) comes on top.
     */
    public LocalDate firstDay(LocalDate today) {
        return today.minusDays(backfillDays);
    }

    /** Days in the backfill range: the {@code backfillDays} complete days plus today. */
    public int rangeDays() {
        return backfillDays + 1;
    }

    /** First day re-read on every poll (today minus the look-back). */
    public LocalDate firstRestatableDay(LocalDate today) {
        return today.minusDays(lookbackDays);
    }

    public int backfillDays() {
        return backfillDays;
    }

    public List<DayWindow> plan(LocalDate today, Set<LocalDate> covered) {
        LocalDate first = firstDay(today);
        LocalDate firstRestatable = firstRestatableDay(today);
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
